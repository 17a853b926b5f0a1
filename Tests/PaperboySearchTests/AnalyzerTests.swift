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
            ("HELLO World", ["hello", "world"]),
            ("It is what it is.", ["what"]),
            ("", []),
            ("   ...   ", []),
            // Accents, ligatures, compatibility forms, German sharp s.
            ("Über Größe naïve café", ["uber", "gross", "naiv", "cafe"]),
            ("ﬁne-tuning", ["fine", "finetun", "tune"]),
            // Hyphens: the parts and the joined form.
            ("self-supervised learning", ["self", "selfsupervis", "supervis", "learn"]),
            ("Navier–Stokes equations", ["navier", "navierstok", "stoke", "equat"]),
            ("end- and -start", ["end", "start"]),
            // Numbers and versions.
            ("GPT-4o beats 3D baselines", ["gpt", "gpt4o", "4o", "beat", "3d", "baselin"]),
            ("2.5 times faster, v1.2 and x86-64", ["2.5", "time", "faster", "v1.2", "x86", "x8664", "64"]),
            ("e.g. the U.S.", ["e", "g", "u", "s"]),
            // Apostrophes.
            ("the model's weights and models’ outputs", ["model", "weight", "model", "output"]),
            ("don't", ["don't"]),
            // Greek letters by name, from Unicode or LaTeX.
            ("α-synuclein and β", ["alpha", "alphasynuclein", "synuclein", "beta"]),
            ("$\\alpha$-helix", ["alpha", "helix"]),
            ("µm and μ", ["mum", "mu"]),
            // Leftover LaTeX: style commands go, symbol names stay.
            ("$\\ell_p$-norm", ["ell", "p", "norm"]),
            ("\\mathcal{O}(n \\log n)", ["o", "n", "log", "n"]),
            ("\\textbf{Bold} claims", ["bold", "claim"]),
        ]
    )
    func terms(text: String, expected: [String]) {
        #expect(Self.analyzer.terms(text) == expected)
    }

    @Test("positions count stop words; a joined form sits on its first part; ranges point into the UTF-8")
    func positionsAndRanges() {
        let text = "Proof of Über self-supervised concept"
        let tokens = Self.analyzer.tokens(text)
        #expect(tokens.map(\.position) == [0, 2, 3, 3, 4, 5])
        #expect(tokens.map(\.isSynonym) == [false, false, false, true, false, false])
        let bytes = Array(text.utf8)
        #expect(
            tokens.map { String(decoding: bytes[$0.range], as: UTF8.self) } == [
                "Proof", "Über", "self", "self-supervised", "supervised", "concept",
            ]
        )
    }

    @Test("words longer than 64 bytes are dropped")
    func longWords() {
        let long = String(repeating: "x", count: 65)
        #expect(Self.analyzer.terms("short \(long) words") == ["short", "word"])
    }
}
