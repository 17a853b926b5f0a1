import Foundation

/// The shape of a BERT encoder, from a model folder's `config.json`.
public struct BertConfiguration: Sendable, Hashable, Decodable {
    /// Width of every token's vector (384 for MiniLM-L6).
    public let hiddenSize: Int
    /// Encoder layers.
    public let layerCount: Int
    /// Attention heads per layer; `hiddenSize` divides into them.
    public let headCount: Int
    /// Width of the feed-forward layer.
    public let intermediateSize: Int
    /// Positions the model has embeddings for.
    public let maxPositions: Int
    /// Pieces in the vocabulary.
    public let vocabularySize: Int
    /// Token types (segments) the model has embeddings for.
    public let typeVocabularySize: Int
    /// LayerNorm's epsilon.
    public let layerNormEpsilon: Float
    /// The feed-forward activation; only `gelu` is run.
    public let activation: String
    /// `bert` for the models this library runs.
    public let modelType: String?
    /// How positions are embedded; only `absolute` is run.
    public let positionEmbeddingType: String?

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case maxPositions = "max_position_embeddings"
        case vocabularySize = "vocab_size"
        case typeVocabularySize = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps"
        case activation = "hidden_act"
        case modelType = "model_type"
        case positionEmbeddingType = "position_embedding_type"
    }

    /// Reads and checks `config.json` at `path`.
    public init(file path: String) throws(EmbedError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EmbedError(.fileUnreadable, "\(path): cannot read")
        }
        do {
            self = try JSONDecoder().decode(Self.self, from: data)
        } catch {
            throw EmbedError(.fileMalformed, "\(path): \(Self.describe(error))")
        }
        if let type = self.modelType, type != "bert" {
            throw EmbedError(.unsupportedModel, "\(path): model_type is \"\(type)\"; only BERT models run")
        }
        guard self.activation == "gelu" else {
            throw EmbedError(.unsupportedModel, "\(path): hidden_act is \"\(self.activation)\"; only gelu runs")
        }
        if let type = self.positionEmbeddingType, type != "absolute" {
            throw EmbedError(.unsupportedModel, "\(path): position_embedding_type \"\(type)\" is not run")
        }
        guard self.hiddenSize > 0, self.headCount > 0, self.hiddenSize % self.headCount == 0,
            self.hiddenSize % 8 == 0, self.layerCount > 0, self.intermediateSize > 0, self.maxPositions > 1,
            self.vocabularySize > 0, self.typeVocabularySize > 0
        else {
            throw EmbedError(
                .unsupportedModel,
                "\(path): hidden_size \(self.hiddenSize) with \(self.headCount) heads, \(self.layerCount) layers is not a shape this runs"
            )
        }
    }

    /// A decoding error as one line: the key and what was wrong with it.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "\"\(path)\": \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        default: return "\(error)"
        }
    }
}
