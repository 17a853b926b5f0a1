import PaperboySearch
import Testing

@Suite("Highlighter")
struct HighlighterTests {
    static let highlighter = Highlighter(analyzer: EnglishAnalyzer())

    @Test("matched words are marked whatever their inflection")
    func marks() {
        let snippet = Self.highlighter.snippet(of: "Diffusion models diffuse noise.", terms: ["diffus"])
        #expect(snippet.parts.filter(\.isMatch).map(\.text) == ["Diffusion", "diffuse"])
        #expect(snippet.text == "Diffusion models diffuse noise.")
        #expect(!snippet.truncatedStart && !snippet.truncatedEnd)
    }

    @Test("a long text is cut around the passage with the most distinct terms")
    func window() {
        let filler = String(repeating: "lorem ipsum dolor sit amet ", count: 30)
        let text = "Alpha appears early. " + filler + "Here alpha and beta and gamma meet. " + filler
        let snippet = Self.highlighter.snippet(of: text, terms: ["alpha", "beta", "gamma"], maxBytes: 120)
        #expect(snippet.truncatedStart && snippet.truncatedEnd)
        #expect(Set(snippet.parts.filter(\.isMatch).map { $0.text.lowercased() }) == ["alpha", "beta", "gamma"])
        #expect(snippet.text.utf8.count <= 120)
        #expect(!snippet.text.hasPrefix(" ") && !snippet.text.hasSuffix(" "))
    }

    @Test("no match gives the start of the text")
    func noMatch() {
        let text = String(repeating: "word ", count: 100)
        let snippet = Self.highlighter.snippet(of: text, terms: ["absent"], maxBytes: 50)
        #expect(!snippet.truncatedStart && snippet.truncatedEnd)
        #expect(snippet.parts.allSatisfy { !$0.isMatch })
        #expect(snippet.text.hasPrefix("word word"))
    }
}
