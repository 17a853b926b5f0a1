import Foundation

/// A small BERT with random weights written as a sentence-transformers folder (config, vocabulary,
/// safetensors), and a plain reference forward pass in Double to check the encoder against.
struct TinyBert {
    let hidden = 16, heads = 2, layers = 2, inner = 32, positions = 24
    let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "model", "diffusion", "##s", "fast", "a", ",", "."]
    var tensors: [String: (shape: [Int], values: [Float])] = [:]

    init(seed: UInt64) {
        var state = seed
        func random() -> Float {
            // SplitMix64, mapped to [-0.5, 0.5).
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(z >> 40) / Float(1 << 24) - 0.5
        }
        func add(_ name: String, _ shape: [Int], around center: Float = 0) {
            self.tensors[name] = (shape, (0..<shape.reduce(1, *)).map { _ in center + random() })
        }
        add("embeddings.word_embeddings.weight", [self.vocabulary.count, self.hidden])
        add("embeddings.position_embeddings.weight", [self.positions, self.hidden])
        add("embeddings.token_type_embeddings.weight", [2, self.hidden])
        add("embeddings.LayerNorm.weight", [self.hidden], around: 1)
        add("embeddings.LayerNorm.bias", [self.hidden])
        for layer in 0..<self.layers {
            let name = "encoder.layer.\(layer)."
            for part in ["query", "key", "value"] {
                add(name + "attention.self.\(part).weight", [self.hidden, self.hidden])
                add(name + "attention.self.\(part).bias", [self.hidden])
            }
            add(name + "attention.output.dense.weight", [self.hidden, self.hidden])
            add(name + "attention.output.dense.bias", [self.hidden])
            add(name + "attention.output.LayerNorm.weight", [self.hidden], around: 1)
            add(name + "attention.output.LayerNorm.bias", [self.hidden])
            add(name + "intermediate.dense.weight", [self.inner, self.hidden])
            add(name + "intermediate.dense.bias", [self.inner])
            add(name + "output.dense.weight", [self.hidden, self.inner])
            add(name + "output.dense.bias", [self.hidden])
            add(name + "output.LayerNorm.weight", [self.hidden], around: 1)
            add(name + "output.LayerNorm.bias", [self.hidden])
        }
    }

    /// Writes the folder into `directory`.
    func write(to directory: String, maxSequenceLength: Int = 16, pooling: String = "mean") throws {
        let config: [String: Any] = [
            "model_type": "bert", "hidden_size": self.hidden, "num_hidden_layers": self.layers,
            "num_attention_heads": self.heads, "intermediate_size": self.inner,
            "max_position_embeddings": self.positions, "vocab_size": self.vocabulary.count, "type_vocab_size": 2,
            "layer_norm_eps": 1e-12, "hidden_act": "gelu", "position_embedding_type": "absolute",
        ]
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: directory + "/config.json"))
        try JSONSerialization.data(withJSONObject: ["max_seq_length": maxSequenceLength]).write(
            to: URL(fileURLWithPath: directory + "/sentence_bert_config.json"))
        try FileManager.default.createDirectory(atPath: directory + "/1_Pooling", withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: [
            "pooling_mode_mean_tokens": pooling == "mean", "pooling_mode_cls_token": pooling == "cls",
        ]).write(to: URL(fileURLWithPath: directory + "/1_Pooling/config.json"))
        try (self.vocabulary.joined(separator: "\n") + "\n").write(
            toFile: directory + "/vocab.txt", atomically: true, encoding: .utf8)
        try Self.safetensors(self.tensors.mapValues { ("F32", $0.shape, $0.values) }).write(
            to: URL(fileURLWithPath: directory + "/model.safetensors"))
    }

    /// A safetensors file of `tensors` (little-endian floats; names in sorted order).
    static func safetensors(_ tensors: [String: (dtype: String, shape: [Int], values: [Float])]) -> Data {
        var header: [String: Any] = ["__metadata__": ["format": "pt"]]
        var body = Data()
        for name in tensors.keys.sorted() {
            let tensor = tensors[name]!
            let start = body.count
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { body.append(contentsOf: $0) }
            }
            header[name] = ["dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [start, body.count]]
        }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        return file + json + body
    }

    /// The mean-pooled, L2-normalised vector of `ids` by plain loops in Double.
    func reference(_ ids: [Int]) -> [Double] {
        func weights(_ name: String) -> [Double] { self.tensors[name]!.values.map(Double.init) }
        func norm(_ rows: [[Double]], _ prefix: String) -> [[Double]] {
            let gamma = weights(prefix + ".weight")
            let beta = weights(prefix + ".bias")
            return rows.map { row in
                let mean = row.reduce(0, +) / Double(row.count)
                let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(row.count)
                return row.indices.map { (row[$0] - mean) / (variance + 1e-12).squareRoot() * gamma[$0] + beta[$0] }
            }
        }
        func linear(_ rows: [[Double]], _ prefix: String, outputs: Int) -> [[Double]] {
            let w = weights(prefix + ".weight")
            let b = weights(prefix + ".bias")
            let inputs = rows[0].count
            return rows.map { row in
                (0..<outputs).map { o in
                    var sum: Double = b[o]
                    for i in 0..<inputs { sum += row[i] * w[o * inputs + i] }
                    return sum
                }
            }
        }
        let word = weights("embeddings.word_embeddings.weight")
        let position = weights("embeddings.position_embeddings.weight")
        let type = weights("embeddings.token_type_embeddings.weight")
        var x: [[Double]] = ids.enumerated().map { (place: Int, id: Int) -> [Double] in
            (0..<self.hidden).map { (c: Int) -> Double in
                word[id * self.hidden + c] + position[place * self.hidden + c] + type[c]
            }
        }
        x = norm(x, "embeddings.LayerNorm")
        let size = self.hidden / self.heads
        for layer in 0..<self.layers {
            let name = "encoder.layer.\(layer)."
            let q = linear(x, name + "attention.self.query", outputs: self.hidden)
            let k = linear(x, name + "attention.self.key", outputs: self.hidden)
            let v = linear(x, name + "attention.self.value", outputs: self.hidden)
            var context = Array(repeating: Array(repeating: 0.0, count: self.hidden), count: ids.count)
            for head in 0..<self.heads {
                let columns = (head * size)..<((head + 1) * size)
                for i in ids.indices {
                    let scores: [Double] = ids.indices.map { (j: Int) -> Double in
                        var dot = 0.0
                        for c in columns { dot += q[i][c] * k[j][c] }
                        return dot / Double(size).squareRoot()
                    }
                    let top = scores.max()!
                    let exps = scores.map { Foundation.exp($0 - top) }
                    let sum = exps.reduce(0, +)
                    for c in columns {
                        var value = 0.0
                        for j in ids.indices { value += exps[j] / sum * v[j][c] }
                        context[i][c] = value
                    }
                }
            }
            let attended = linear(context, name + "attention.output.dense", outputs: self.hidden)
            x = norm(Self.add(x, attended), name + "attention.output.LayerNorm")
            let wide = linear(x, name + "intermediate.dense", outputs: self.inner).map { row in
                row.map { $0 * 0.5 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }
            }
            let out = linear(wide, name + "output.dense", outputs: self.hidden)
            x = norm(Self.add(x, out), name + "output.LayerNorm")
        }
        var mean = Array(repeating: 0.0, count: self.hidden)
        for row in x {
            for c in 0..<self.hidden { mean[c] += row[c] / Double(x.count) }
        }
        let length = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return mean.map { $0 / length }
    }

    static func add(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        zip(a, b).map { pair in zip(pair.0, pair.1).map { $0 + $1 } }
    }
}
