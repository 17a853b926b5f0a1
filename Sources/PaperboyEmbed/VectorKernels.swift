/// The element-wise steps of the encoder between its matrix products, eight lanes at a time
/// (compiled for a CPU with FMA and AVX2, so that `SIMD8<Float>` is one register): exp for the
/// softmax, erf for the GELU, LayerNorm and L2 normalisation. Pointers are to row-major float
/// rows; counts need not be multiples of eight.
enum VectorKernels {
    typealias Lanes = SIMD8<Float>

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
    }

    /// eˣ in each lane: x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-6 polynomial for eʳ (Cephes'
    /// expf, relative error about 2e-7), times 2ⁿ built in the exponent bits.
    @inline(__always)
    static func exp(_ x: Lanes) -> Lanes {
        // Clamped by compare and blend (`clamped(lowerBound:upperBound:)` stays a call).
        let low = Lanes(repeating: -87.3)
        let high = Lanes(repeating: 88.3)
        var x = x.replacing(with: low, where: x .< low)
        x = x.replacing(with: high, where: x .> high)
        // Rounds x·log₂e to an integer in the low mantissa bits by adding 1.5·2²³.
        let magic = Lanes(repeating: 12_582_912)
        let shifted = magic.addingProduct(x, Lanes(repeating: 1.442_695_04))
        let n = shifted - magic
        // `a.addingProduct(b, c)` is one fused multiply-add (`a + b·c` written out is two).
        var r = x.addingProduct(n, Lanes(repeating: -0.693_359_375))
        r = r.addingProduct(n, Lanes(repeating: 2.121_944_4e-4))
        var p = Lanes(repeating: 1.398_199_95e-3).addingProduct(Lanes(repeating: 1.987_569_15e-4), r)
        p = Lanes(repeating: 8.333_451_9e-3).addingProduct(p, r)
        p = Lanes(repeating: 4.166_579_59e-2).addingProduct(p, r)
        p = Lanes(repeating: 1.666_666_55e-1).addingProduct(p, r)
        p = Lanes(repeating: 5.000_000_1e-1).addingProduct(p, r)
        p = (r + Lanes(repeating: 1)).addingProduct(p, r * r)
        let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(exponent, to: Lanes.self)
    }

    /// erf in each lane (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7).
    @inline(__always)
    static func erf(_ x: Lanes) -> Lanes {
        let a = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: Lanes.self)
        let t = Lanes(repeating: 1) / (Lanes(repeating: 1) + Lanes(repeating: 0.327_591_1) * a)
        var p = Lanes(repeating: -1.453_152_027).addingProduct(Lanes(repeating: 1.061_405_429), t)
        p = Lanes(repeating: 1.421_413_741).addingProduct(p, t)
        p = Lanes(repeating: -0.284_496_736).addingProduct(p, t)
        p = Lanes(repeating: 0.254_829_592).addingProduct(p, t)
        p = p * t
        let y = Lanes(repeating: 1) - p * Self.exp(-(a * a))
        return y.replacing(with: -y, where: x .< Lanes(repeating: 0))
    }

    /// GELU (the exact one, with erf) in place: x·½·(1 + erf(x/√2)).
    static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        let half = Lanes(repeating: 0.5)
        let scale = Lanes(repeating: 0.707_106_781_186_547_5)
        while index + 8 <= count {
            let x = Self.load(values + index)
            Self.store(x * half * (Lanes(repeating: 1) + Self.erf(x * scale)), values + index)
            index += 8
        }
        while index < count {
            let x = values[index]
            values[index] = x * 0.5 * (1 + Self.erf(Lanes(repeating: x * 0.707_106_781_186_547_5))[0])
            index += 1
        }
    }

    /// Softmax of one row in place.
    static func softmax(_ row: UnsafeMutablePointer<Float>, count: Int) {
        let inverse = Lanes(repeating: 1 / Self.exponentiate(row, count: count))
        var index = 0
        while index + 8 <= count {
            Self.store(Self.load(row + index) * inverse, row + index)
            index += 8
        }
        while index < count {
            row[index] *= inverse[0]
            index += 1
        }
    }

    /// The numerators of a row's softmax in place, eˣ⁻ᵐᵃˣ, and their sum (the encoder divides
    /// the 32-wide attention output by it rather than the 256-wide row).
    static func exponentiate(_ row: UnsafeMutablePointer<Float>, count: Int) -> Float {
        // The row's maximum, eight lanes at a time (a scalar loop is one long dependency chain).
        var maxima = Lanes(repeating: -Float.infinity)
        var index = 0
        while index + 8 <= count {
            let values = Self.load(row + index)
            maxima = maxima.replacing(with: values, where: values .> maxima)
            index += 8
        }
        var maximum = -Float.infinity
        for lane in 0..<8 { maximum = Swift.max(maximum, maxima[lane]) }
        while index < count {
            maximum = Swift.max(maximum, row[index])
            index += 1
        }
        let shift = Lanes(repeating: maximum)
        var sums = Lanes(repeating: 0)
        index = 0
        while index + 8 <= count {
            let e = Self.exp(Self.load(row + index) - shift)
            Self.store(e, row + index)
            sums += e
            index += 8
        }
        var sum = sums.sum()
        if index < count {
            var tail = Lanes(repeating: -Float.infinity)
            for lane in 0..<(count - index) { tail[lane] = row[index + lane] }
            let e = Self.exp(tail - shift)
            for lane in 0..<(count - index) {
                row[index + lane] = e[lane]
                sum += e[lane]
            }
        }
        return sum
    }

    /// LayerNorm of one row of `count` values from `input` into `output` (which may be the same).
    static func layerNorm(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float
    ) {
        precondition(count % 8 == 0, "LayerNorm rows are a multiple of 8 wide")
        var sums = Lanes(repeating: 0)
        var index = 0
        while index < count {
            sums += Self.load(input + index)
            index += 8
        }
        let mean = Lanes(repeating: sums.sum() / Float(count))
        var squares = Lanes(repeating: 0)
        index = 0
        while index < count {
            let d = Self.load(input + index) - mean
            squares += d * d
            index += 8
        }
        let variance = squares.sum() / Float(count)
        let inverse = Lanes(repeating: 1 / (variance + epsilon).squareRoot())
        index = 0
        while index < count {
            let normal = (Self.load(input + index) - mean) * inverse
            Self.store(normal * Self.load(gamma + index) + Self.load(beta + index), output + index)
            index += 8
        }
    }

    /// `output[t, o] += Σₖ input[t, k] · weights[o, k]` for a few rows `t` (a query's tokens).
    /// OpenBLAS packs the whole weight matrix into its own layout on every call, which for a
    /// handful of rows costs more than the product: here each weight row is read once per input
    /// row straight from where it lies, four output columns at a time. `inputs` is a multiple of 8.
    static func smallProduct(
        _ input: UnsafePointer<Float>, rows: Int, inputs: Int, _ weights: UnsafePointer<Float>, outputs: Int,
        into output: UnsafeMutablePointer<Float>
    ) {
        precondition(inputs % 8 == 0, "product inputs are a multiple of 8 wide")
        var column = 0
        while column + 4 <= outputs {
            let w0 = weights + column * inputs
            let w1 = w0 + inputs
            let w2 = w1 + inputs
            let w3 = w2 + inputs
            for row in 0..<rows {
                let x = input + row * inputs
                var a0 = Lanes(repeating: 0)
                var a1 = Lanes(repeating: 0)
                var a2 = Lanes(repeating: 0)
                var a3 = Lanes(repeating: 0)
                var k = 0
                while k < inputs {
                    let v = Self.load(x + k)
                    a0 = a0.addingProduct(Self.load(w0 + k), v)
                    a1 = a1.addingProduct(Self.load(w1 + k), v)
                    a2 = a2.addingProduct(Self.load(w2 + k), v)
                    a3 = a3.addingProduct(Self.load(w3 + k), v)
                    k += 8
                }
                let target = output + row * outputs + column
                target[0] += a0.sum()
                target[1] += a1.sum()
                target[2] += a2.sum()
                target[3] += a3.sum()
            }
            column += 4
        }
        while column < outputs {
            let w = weights + column * inputs
            for row in 0..<rows {
                let x = input + row * inputs
                var a = Lanes(repeating: 0)
                var k = 0
                while k < inputs {
                    a = a.addingProduct(Self.load(w + k), Self.load(x + k))
                    k += 8
                }
                output[row * outputs + column] += a.sum()
            }
            column += 1
        }
    }
}
