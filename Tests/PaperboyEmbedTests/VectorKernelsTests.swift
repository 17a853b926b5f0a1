import Foundation
import Testing

@testable import PaperboyEmbed

@Suite("Vector kernels")
struct VectorKernelsTests {
    @Test("exp and erf in eight lanes match Foundation's over the ranges the encoder feeds them")
    func accuracy() {
        var worstExp: Float = 0
        var worstErf: Float = 0
        var x: Float = -30
        while x < 30 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.001 })
            let e = VectorKernels.exp(lanes)
            let f = VectorKernels.erf(lanes / 4)
            for lane in 0..<8 {
                let exact = Foundation.exp(Double(lanes[lane]))
                worstExp = max(worstExp, Float(abs(Double(e[lane]) - exact) / exact))
                worstErf = max(worstErf, Float(abs(Double(f[lane]) - Foundation.erf(Double(lanes[lane] / 4)))))
            }
            x += 0.0173
        }
        #expect(worstExp < 5e-7, "exp relative error \(worstExp)")
        #expect(worstErf < 1e-6, "erf absolute error \(worstErf)")
        // Far below the range: 0, never a NaN or garbage from the exponent bits.
        #expect(VectorKernels.exp(SIMD8(repeating: -1_000)).max() < 1e-37)
    }

    @Test("softmax rows sum to one for every length, the tail past a multiple of 8 included")
    func softmax() {
        for count in [1, 7, 8, 9, 31, 256] {
            var row = (0..<count).map { Float($0 % 5) * 1.5 - 3 }
            row.withUnsafeMutableBufferPointer { VectorKernels.softmax($0.baseAddress!, count: count) }
            #expect(abs(row.reduce(0, +) - 1) < 1e-5, "length \(count)")
            #expect(row.allSatisfy { $0 > 0 })
        }
    }
}

@Suite("Small products")
struct SmallProductTests {
    @Test("the few-row product adds what a plain triple loop adds, odd output counts included")
    func matchesLoops() {
        for (rows, inputs, outputs) in [(1, 8, 1), (3, 16, 5), (17, 384, 1_537), (32, 64, 7)] {
            let x = (0..<(rows * inputs)).map { Float(($0 * 7) % 11) * 0.1 - 0.5 }
            let w = (0..<(outputs * inputs)).map { Float(($0 * 5) % 13) * 0.1 - 0.6 }
            var fast = (0..<(rows * outputs)).map { Float($0 % 3) }
            var slow = fast
            fast.withUnsafeMutableBufferPointer { out in
                VectorKernels.smallProduct(x, rows: rows, inputs: inputs, w, outputs: outputs, into: out.baseAddress!)
            }
            for t in 0..<rows {
                for o in 0..<outputs {
                    var sum: Double = 0
                    for k in 0..<inputs { sum += Double(x[t * inputs + k]) * Double(w[o * inputs + k]) }
                    slow[t * outputs + o] += Float(sum)
                }
            }
            for (a, b) in zip(fast, slow) {
                #expect(abs(a - b) < 1e-3 * max(1, abs(b)), "\(rows)×\(inputs)×\(outputs)")
            }
        }
    }
}
