import Foundation

/// BERT's tokenizer, as Hugging Face's `BertNormalizer`, `BertPreTokenizer` and `WordPiece`
/// models run it: control characters dropped and white space made a plain space; CJK ideographs
/// made words of their own; accents stripped (NFD, non-spacing marks removed) and the text
/// lower-cased when the model is uncased; words split at white space and at every punctuation
/// character; each word cut into the longest vocabulary pieces from its start (`##` marks a piece
/// inside a word), or `[UNK]` when it cannot be, or when it is longer than 100 characters; then
/// `[CLS]` … `[SEP]`, truncated to ``maxLength`` ids in all.
public struct WordPieceTokenizer: Sendable {
    /// Every piece of the vocabulary with its id (its line in `vocab.txt`, from 0).
    public let vocabulary: [String: Int32]
    /// The most ids one text becomes, `[CLS]` and `[SEP]` included.
    public let maxLength: Int
    /// Whether the text is lower-cased and its accents stripped (an uncased model).
    public let lowercases: Bool
    /// The ids of `[CLS]`, `[SEP]` and `[UNK]`.
    public let classID: Int32, separatorID: Int32, unknownID: Int32
    /// Words longer than this many characters are `[UNK]`.
    public static let maxCharactersPerWord = 100

    /// A tokenizer over `vocabulary`.
    public init(vocabulary: [String: Int32], maxLength: Int, lowercases: Bool = true) throws(EmbedError) {
        guard let classID = vocabulary["[CLS]"], let separatorID = vocabulary["[SEP]"],
            let unknownID = vocabulary["[UNK]"]
        else { throw EmbedError(.unsupportedModel, "vocab.txt: [CLS], [SEP] or [UNK] is missing") }
        guard maxLength >= 2 else { throw EmbedError(.unsupportedModel, "max_seq_length \(maxLength) leaves no room") }
        self.vocabulary = vocabulary
        self.maxLength = maxLength
        self.lowercases = lowercases
        self.classID = classID
        self.separatorID = separatorID
        self.unknownID = unknownID
    }

    /// A tokenizer over the vocabulary file at `path` (one piece per line).
    public init(vocabularyFile path: String, maxLength: Int, lowercases: Bool = true) throws(EmbedError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EmbedError(.fileUnreadable, "\(path): cannot read")
        }
        var vocabulary: [String: Int32] = [:]
        var id: Int32 = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let piece = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if !piece.isEmpty, vocabulary[piece] == nil { vocabulary[piece] = id }
            id += 1
        }
        try self.init(vocabulary: vocabulary, maxLength: maxLength, lowercases: lowercases)
    }

    /// The ids of `text`: `[CLS]`, its pieces (as many as fit), `[SEP]`.
    public func ids(_ text: String) -> [Int32] {
        var ids: [Int32] = [self.classID]
        let room = self.maxLength - 2
        words: for word in self.words(text) {
            for id in self.pieces(of: word) {
                if ids.count - 1 >= room { break words }
                ids.append(id)
            }
        }
        ids.append(self.separatorID)
        return ids
    }

    /// The words of `text` after normalisation, before WordPiece.
    public func words(_ text: String) -> [[Unicode.Scalar]] {
        // Clean: drop NUL, U+FFFD and control characters; every white space is a space; CJK
        // ideographs get spaces around them.
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0 || value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if Self.isCJK(value) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        var normalized = cleaned
        if self.lowercases {
            // Accents off (canonical decomposition, non-spacing marks dropped), then lower case.
            var text = String.UnicodeScalarView()
            text.append(contentsOf: cleaned)
            let decomposed = String(text).decomposedStringWithCanonicalMapping
            normalized = []
            normalized.reserveCapacity(cleaned.count)
            for scalar in decomposed.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
                if scalar.properties.changesWhenLowercased {
                    normalized.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                } else {
                    normalized.append(scalar)
                }
            }
        }
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in normalized {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { words.append(current) }
                current = []
            } else if Self.isPunctuation(scalar) {
                if !current.isEmpty { words.append(current) }
                current = []
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The vocabulary ids of `word`: the longest pieces from its start, or `[UNK]` alone.
    func pieces(of word: [Unicode.Scalar]) -> [Int32] {
        guard word.count <= Self.maxCharactersPerWord else { return [self.unknownID] }
        var ids: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while end > start {
                var piece = String.UnicodeScalarView()
                if start > 0 { piece.append(contentsOf: "##".unicodeScalars) }
                piece.append(contentsOf: word[start..<end])
                if let id = self.vocabulary[String(piece)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [self.unknownID] }
            ids.append(found)
            start = end
        }
        return ids
    }

    /// Control characters (every "other" category) except tab, newline and carriage return, which
    /// count as white space.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r": return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// ASCII punctuation (symbols such as `$`, `+`, `^` included) and every Unicode punctuation
    /// category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
        {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// CJK ideographs (the Unicode blocks BERT's tokenizer treats as Chinese characters).
    static func isCJK(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x2A6DF).contains(value)
            || (0x2A700...0x2B73F).contains(value) || (0x2B740...0x2B81F).contains(value)
            || (0x2B820...0x2CEAF).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0x2F800...0x2FA1F).contains(value)
    }
}
