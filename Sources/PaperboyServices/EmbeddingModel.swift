public import Foundation
public import PaperboyEmbed
import PaperboySecurity
import Synchronization

/// A loaded sentence-embedding model with the name its vectors are stored under (the folder's
/// name and its weights' checksum, so that vectors of other weights are never mixed in), and a
/// cache of query embeddings.
public final class EmbeddingModel: Sendable {
    /// The encoder.
    public let encoder: SentenceEncoder
    /// The name vectors are stored under, e.g. `all-MiniLM-L6-v2@53aa51172d142c89`.
    public let identity: String
    /// The folder it was loaded from.
    public let folder: String
    private let queries = Mutex<[String: [Float]]>([:])
    /// Query embeddings kept (the cache starts over when full).
    public static let cachedQueries = 4_096
    /// The word pieces of a query that are embedded (with `[CLS]` and `[SEP]`): a query is a few
    /// words, and a query of the 4,096 bytes the parser allows would otherwise cost a whole
    /// paper's embedding (about 70 ms of CPU) each time it is sent with a new word.
    public static let queryTokens = 64

    /// Loads the model in `folder`; its identity comes from the installer's receipt, or from the
    /// weights' sha256 for a folder the user put there.
    ///
    /// - Throws: ``ServiceError`` (`unavailable`) naming the file and what is wrong with it.
    public init(folder: String, threads: Int? = nil) throws(ServiceError) {
        do {
            self.encoder = try SentenceEncoder(folder: folder, threads: threads)
        } catch {
            throw ServiceError(.unavailable, "the embedding model in \(folder) cannot be used: \(error.message)")
        }
        self.folder = folder
        let name = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
        var checksum: String?
        if let receipt = FileManager.default.contents(atPath: folder + "/" + ModelInstaller.receiptName),
            let object = try? JSONSerialization.jsonObject(with: receipt) as? [String: Any],
            let checksums = object["checksums"] as? [String: String]
        {
            checksum = checksums["model.safetensors"]
        }
        if checksum == nil, let weights = FileManager.default.contents(atPath: folder + "/model.safetensors") {
            checksum = SHA256.hex(weights)
        }
        self.identity = name + "@" + String((checksum ?? "unknown").prefix(16))
    }

    /// The text of a paper that is embedded: its title and abstract.
    public static func text(title: String, abstract: String) -> String {
        abstract.isEmpty ? title : title + " " + abstract
    }

    /// The hash stored with a vector, to tell when the text changed.
    public static func textHash(_ text: String) -> String {
        String(SHA256.hex(Array(text.utf8)).prefix(32))
    }

    /// The embeddings of `texts`, in order, computed off the caller's thread.
    public func embed(_ texts: [String]) async -> [[Float]] {
        await self.encoder.embed(texts)
    }

    /// The embedding of a query (its first ``queryTokens`` word pieces), from the cache when it
    /// was asked before.
    public func embedQuery(_ text: String) async -> [Float] {
        if let cached = self.queries.withLock({ $0[text] }) { return cached }
        var ids = self.encoder.tokenizer.ids(text)
        if ids.count > Self.queryTokens {
            ids = Array(ids.prefix(Self.queryTokens - 1)) + [self.encoder.tokenizer.separatorID]
        }
        let vector = await self.encoder.embed(ids: [ids])[0]
        self.queries.withLock { cache in
            if cache.count >= Self.cachedQueries { cache.removeAll(keepingCapacity: true) }
            cache[text] = vector
        }
        return vector
    }
}
