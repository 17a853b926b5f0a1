import Foundation
import PaperboySearch
import PaperboyTesting
import Testing

@Suite("Porter2 stemmer")
struct Porter2StemmerTests {
    static let stemmer = Porter2Stemmer()
    static let vocabulary = "data/porter2/english-vocabulary-stems.tsv"

    /// Examples from the Snowball English stemmer's page and its special cases.
    @Test(
        "published examples",
        arguments: [
            ("consign", "consign"), ("consigned", "consign"), ("consigning", "consign"), ("consignment", "consign"),
            ("consist", "consist"), ("consisted", "consist"), ("consistency", "consist"), ("consistent", "consist"),
            ("consistently", "consist"), ("consisting", "consist"), ("consists", "consist"), ("consolation", "consol"),
            ("consolations", "consol"), ("consolatory", "consolatori"), ("console", "consol"), ("consoled", "consol"),
            ("consoles", "consol"), ("consolidate", "consolid"), ("consolidated", "consolid"),
            ("consolidating", "consolid"), ("consoling", "consol"), ("consolingly", "consol"), ("consols", "consol"),
            ("consonant", "conson"), ("consort", "consort"), ("consorted", "consort"), ("consorting", "consort"),
            ("conspicuous", "conspicu"), ("conspicuously", "conspicu"), ("conspiracy", "conspiraci"),
            ("conspirator", "conspir"), ("conspirators", "conspir"), ("conspire", "conspir"), ("conspired", "conspir"),
            ("conspiring", "conspir"), ("constable", "constabl"), ("constables", "constabl"), ("constance", "constanc"),
            ("constancy", "constanc"), ("constant", "constant"), ("knack", "knack"), ("knackeries", "knackeri"),
            ("knacks", "knack"), ("knag", "knag"), ("knave", "knave"), ("knaves", "knave"), ("knavish", "knavish"),
            ("kneaded", "knead"), ("kneading", "knead"), ("knee", "knee"), ("kneel", "kneel"), ("kneeled", "kneel"),
            ("kneeling", "kneel"), ("kneels", "kneel"), ("knees", "knee"), ("knell", "knell"), ("knelt", "knelt"),
            ("knew", "knew"), ("knick", "knick"), ("knif", "knif"), ("knife", "knife"), ("knight", "knight"),
            ("knightly", "knight"), ("knights", "knight"), ("knit", "knit"), ("knits", "knit"), ("knitted", "knit"),
            ("knitting", "knit"), ("knives", "knive"), ("knob", "knob"), ("knobs", "knob"), ("knock", "knock"),
            ("knocked", "knock"), ("knocker", "knocker"), ("knockers", "knocker"), ("knocking", "knock"),
            ("knocks", "knock"), ("knopp", "knopp"), ("knot", "knot"), ("knots", "knot"),
            // Special words and prefixes.
            ("skies", "sky"), ("dying", "die"), ("lying", "lie"), ("news", "news"), ("generate", "generat"),
            ("generously", "generous"), ("communism", "communism"), ("succeeded", "succeed"), ("proceed", "proceed"),
            ("evening", "evening"), ("inning", "inning"), ("universe", "univers"), ("international", "internat"),
            ("a", "a"), ("is", "is"), ("'tis", "tis"), ("bias", "bias"), ("cries", "cri"), ("ties", "tie"),
            ("hopping", "hop"), ("hoping", "hope"), ("during", "dure"), ("networks", "network"),
            ("diffusion", "diffus"), ("transformers", "transform"), ("learning", "learn"),
        ]
    )
    func examples(word: String, stem: String) {
        #expect(Self.stemmer.stem(word) == stem, "\(word)")
    }

    @Test("words with other characters are left alone", arguments: ["gpt4", "naïve", "self-supervised", "α"])
    func nonASCII(word: String) {
        #expect(Self.stemmer.stem(word) == word)
    }

    /// The whole vocabulary of the arXiv abstracts with the reference implementation's stems.
    @Test(
        "matches the reference implementation on 120,514 arXiv words",
        .enabled(if: SharedData.url(vocabulary) != nil, "needs ../shared/data/porter2, which is absent: skipped")
    )
    func referenceVocabulary() throws {
        let url = try #require(SharedData.url(Self.vocabulary))
        let text = try String(contentsOf: url, encoding: .utf8)
        var checked = 0
        var failures: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let stem = Self.stemmer.stem(String(parts[0]))
            if stem != parts[1] { failures.append("\(parts[0]): expected \(parts[1]), got \(stem)") }
            checked += 1
        }
        #expect(checked == 120_514)
        #expect(failures.isEmpty, "\(failures.count) differ, e.g. \(failures.prefix(20))")
    }
}
