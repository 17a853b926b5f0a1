import Testing

@testable import PaperboyEmbed

@Suite("WordPiece tokenizer")
struct WordPieceTokenizerTests {
    static let pieces = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "caf", "##e", "naive", "state", "-", "of", "the", "art", "(", ")", "中",
        "文", "un", "##aff", "##able", "x", "##y", "$", "…",
    ]
    static func tokenizer(maxLength: Int = 64, lowercases: Bool = true) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(
            vocabulary: Dictionary(uniqueKeysWithValues: Self.pieces.enumerated().map { ($1, Int32($0)) }),
            maxLength: maxLength, lowercases: lowercases)
    }
    func pieces(_ ids: [Int32]) -> [String] { ids.map { Self.pieces[Int($0)] } }

    @Test("accents stripped, lower-cased, punctuation and CJK ideographs split, pieces longest first")
    func normalisation() throws {
        let tokenizer = try Self.tokenizer()
        #expect(self.pieces(tokenizer.ids("Café NAÏVE")) == ["[CLS]", "caf", "##e", "naive", "[SEP]"])
        #expect(
            self.pieces(tokenizer.ids("state-of-the-art (x)"))
                == ["[CLS]", "state", "-", "of", "-", "the", "-", "art", "(", "x", ")", "[SEP]"])
        #expect(self.pieces(tokenizer.ids("中文unaffable")) == ["[CLS]", "中", "文", "un", "##aff", "##able", "[SEP]"])
        // ASCII symbols count as punctuation; … is punctuation; a control character goes.
        #expect(self.pieces(tokenizer.ids("$x…\u{0007}xy")) == ["[CLS]", "$", "x", "…", "x", "##y", "[SEP]"])
        // White space of any kind separates words.
        #expect(self.pieces(tokenizer.ids("x\u{2028}x\u{00A0}x\tx")) == ["[CLS]", "x", "x", "x", "x", "[SEP]"])
    }

    @Test("a word with no piece for part of it, or over 100 characters, is [UNK]; a cased model keeps case")
    func unknownWords() throws {
        let tokenizer = try Self.tokenizer()
        #expect(self.pieces(tokenizer.ids("unaffablez x")) == ["[CLS]", "[UNK]", "x", "[SEP]"])
        #expect(self.pieces(tokenizer.ids(String(repeating: "x", count: 101))) == ["[CLS]", "[UNK]", "[SEP]"])
        let cased = try Self.tokenizer(lowercases: false)
        #expect(self.pieces(cased.ids("X x")) == ["[CLS]", "[UNK]", "x", "[SEP]"])
    }

    @Test("truncated to the sequence length with [SEP] kept; empty text is [CLS] [SEP]")
    func truncation() throws {
        let tokenizer = try Self.tokenizer(maxLength: 5)
        #expect(self.pieces(tokenizer.ids("x x x x x x")) == ["[CLS]", "x", "x", "x", "[SEP]"])
        #expect(self.pieces(tokenizer.ids("unaffable unaffable")) == ["[CLS]", "un", "##aff", "##able", "[SEP]"])
        #expect(self.pieces(tokenizer.ids("")) == ["[CLS]", "[SEP]"])
        #expect(self.pieces(tokenizer.ids("\u{0000}\u{FFFD}")) == ["[CLS]", "[SEP]"])
    }
}
