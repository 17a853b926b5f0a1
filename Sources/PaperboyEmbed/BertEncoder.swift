import CBLAS

/// A BERT encoder's forward pass: token, position and type embeddings with LayerNorm, then each
/// layer's self-attention and GELU feed-forward, each followed by a residual LayerNorm. Matrix
/// products go through OpenBLAS's `cblas_sgemm` on the calling thread.
///
/// A batch is its sequences' tokens stacked into one matrix, so the linear layers run as one
/// product over every token of the batch with no padding; attention runs per sequence and head.
/// The encoder is immutable and safe to use from several threads at once.
struct BertEncoder: Sendable {
    /// One encoder layer's weights. Linear weights are `[out, in]` row-major, as safetensors stores
    /// them: `y = x·Wᵀ + b`.
    struct Layer: Sendable {
        /// Query, key and value weights stacked (`[3·hidden, hidden]`), and their biases.
        var qkv: [Float], qkvBias: [Float]
        var attentionOutput: [Float], attentionOutputBias: [Float]
        var attentionNormGamma: [Float], attentionNormBeta: [Float]
        var intermediate: [Float], intermediateBias: [Float]
        var output: [Float], outputBias: [Float]
        var outputNormGamma: [Float], outputNormBeta: [Float]
    }

    let configuration: BertConfiguration
    let wordEmbeddings: [Float]
    let positionEmbeddings: [Float]
    let typeEmbeddings: [Float]
    let embeddingNormGamma: [Float], embeddingNormBeta: [Float]
    let layers: [Layer]

