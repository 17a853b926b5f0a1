import Testing

@testable import PaperboyModel

@Suite("Paper ids and titles")
struct PaperIDTests {
    @Test("an arXiv id drops its version")
    func arxiv() throws {
        let id = try PaperID(parsing: "2101.11408v3")
        #expect(id.rawValue == "2101.11408")
        #expect(id.arxivID?.base == "2101.11408")
        #expect(!id.isTitleDerived)
        #expect(id.scheme == nil)
    }

    @Test("title ids are stable and ignore case, accents, punctuation and LaTeX")
    func titleIDs() throws {
        let a = PaperID(title: "Feynman-Kac Correctors in Diffusion: Annealing, Guidance, and Product of Experts")
        let b = PaperID(title: "  feynman kac correctors in DIFFUSION annealing guidance and product of experts ")
        #expect(a == b)
        #expect(a.rawValue.hasPrefix("t-") && a.rawValue.count == 18)
        #expect(a.isTitleDerived)
        #expect(a.arxivID == nil)
        #expect(try PaperID(parsing: a.rawValue) == a)
        #expect(PaperID(title: "Café au lait") == PaperID(title: "Cafe au Lait"))
        #expect(PaperID(title: "$\\mathcal{D}$iffusion models") == PaperID(title: "Diffusion Models"))
        #expect(PaperID(title: "Diffusion models") != PaperID(title: "Diffusion modes"))
    }

    @Test("the title id is the same in every process")
    func stableAcrossRuns() {
        // FNV-1a of "attention is all you need"; a change here breaks every stored title id.
        #expect(PaperID(title: "Attention Is All You Need").rawValue == "t-" + Self.fnv("attention is all you need"))
    }

    @Test(
        "registry ids keep their scheme and value",
        arguments: [
            ("openalex:W7159160036", "openalex", "https://openalex.org/W7159160036"),
            (
                "s2:01e1f514b9edba71552b025c2c8890fdf7717365", "s2",
                "https://www.semanticscholar.org/paper/01e1f514b9edba71552b025c2c8890fdf7717365"
            ),
            ("doi:10.1000/xyz123", "doi", "https://doi.org/10.1000/xyz123"),
        ]
    )
    func registry(text: String, scheme: String, url: String) throws {
        let id = try PaperID(parsing: text)
        #expect(id.rawValue == text)
        #expect(id.scheme == scheme)
        #expect(id.registryURL == url)
        #expect(id.arxivID == nil)
    }

    @Test(
        "malformed ids say why",
        arguments: [
            ("Bad:x", "scheme"), ("s2:", "value"), ("s2:has space", "value"), ("t-123", "16 hex digits"),
            ("hello", "not a paper id"), ("2113.00001", "month 13"),
        ]
    )
    func invalid(text: String, reason: String) {
        #expect(throws: ModelError.self) { try PaperID(parsing: text) }
        do {
            _ = try PaperID(parsing: text)
        } catch {
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test(
        "title normalisation",
        arguments: [
            ("Hello, World!", "hello world"),
            ("  Multiple   spaces\tand\nlines ", "multiple spaces and lines"),
            ("Über naïve façade", "uber naive facade"),
            ("$\\ell_p$-norm regularisation", "ell p norm regularisation"),
            ("\\textbf{Bold} claims", "bold claims"),
            ("GPT-4o: a report", "gpt 4o a report"),
            ("α-β pruning", "α β pruning"),
        ]
    )
    func normalize(title: String, expected: String) {
        #expect(TitleNormalizer.normalize(title) == expected)
    }

    static func fnv(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

@Suite("Title normalisation on bytes")
struct TitleNormalizerFastPathTests {
    @Test("the ASCII path gives what the Unicode path gives, on 20,000 random ASCII titles")
    func sameAsUnicodePath() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "Diffusion", " ", "  ", "-", "$\\mathcal{D}$", "\\ell_p", "\\alpha", "{", "}", "$", "GPT-4o", "3D", "2.5",
            "\\", "\\\\", "\\textbf{Bold}", "\t", "\n", ":", "x", "Big", "\\Big", "\\rm", "A", "z", "9", "'s", "_", "~",
        ]
        for _ in 0..<20_000 {
            var title = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) { title += pieces.randomElement(using: &generator)! }
            #expect(TitleNormalizer.normalizeASCII(title) == TitleNormalizer.normalizeUnicode(title), "\(title)")
        }
        #expect(TitleNormalizer.normalizeASCII("Über") == nil, "non-ASCII titles take the Unicode path")
    }
}
