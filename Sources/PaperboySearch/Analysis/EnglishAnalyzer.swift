import Synchronization

/// The analyzer for English text: ``Tokenizer`` words, the possessive `'s` dropped, stop words
/// dropped, the rest stemmed with ``Porter2Stemmer`` (words with digits stay as they are).
///
/// Stems are cached, so analysing a large collection costs one stemming per distinct word.
public struct EnglishAnalyzer: Analyzer {
    private let stopWords: Set<String>
    private let cache: StemCache
    private let stemmer = Porter2Stemmer()

    /// Creates an analyzer with ``StopWords/english`` unless told otherwise.
    public init(stopWords: Set<String> = StopWords.english) {
        self.stopWords = stopWords
        self.cache = StemCache()
    }

    public func words(in text: String, _ body: (Word) -> Void) {
        Tokenizer.words(in: text, body)
    }

    public func term(for word: UnsafeBufferPointer<UInt8>) -> String? {
        let key = String(decoding: word, as: UTF8.self)
        if let cached = self.cache.term(for: key) { return cached.isEmpty ? nil : cached }
        let term = self.computeTerm(word)
        self.cache.insert(term ?? "", for: key)
        return term
    }

    private func computeTerm(_ word: UnsafeBufferPointer<UInt8>) -> String? {
        var bytes = Array(word)
        // The possessive: "model's" → "model", "models'" → "models".
        if bytes.count > 2, bytes[bytes.count - 2] == 0x27, bytes[bytes.count - 1] == 0x73 {
            bytes.removeLast(2)
        } else if bytes.count > 1, bytes.last == 0x27 {
            bytes.removeLast()
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if self.stopWords.contains(text) { return nil }
        guard bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x27 }) else { return text }
        return self.stemmer.stem(&bytes) ? String(decoding: bytes, as: UTF8.self) : text
    }
}

/// Terms of words seen so far, shared by the copies of an analyzer; a stop word maps to "".
final class StemCache: Sendable {
    private let table = Mutex<[String: String]>([:])
    /// A bound on memory; a collection's vocabulary rarely comes near it.
    static let capacity = 1 << 20

    func term(for word: String) -> String? {
        self.table.withLock { $0[word] }
    }

    func insert(_ term: String, for word: String) {
        self.table.withLock { table in
            if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
            table[word] = term
        }
    }
}
