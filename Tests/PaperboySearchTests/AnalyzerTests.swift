import PaperboySearch
import Testing

@Suite("Analysis")
struct AnalyzerTests {
    static let analyzer = EnglishAnalyzer()

    @Test(
        "text becomes terms",
        arguments: [
            ("Diffusion Models for Images", ["diffus", "model", "imag"]),
            ("The cat and the hat", ["cat", "hat"]),
            ("Über Größe naïve café", ["uber", "gross", "naiv", "cafe"]),
            ("GPT-4o beats 3D baselines", ["gpt", "4o", "beat", "3d", "baselin"]),
            ("α-β pruning", ["α", "β", "prune"]),
            ("ﬁne-tuning", ["fine", "tune"]),
            ("", []),
            ("   ...   ", []),
            ("It is what it is.", ["what"]),
            ("HELLO World", ["hello", "world"]),
        ]
    )
    func terms(text: String, expected: [String]) {
        #expect(Self.analyzer.terms(text) == expected)
    }

    @Test("positions count stop words and ranges point into the UTF-8")
    func positionsAndRanges() {
        let text = "Proof of Über concept"
        let tokens = Self.analyzer.tokens(text)
        #expect(tokens.map(\.position) == [0, 2, 3])
        let bytes = Array(text.utf8)
        #expect(tokens.map { String(decoding: bytes[$0.range], as: UTF8.self) } == ["Proof", "Über", "concept"])
    }

    @Test("words longer than 64 bytes are dropped")
    func longWords() {
        let long = String(repeating: "x", count: 65)
        #expect(Self.analyzer.terms("short \(long) words") == ["short", "word"])
    }
}
