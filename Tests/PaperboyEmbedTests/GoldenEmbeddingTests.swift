import Foundation
import PaperboyTesting
import Testing

@testable import PaperboyEmbed

/// The five texts of `../shared/data/minilm_golden.json` (token ids and vectors computed by
/// sentence-transformers) against our tokenizer and encoder with the real all-MiniLM-L6-v2.
@Suite("all-MiniLM-L6-v2 golden vectors")
struct GoldenEmbeddingTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let text: String
            let token_ids: [Int32]
            let embedding: [Float]
        }
        let cases: [Case]
    }

    /// The model folder: `$PAPERBOY_MODELS/all-MiniLM-L6-v2` (default `~/.cache/paperboy/models`).
    static var modelFolder: String? {
        let root =
            ProcessInfo.processInfo.environment["PAPERBOY_MODELS"]
            ?? (NSHomeDirectory() + "/.cache/paperboy/models")
        let folder = root + "/all-MiniLM-L6-v2"
        return FileManager.default.fileExists(atPath: folder + "/model.safetensors") ? folder : nil
    }

    static var available: Bool { SharedData.url("data/minilm_golden.json") != nil && Self.modelFolder != nil }

    @Test(
        "token ids identical and cosine ≥ 0.9999 for each golden text",
        .enabled(if: Self.available, "needs ../shared/data/minilm_golden.json and the model (paperboy model fetch)"))
    func golden() throws {
        let data = try Data(contentsOf: SharedData.url("data/minilm_golden.json")!)
        let golden = try JSONDecoder().decode(Golden.self, from: data)
        let encoder = try SentenceEncoder(folder: Self.modelFolder!)
        #expect(encoder.tokenizer.maxLength == 256)
        #expect(encoder.dimension == 384)
        #expect(golden.cases.count == 5)
        let vectors = encoder.embedHere(golden.cases.map(\.text))
        for (index, item) in golden.cases.enumerated() {
            #expect(encoder.tokenizer.ids(item.text) == item.token_ids, "\(item.text.prefix(40))")
            let cosine = zip(vectors[index], item.embedding).reduce(0) { $0 + Double($1.0) * Double($1.1) }
            #expect(cosine >= 0.9999, "\(item.text.prefix(40)): cosine \(cosine)")
        }
    }
}
