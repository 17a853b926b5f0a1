import Foundation
import Synchronization

/// The analyzer for English text: split into words of letters and digits, lower-case, fold
/// accents and compatibility forms (NFKD, marks dropped), drop stop words, stem with
/// ``Porter2Stemmer``.
///
/// Stems are cached, so analysing a large collection costs one stemming per distinct word.
public struct EnglishAnalyzer: Analyzer {
    private let stopWords: Set<String>
    private let cache: StemCache
    private let stemmer = Porter2Stemmer()

    /// The longest token kept, in bytes; longer runs are noise (hashes, encodings).
    public static let maxTokenBytes = 64

    /// Creates an analyzer with ``StopWords/english`` unless told otherwise.
    public init(stopWords: Set<String> = StopWords.english) {
        self.stopWords = stopWords
        self.cache = StemCache()
    }

    public func analyze(_ text: String, _ body: (Token) -> Void) {
        var position = 0
        Tokenizer.words(in: text) { word, range in
            defer { position += 1 }
            guard word.utf8.count <= Self.maxTokenBytes, let term = self.term(for: word) else { return }
            body(Token(term: term, position: position, range: range))
        }
    }

    /// The stem of a folded, lower-case word, or `nil` for a stop word; words with digits or
    /// non-ASCII letters stay as they are. One cache lookup answers both questions.
    func term(for word: String) -> String? {
        if let cached = self.cache.stem(of: word) { return cached.isEmpty ? nil : cached }
        let term = self.stopWords.contains(word) ? "" : self.stemmer.stem(word)
        self.cache.insert(term, for: word)
        return term.isEmpty ? nil : term
    }
}

/// Stems seen so far, shared by the copies of an analyzer; a stop word maps to "".
final class StemCache: Sendable {
    private let table = Mutex<[String: String]>([:])
    /// A bound on memory; a collection's vocabulary rarely comes near it.
    static let capacity = 1 << 20

    func stem(of word: String) -> String? {
        self.table.withLock { $0[word] }
    }

    func insert(_ stem: String, for word: String) {
        self.table.withLock { table in
            if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
            table[word] = stem
        }
    }
}