    /// Reads the weights from `file`, whose tensor names may carry a `bert.` prefix.
    init(configuration: BertConfiguration, file: SafeTensorsFile) throws(EmbedError) {
        self.configuration = configuration
        let prefix = file.tensors["embeddings.word_embeddings.weight"] == nil ? "bert." : ""
        let hidden = configuration.hiddenSize
        let inner = configuration.intermediateSize
        func tensor(_ name: String, _ shape: [Int]) throws(EmbedError) -> [Float] {
            try file.floats(prefix + name, shape: shape)
        }
        self.wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [configuration.vocabularySize, hidden])
        self.positionEmbeddings = try tensor(
            "embeddings.position_embeddings.weight", [configuration.maxPositions, hidden])
        self.typeEmbeddings = try tensor(
            "embeddings.token_type_embeddings.weight", [configuration.typeVocabularySize, hidden])
        self.embeddingNormGamma = try tensor("embeddings.LayerNorm.weight", [hidden])
        self.embeddingNormBeta = try tensor("embeddings.LayerNorm.bias", [hidden])
        var layers: [Layer] = []
        for index in 0..<configuration.layerCount {
            let name = "encoder.layer.\(index)."
            let query = try tensor(name + "attention.self.query.weight", [hidden, hidden])
            let key = try tensor(name + "attention.self.key.weight", [hidden, hidden])
            let value = try tensor(name + "attention.self.value.weight", [hidden, hidden])
            let queryBias = try tensor(name + "attention.self.query.bias", [hidden])
            let keyBias = try tensor(name + "attention.self.key.bias", [hidden])
            let valueBias = try tensor(name + "attention.self.value.bias", [hidden])
            layers.append(
                Layer(
                    qkv: query + key + value, qkvBias: queryBias + keyBias + valueBias,
                    attentionOutput: try tensor(name + "attention.output.dense.weight", [hidden, hidden]),
                    attentionOutputBias: try tensor(name + "attention.output.dense.bias", [hidden]),
                    attentionNormGamma: try tensor(name + "attention.output.LayerNorm.weight", [hidden]),
                    attentionNormBeta: try tensor(name + "attention.output.LayerNorm.bias", [hidden]),
                    intermediate: try tensor(name + "intermediate.dense.weight", [inner, hidden]),
                    intermediateBias: try tensor(name + "intermediate.dense.bias", [inner]),
                    output: try tensor(name + "output.dense.weight", [hidden, inner]),
                    outputBias: try tensor(name + "output.dense.bias", [hidden]),
                    outputNormGamma: try tensor(name + "output.LayerNorm.weight", [hidden]),
                    outputNormBeta: try tensor(name + "output.LayerNorm.bias", [hidden])))
        }
        self.layers = layers
    }

    /// The last layer's token vectors of each sequence of `batch`, pooled by `pool` (which gets a
    /// sequence's rows, `hidden` floats each, and writes one vector).
    ///
    /// Every id must be below the vocabulary size and no sequence longer than the positions.
    func encode(
        _ batch: [[Int32]], pool: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void
    ) -> [[Float]] {
        let hidden = self.configuration.hiddenSize
        let inner = self.configuration.intermediateSize
        let heads = self.configuration.headCount
        let headSize = hidden / heads
        let epsilon = self.configuration.layerNormEpsilon
        let total = batch.reduce(0) { $0 + $1.count }
        let longest = batch.map(\.count).max() ?? 0
        guard total > 0 else { return batch.map { _ in [Float](repeating: 0, count: hidden) } }
        var offsets: [Int] = []
        var offset = 0
        for sequence in batch {
            precondition(sequence.count <= self.configuration.maxPositions, "a sequence longer than the positions")
            offsets.append(offset)
            offset += sequence.count
        }

        let x = UnsafeMutablePointer<Float>.allocate(capacity: total * hidden)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: total * hidden)
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: total * 3 * hidden)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: total * hidden)
        let wide = UnsafeMutablePointer<Float>.allocate(capacity: total * inner)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: longest * longest)
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: longest)
        defer {
            for buffer in [x, y, qkv, context, wide, scores, sums] { buffer.deallocate() }
        }

        // Embeddings: word + position + type 0, then LayerNorm.
        self.wordEmbeddings.withUnsafeBufferPointer { words in
            self.positionEmbeddings.withUnsafeBufferPointer { positions in
                self.typeEmbeddings.withUnsafeBufferPointer { types in
                    for (index, sequence) in batch.enumerated() {
                        for (position, id) in sequence.enumerated() {
                            let row = x + (offsets[index] + position) * hidden
                            let word = words.baseAddress! + Int(id) * hidden
                            let place = positions.baseAddress! + position * hidden
                            for column in 0..<hidden { row[column] = word[column] + place[column] + types[column] }
                        }
                    }
                }
            }
        }
        Self.normalizeRows(
            x, into: x, rows: total, width: hidden, self.embeddingNormGamma, self.embeddingNormBeta, epsilon)

        let scale = 1 / Float(headSize).squareRoot()
        for layer in self.layers {
            // Queries, keys and values of every token in one product.
            Self.linear(x, rows: total, inputs: hidden, layer.qkv, outputs: 3 * hidden, bias: layer.qkvBias, into: qkv)
            for (index, sequence) in batch.enumerated() {
                let length = Int32(sequence.count)
                let base = qkv + offsets[index] * 3 * hidden
                for head in 0..<heads {
                    let query = base + head * headSize
                    let key = query + hidden
                    let value = query + 2 * hidden
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, length, length, Int32(headSize), scale, query,
                        Int32(3 * hidden), key, Int32(3 * hidden), 0, scores, length)
                    for row in 0..<sequence.count {
                        sums[row] = VectorKernels.exponentiate(scores + row * sequence.count, count: sequence.count)
                    }
                    let output = context + offsets[index] * hidden + head * headSize
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, length, Int32(headSize), length, 1, scores, length,
                        value, Int32(3 * hidden), 0, output, Int32(hidden))
                    // The softmax's division, on the head's 32 outputs instead of the row's scores.
                    for row in 0..<sequence.count {
                        let inverse = 1 / sums[row]
                        let slice = output + row * hidden
                        for column in 0..<headSize { slice[column] *= inverse }
                    }
                }
            }
            // Attention output, residual, LayerNorm.
            Self.residual(x, rows: total, width: hidden, bias: layer.attentionOutputBias, into: y)
            Self.product(context, rows: total, inputs: hidden, layer.attentionOutput, outputs: hidden, into: y)
            Self.normalizeRows(
                y, into: x, rows: total, width: hidden, layer.attentionNormGamma, layer.attentionNormBeta, epsilon)
            // Feed-forward with GELU, residual, LayerNorm.
            Self.linear(
                x, rows: total, inputs: hidden, layer.intermediate, outputs: inner, bias: layer.intermediateBias,
                into: wide)
            VectorKernels.gelu(wide, count: total * inner)
            Self.residual(x, rows: total, width: hidden, bias: layer.outputBias, into: y)
            Self.product(wide, rows: total, inputs: inner, layer.output, outputs: hidden, into: y)
            Self.normalizeRows(
                y, into: x, rows: total, width: hidden, layer.outputNormGamma, layer.outputNormBeta, epsilon)
        }

        return batch.indices.map { index in
            [Float](unsafeUninitializedCapacity: hidden) { vector, count in
                pool(x + offsets[index] * hidden, batch[index].count, vector.baseAddress!)
                count = hidden
            }
        }
    }

    /// `output = input·Wᵀ + bias` for `rows` rows.
    static func linear(
        _ input: UnsafePointer<Float>, rows: Int, inputs: Int, _ weights: [Float], outputs: Int, bias: [Float],
        into output: UnsafeMutablePointer<Float>
    ) {
        bias.withUnsafeBufferPointer { bias in
            for row in 0..<rows { (output + row * outputs).update(from: bias.baseAddress!, count: outputs) }
        }
        Self.product(input, rows: rows, inputs: inputs, weights, outputs: outputs, into: output)
    }

    /// Batches of at most this many tokens multiply by the weights without OpenBLAS (see
    /// ``VectorKernels/smallProduct(_:rows:inputs:_:outputs:into:)``).
    static let smallProductRows = 32

    /// `output += input·Wᵀ`.
    static func product(
        _ input: UnsafePointer<Float>, rows: Int, inputs: Int, _ weights: [Float], outputs: Int,
        into output: UnsafeMutablePointer<Float>
    ) {
        weights.withUnsafeBufferPointer { weights in
            if rows <= Self.smallProductRows {
                VectorKernels.smallProduct(
                    input, rows: rows, inputs: inputs, weights.baseAddress!, outputs: outputs, into: output)
                return
            }
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1, input,
                Int32(inputs), weights.baseAddress!, Int32(inputs), 1, output, Int32(outputs))
        }
    }

    /// `output = input + bias`, row by row (the residual a product is then added to).
    static func residual(
        _ input: UnsafePointer<Float>, rows: Int, width: Int, bias: [Float], into output: UnsafeMutablePointer<Float>
    ) {
        bias.withUnsafeBufferPointer { bias in
            for row in 0..<rows {
                let source = input + row * width
                let target = output + row * width
                var column = 0
                while column < width {
                    VectorKernels.store(
                        VectorKernels.load(source + column) + VectorKernels.load(bias.baseAddress! + column),
                        target + column)
                    column += 8
                }
            }
        }
    }

    static func normalizeRows(
        _ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        _ gamma: [Float], _ beta: [Float], _ epsilon: Float
    ) {
        gamma.withUnsafeBufferPointer { gamma in
            beta.withUnsafeBufferPointer { beta in
                for row in 0..<rows {
                    VectorKernels.layerNorm(
                        input + row * width, into: output + row * width, count: width, gamma: gamma.baseAddress!,
                        beta: beta.baseAddress!, epsilon: epsilon)
                }
            }
        }
    }
}
