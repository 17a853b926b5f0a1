import Foundation
import PaperboyTesting
import Testing

@testable import PaperboyEmbed

@Suite("BERT encoder")
struct EncoderTests {
    @Test("a small random BERT gives the vectors a plain reference forward pass gives")
    func matchesReference() throws {
        let directory = try TemporaryDirectory()
        let model = TinyBert(seed: 7)
        try model.write(to: directory.path)
        let encoder = try SentenceEncoder(folder: directory.path, threads: 1)
        #expect(encoder.dimension == 16)
        for text in ["the model", "Diffusion models, fast.", "a", "the the the diffusions model a fast ,"] {
            let ids = encoder.tokenizer.ids(text)
            let vector = encoder.embedHere([text])[0]
            let expected = model.reference(ids.map(Int.init))
            let cosine = zip(vector, expected).reduce(0.0) { $0 + Double($1.0) * $1.1 }
            #expect(cosine > 0.99999, "\(text): cosine \(cosine)")
            for (got, want) in zip(vector, expected) { #expect(abs(Double(got) - want) < 1e-4, "\(text)") }
        }
    }

    @Test("vectors do not depend on the batch a text is in, or on the threads")
    func batchingInvariance() throws {
        let directory = try TemporaryDirectory()
        try TinyBert(seed: 11).write(to: directory.path)
        let texts = (0..<40).map { n in
            Array(repeating: ["the", "model", "diffusion", "fast", "a"][n % 5], count: 1 + n % 13).joined(
                separator: " ")
        }
        let one = try SentenceEncoder(folder: directory.path, threads: 1)
        let two = try SentenceEncoder(folder: directory.path, threads: 2)
        let alone = texts.map { one.embedHere([$0])[0] }
        let together = two.embedHere(texts)
        #expect(together.count == texts.count)
        for (a, b) in zip(alone, together) {
            for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-5) }
        }
        #expect(one.batches(texts.map { one.tokenizer.ids($0) }).count == 1)
        #expect(two.batches(texts.map { two.tokenizer.ids($0) }).count >= 2)
    }

    @Test("the async call matches the blocking one; CLS pooling takes the first token")
    func asyncAndPooling() async throws {
        let directory = try TemporaryDirectory()
        try TinyBert(seed: 3).write(to: directory.path, pooling: "cls")
        let encoder = try SentenceEncoder(folder: directory.path)
        #expect(encoder.pooling == .cls)
        let vectors = await encoder.embed(["fast model", "the"])
        #expect(vectors == encoder.embedHere(["fast model", "the"]))
        let length = vectors[0].reduce(0) { $0 + $1 * $1 }
        #expect(abs(length - 1) < 1e-5)
    }

    @Test("a model folder that cannot be run says which file and what")
    func badFolders() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: EmbedError.self) { try SentenceEncoder(folder: directory.path) }
        do {
            _ = try SentenceEncoder(folder: directory.path)
        } catch {
            #expect(error.code == .fileUnreadable)
            #expect(error.message.contains("config.json"))
        }
        let model = TinyBert(seed: 1)
        try model.write(to: directory.path)
        // A tensor of the wrong shape.
        var tensors = model.tensors.mapValues { ("F32", $0.shape, $0.values) }
        tensors["encoder.layer.1.output.dense.weight"]!.1 = [32, 16]
        try TinyBert.safetensors(tensors).write(to: URL(fileURLWithPath: directory.path + "/model.safetensors"))
        do {
            _ = try SentenceEncoder(folder: directory.path)
            Issue.record("a misshapen tensor loaded")
        } catch {
            #expect(error.code == .unsupportedModel)
            #expect(error.message.contains("encoder.layer.1.output.dense.weight"), "\(error.message)")
            #expect(error.message.contains("[32, 16]"))
        }
        // Another architecture.
        try
            #"{"model_type": "roberta", "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 8, "max_position_embeddings": 8, "vocab_size": 12, "type_vocab_size": 1, "layer_norm_eps": 1e-5, "hidden_act": "gelu"}"#
            .write(toFile: directory.path + "/config.json", atomically: true, encoding: .utf8)
        do {
            _ = try SentenceEncoder(folder: directory.path)
            Issue.record("a RoBERTa config loaded")
        } catch {
            #expect(error.code == .unsupportedModel)
            #expect(error.message.contains("roberta"))
        }
        try "{\"hidden_size\": \"big\"}".write(
            toFile: directory.path + "/config.json", atomically: true, encoding: .utf8)
        do {
            _ = try SentenceEncoder(folder: directory.path)
            Issue.record("a malformed config loaded")
        } catch {
            #expect(error.code == .fileMalformed)
            #expect(error.message.contains("config.json"))
        }
    }
}
