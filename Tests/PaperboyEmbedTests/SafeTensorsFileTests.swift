import Foundation
import PaperboyTesting
import Testing

@testable import PaperboyEmbed

@Suite("safetensors")
struct SafeTensorsFileTests {
    func write(_ data: Data, in directory: TemporaryDirectory) throws -> String {
        let path = directory.path + "/model.safetensors"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("tensors read back with their shapes; a wrong type or shape is refused by name")
    func readsTensors() throws {
        let directory = try TemporaryDirectory()
        let path = try self.write(
            TinyBert.safetensors(["a": ("F32", [2, 3], [1, 2, 3, 4, 5, 6]), "b": ("I64", [1], [0, 0])]), in: directory)
        let file = try SafeTensorsFile(path: path)
        #expect(file.tensors.count == 2)
        #expect(try file.floats("a", shape: [2, 3]) == [1, 2, 3, 4, 5, 6])
        #expect(throws: EmbedError(.unsupportedModel, "model.safetensors: tensor 'a' is [2, 3], expected [3, 2]")) {
            try file.floats("a", shape: [3, 2])
        }
        #expect(throws: EmbedError(.unsupportedModel, "model.safetensors: tensor 'b' is I64, expected F32")) {
            try file.floats("b", shape: [1])
        }
        #expect(throws: EmbedError(.unsupportedModel, "model.safetensors: no tensor 'c'")) {
            try file.floats("c", shape: [1])
        }
    }

    @Test("broken files are refused with what is wrong, never read past their end")
    func brokenFiles() throws {
        let directory = try TemporaryDirectory()
        let good = TinyBert.safetensors(["a": ("F32", [4], [1, 2, 3, 4])])
        var huge = good
        huge.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Data($0) })
        let headerLength = Int(good[0]) | Int(good[1]) << 8
        let json = String(decoding: good[8..<(8 + headerLength)], as: UTF8.self)
        let cases: [(Data, String)] = [
            (Data([1, 2, 3]), "too short"),
            (huge, "does not fit"),
            (
                good.prefix(8) + Data(repeating: 0x7B, count: headerLength) + good.dropFirst(8 + headerLength),
                "not a JSON object"
            ),
            (
                good.prefix(8) + Data(json.replacingOccurrences(of: "[0,16]", with: "[0,99]").utf8)
                    + good.dropFirst(8 + headerLength),
                "spans bytes"
            ),
        ]
        for (data, expected) in cases {
            let path = try self.write(data, in: directory)
            do {
                _ = try SafeTensorsFile(path: path)
                Issue.record("accepted a file that should fail with \(expected)")
            } catch {
                #expect(error.code == .fileMalformed)
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
        #expect(throws: EmbedError.self) { try SafeTensorsFile(path: directory.path + "/absent") }
    }
}
