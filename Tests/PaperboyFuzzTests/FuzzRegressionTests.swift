import Foundation
import Testing

/// Every seed of the fuzz corpora and every input that once crashed a harness, replayed through
/// the harness: none may crash, each refusal says what is wrong, and each harness's seeds include
/// input it accepts (so the fuzzer starts from real shapes).
@Suite("Fuzz corpora, replayed")
struct FuzzRegressionTests {
    static func inputs(_ harness: Harness) throws -> [(name: String, bytes: [UInt8])] {
        let folder = try #require(Bundle.module.url(forResource: "Corpus/\(harness.rawValue)", withExtension: nil))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try files.map { ($0, Array(try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }

    @Test("each harness reads its corpus without crashing; refusals say why", arguments: Harness.allCases)
    func replay(harness: Harness) throws {
        let inputs = try Self.inputs(harness)
        #expect(!inputs.isEmpty, "no corpus for \(harness)")
        var accepted = 0
        for input in inputs {
            switch harness.run(input.bytes) {
            case .accepted: accepted += 1
            case .refused(let message): #expect(!message.isEmpty, "\(input.name): a refusal without words")
            }
        }
        #expect(accepted > 0, "none of the \(inputs.count) inputs of \(harness) is accepted")
    }
}
