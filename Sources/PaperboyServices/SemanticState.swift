import PaperboyEmbed
import Synchronization

/// Whether search by meaning is live, and the vectors once they are: set by the background job
/// that fetches the model and embeds the papers, read by every search and by `/health`.
public final class SemanticState: Sendable {
    /// Where search by meaning stands.
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        /// No model, and it will not be fetched (`--no-model-fetch`, or no way to fetch it).
        case off(reason: String)
        /// The model is being fetched.
        case fetching
        /// The model is loaded; papers are being embedded (done of total changes).
        case embedding(done: Int, total: Int)
        /// Vectors are live for every paper.
        case live
        /// The model or its vectors failed; keyword search only.
        case failed(reason: String)

        public var description: String {
            switch self {
            case .off(let reason): "keyword only: \(reason)"
            case .fetching: "keyword only: fetching the embedding model"
            case .embedding(let done, let total):
                "embedding papers (\(done) of \(total)); semantic search on those done"
            case .live: "semantic and hybrid search live"
            case .failed(let reason): "keyword only: \(reason)"
            }
        }
    }

    private let state = Mutex<(vectors: PaperVectors?, status: Status)>(
        (nil, .off(reason: "no embedding model loaded")))

    /// Nothing loaded yet.
    public init(status: Status = .off(reason: "no embedding model loaded")) {
        self.state.withLock { $0.status = status }
    }

    /// The vectors, once a model is loaded (searches use them while they are being filled).
    public var vectors: PaperVectors? { self.state.withLock { $0.vectors } }

    /// How many papers have a vector in the snapshot searched.
    public var vectorCount: Int { self.vectors?.snapshot.count ?? 0 }

    /// Where it stands.
    public var status: Status { self.state.withLock { $0.status } }

    /// Makes `vectors` the ones searched.
    public func attach(_ vectors: PaperVectors) {
        self.state.withLock { $0.vectors = vectors }
    }

    /// Records where it stands.
    public func update(_ status: Status) {
        self.state.withLock { $0.status = status }
    }

    /// The modes a search can use now: keyword always; semantic and hybrid once some papers have
    /// vectors.
    public var liveModes: [SearchMode] {
        guard let vectors = self.vectors, vectors.snapshot.count > 0 else { return [.keyword] }
        return [.keyword, .semantic, .hybrid]
    }
}
