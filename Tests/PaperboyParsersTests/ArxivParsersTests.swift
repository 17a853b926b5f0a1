import Foundation
import PaperboyModel
import Testing

@testable import PaperboyParsers

private func data(_ name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: Fixture.path("arxiv/" + name)))
}

private func date(_ text: String) -> Date {
    SourceDates.instant(text)!
}

@Suite("OAI-PMH ListRecords")
struct OAIPMHParserTests {
    @Test("arXivRaw: every version with its date, TeX accents decoded, deletions and bad records apart")
    func arXivRaw() throws {
        let page = try OAIPMHParser(source: "page1.xml").parse(try data("oai-arxivraw-page1.xml"))
        #expect(page.responseDate == "2025-03-14T10:00:00Z")
        #expect(page.resumptionToken == "6033897|1001")
        #expect(page.completeListSize == 5)
        #expect(page.cursor == 0)
        #expect(page.deletions == [PaperID(try ArxivID(parsing: "0704.0002"))])
        #expect(page.papers.count == 2)
        let first = try #require(page.papers.first)
        #expect(first.id.rawValue == "0704.0001")
        #expect(first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
        #expect(first.authors.map(\.name) == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"])
        #expect(first.versions.map(\.number) == [1, 2])
        #expect(first.versions[0].submitted == date("2007-04-02T19:18:42Z"))
        #expect(first.versions[1].submitted == date("2007-07-24T20:10:27Z"))
        #expect(first.announced == CalendarDay(year: 2007, month: 4, day: 2))
        #expect(first.announcedIsEstimate, "a submission date only estimates the announcement")
        #expect(first.doi == "10.1103/PhysRevD.76.013009")
        #expect(first.comment == "37 pages, 15 figures; published version")
        #expect(first.journalReference == "Phys.Rev.D76:013009,2007")
        #expect(
            first.abstract.hasPrefix(
                "A fully differential calculation in perturbative quantum chromodynamics is presented"))
        let old = page.papers[1]
        #expect(old.id.rawValue == "hep-th/9901001")
        #expect(old.title == "Über $\\ell_p$-Räume and the $\\alpha$-$\\beta$ Ansatz")
        #expect(old.authors.map(\.name) == ["J. Müller", "Ø. Sørensen"])
        #expect(old.categories == ["hep-th", "math-ph", "math.MP"])
        #expect(old.comment == nil && old.journalReference == nil && old.links.isEmpty)
        let bad = try #require(page.errors.first)
        #expect(page.errors.count == 1)
        #expect(bad.recordID == "2503.99999" && bad.field == "title")
        #expect(bad.line != nil)
        #expect(bad.description.hasPrefix("page1.xml:"))
    }

    @Test("arXiv: authors from key and fore names with suffixes, an empty token ends the list")
    func arXiv() throws {
        let page = try OAIPMHParser(source: "page2.xml").parse(try data("oai-arxiv-page2.xml"))
        #expect(page.resumptionToken == nil, "an empty resumptionToken marks the last page")
        #expect(page.completeListSize == 5)
        let paper = try #require(page.papers.first)
        #expect(paper.authors.map(\.name) == ["Zoë Çelik", "Martin Luther King Jr", "Collaboration"])
        #expect(paper.categories == ["cs.LG", "cs.CV", "stat.ML"])
        #expect(paper.versions == [PaperVersion(number: 1, submitted: date("2025-03-03"))])
        #expect(paper.license == "http://creativecommons.org/licenses/by/4.0/")
    }

    @Test("noRecordsMatch is an empty last page; other OAI errors and broken XML throw with where")
    func errors() throws {
        let empty = try OAIPMHParser(source: "none.xml").parse(try data("oai-no-records.xml"))
        #expect(empty.recordCount == 0 && empty.resumptionToken == nil)
        #expect(throws: ParseError.self) { try OAIPMHParser(source: "bad.xml").parse(try data("oai-bad-token.xml")) }
        do {
            _ = try OAIPMHParser(source: "bad.xml").parse(try data("oai-bad-token.xml"))
        } catch let error as ParseError {
            #expect(error.code == .protocolError)
            #expect(error.reason.contains("badResumptionToken"))
        }
        do {
            _ = try OAIPMHParser(source: "cut.xml").parse(try data("oai-truncated.xml"))
            Issue.record("a truncated page must not parse")
        } catch let error as ParseError {
            #expect(error.code == .invalidXML)
            #expect(error.source == "cut.xml")
            #expect((error.line ?? 0) > 1)
        }
    }
}

@Suite("arXiv API Atom")
struct ArxivAPIParserTests {
    @Test("entries with versions, primary category first, comment, journal reference and DOI")
    func entries() throws {
        let page = try ArxivAPIParser(source: "api.xml").parse(try data("api-query.xml"))
        #expect(page.totalResults == 1000 && page.startIndex == 0 && page.itemsPerPage == 2)
        #expect(page.papers.count == 2 && page.errors.isEmpty)
        let h1 = page.papers[0]
        #expect(h1.id.rawValue == "hep-ex/0307015")
        #expect(h1.title == "Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA")
        #expect(h1.comment == "23 pages, 8 figures and 4 tables")
        #expect(h1.journalReference == "Eur.Phys.J. C31 (2003) 17-29")
        #expect(h1.doi == "10.1140/epjc/s2003-01326-x")
        #expect(h1.categories == ["hep-ex"])
        #expect(h1.versions.map(\.number) == [1])
        let v3 = page.papers[1]
        #expect(v3.versions.map(\.number) == [1, 3])
        #expect(v3.versions[1].submitted == date("2025-02-20T10:00:00Z"))
        #expect(v3.announced == CalendarDay(year: 2025, month: 1, day: 1), "the day as written, not shifted to UTC")
        #expect(v3.authors.map(\.name) == ["Ada Lovelace", "Alan Turing"])
        #expect(v3.categories == ["cs.LG", "cs.CL"])
    }

    @Test("the API's error entry is thrown with its text")
    func apiError() throws {
        do {
            _ = try ArxivAPIParser(source: "api.xml").parse(try data("api-error.xml"))
            Issue.record("expected an error")
        } catch let error as ParseError {
            #expect(error.code == .protocolError)
            #expect(error.reason.contains("incorrect id format for 1234.12345"))
        }
    }
}

@Suite("arXiv announcement feeds")
struct ArxivFeedParserTests {
    @Test("RSS: announce types, the feed's day, authors from dc:creator, bad entries apart")
    func rss() throws {
        let page = try ArxivFeedParser(source: "cs.LG.rss").parse(try data("feed-cs.LG.rss"))
        #expect(page.feedName == "cs.LG")
        #expect(page.day == CalendarDay(year: 2025, month: 1, day: 6))
        #expect(page.entries.map(\.announceType) == [.new, .cross, .replace])
        let new = page.entries[0].paper
        #expect(new.id.rawValue == "2501.01234")
        #expect(new.abstract == "We analyse gradient descent on Riemannian manifolds.")
        #expect(new.authors.map(\.name) == ["Alice Smith", "Bob Jones", "Carol O'Neil"])
        #expect(new.categories == ["cs.LG", "math.OC"])
        #expect(new.announced == CalendarDay(year: 2025, month: 1, day: 6) && !new.announcedIsEstimate)
        let cross = page.entries[1].paper
        #expect(cross.categories.contains("cs.LG"), "the cross-list's category is recorded")
        #expect(cross.authors.map(\.name) == ["Dana Lee", "Evan Wu"])
        #expect(cross.announcedIsEstimate, "a cross-list's day is not the paper's first announcement")
        let replaced = page.entries[2].paper
        #expect(replaced.latestVersion == 3)
        #expect(replaced.authors.map(\.name) == ["C. Balázs", "E. L. Berger"])
        #expect(page.errors.count == 1)
        #expect(page.errors.first?.field == "guid")
    }

    @Test("Atom: the same entries from the Atom form")
    func atom() throws {
        let page = try ArxivFeedParser(source: "cs.CV.atom").parse(try data("feed-cs.CV.atom"))
        #expect(page.feedName == "cs.CV")
        #expect(page.entries.map(\.announceType) == [.new, .replaceCross])
        #expect(page.entries[0].paper.authors.map(\.name) == ["Dana Lee", "Evan Wu"])
        #expect(page.entries[0].paper.abstract == "A cross-listed vision paper.")
        #expect(page.entries[1].paper.latestVersion == 2)
        #expect(page.errors.isEmpty)
    }
}

@Suite("Kaggle arXiv snapshot")
struct KaggleSnapshotParserTests {
    @Test("a snapshot file: versions, authors_parsed, escapes, and each bad line reported")
    func file() throws {
        let reader = try PaperFileReader(path: Fixture.path("arxiv/kaggle-snapshot.jsonl"), listingYear: 2025)
        #expect(reader.format == .kaggleSnapshot)
        let batch = try #require(try reader.nextBatch(size: 100))
        #expect(batch.papers.map(\.id.rawValue) == ["0704.0001", "hep-th/9901001"])
        let first = batch.papers[0]
        #expect(first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
        #expect(first.authors.map(\.name) == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"])
        #expect(first.versions.map(\.number) == [1, 2])
        #expect(first.announced == CalendarDay(year: 2007, month: 4, day: 2))
        #expect(first.doi == "10.1103/PhysRevD.76.013009")
        #expect(first.license == nil)
        let second = batch.papers[1]
        #expect(second.title == "Über $\\ell_p$-Räume 😀", "\\u escapes and surrogate pairs decode")
        #expect(second.authors.map(\.name) == ["J. Müller"])
        #expect(batch.errors.map(\.line) == [2, 4, 5])
        #expect(batch.errors[0].code == .invalidJSON && batch.errors[0].reason.contains("column"))
        #expect(batch.errors[0].recordID == "0704.0003", "the id is named even when the line breaks later")
        #expect(batch.errors[1].field == "versions")
        #expect(batch.errors[2].field == "id")
    }
}

@Suite("Hugging Face daily papers")
struct DailyPapersParserTests {
    @Test("items with upvotes, submitter and links; an item without an id gets a title id")
    func items() throws {
        let page = try DailyPapersParser(source: "daily.json").parse(try data("daily-papers.json"))
        #expect(page.items.count == 2)
        let first = page.items[0]
        #expect(first.paper.id.rawValue == "2502.12345")
        #expect(first.paper.authors.map(\.name) == ["Ada Lovelace", "Alan Turing"])
        #expect(first.paper.announced == CalendarDay(year: 2025, month: 2, day: 18))
        #expect(first.paper.abstract == "We fit scaling laws to tiny models.")
        #expect(first.upvotes == 42 && first.commentCount == 3 && first.submittedBy == "AK")
        #expect(first.paper.links == [PaperLink(kind: .code, url: "https://github.com/example/tiny")])
        #expect(page.items[1].paper.id == PaperID(title: "A Paper Without an arXiv Id"))
        #expect(page.errors.count == 1)
        #expect(page.errors.first?.field == "[2].paper.id")
    }

    @Test("a file that is not a list is one clear error")
    func notAList() {
        #expect(throws: ParseError.self) { try DailyPapersParser(source: "x.json").parse(Data("{\"a\": 1}".utf8)) }
    }
}

@Suite("Detecting formats by content")
struct FormatDetectionTests {
    @Test(
        "each fixture is recognised",
        arguments: [
            ("oai-arxivraw-page1.xml", PaperFileFormat.oaiPMH), ("api-query.xml", .arxivAPI),
            ("feed-cs.LG.rss", .announcementFeed), ("feed-cs.CV.atom", .announcementFeed),
            ("daily-papers.json", .dailyPapers), ("kaggle-snapshot.jsonl", .kaggleSnapshot),
        ])
    func detect(_ name: String, _ format: PaperFileFormat) throws {
        let reader = try PaperFileReader(path: Fixture.path("arxiv/" + name), listingYear: 2025)
        #expect(reader.format == format)
        let batch = try #require(try reader.nextBatch(size: 1000))
        #expect(!batch.papers.isEmpty)
    }

    @Test("an OAI page's deletions come through the file reader")
    func deletions() throws {
        let reader = try PaperFileReader(path: Fixture.path("arxiv/oai-arxivraw-page1.xml"), listingYear: 2025)
        #expect(try reader.nextBatch(size: 10)?.deletions.map(\.rawValue) == ["0704.0002"])
    }
}

@Suite("Source dates and author lists")
struct SourceTextTests {
    @Test(
        "dates in every form arXiv and Hugging Face write",
        arguments: [
            ("2025-03-12", 1_741_737_600.0), ("2025-02-17T18:59:59.000Z", 1_739_818_799.0),
            ("2003-07-07T13:46:39-04:00", 1_057_599_999.0), ("Mon, 2 Apr 2007 19:18:42 GMT", 1_175_541_522.0),
            ("Mon, 06 Jan 2025 00:00:00 -0500", 1_736_139_600.0),
        ])
    func dates(_ text: String, _ seconds: Double) {
        #expect(SourceDates.instant(text)?.timeIntervalSince1970 == seconds)
    }

    @Test("bad dates are nil", arguments: ["", "yesterday", "2025-13-01", "2025-02-30", "Mon, 2 Foo 2007"])
    func badDates(_ text: String) {
        #expect(SourceDates.instant(text) == nil)
    }

    @Test(
        "author strings split and TeX accents decode",
        arguments: [
            ("C. Bal\\'azs, E. L. Berger and C.-P. Yuan", ["C. Balázs", "E. L. Berger", "C.-P. Yuan"]),
            ("A. Author (MIT), B. Author (ETH Z\\\"urich)", ["A. Author", "B. Author"]),
            ("J. Smith, Jr., K. Doe", ["J. Smith, Jr.", "K. Doe"]),
            (
                "P. Erd{\\H o}s and S. {\\L}ojasiewicz and G. P\\'olya and {\\c C}etin",
                ["P. Erdős", "S. Łojasiewicz", "G. Pólya", "Çetin"]
            ),
        ])
    func authors(_ text: String, _ names: [String]) {
        #expect(AuthorList.split(text) == names)
    }
}

@Suite("Reading JSON strings straight into their tidy form")
struct CollapsedStringTests {
    /// A random text from pieces that exercise every path: plain words, runs of spaces, line
    /// breaks and tabs, quotes and backslashes, non-ASCII letters and white space, escapes.
    static func randomText(_ generator: inout some RandomNumberGenerator) -> String {
        let pieces = [
            "word", " ", "  ", "\n", "\t", "\r\n", "\"", "\\", "é", "α-β", "\u{00A0}", "\u{2003}", "—", "’",
            "$\\ell_p$",
            "x", "longerwordwithoutspaces", "a b c d e f g h", "\u{7F}", "😀", "/",
        ]
        var text = ""
        for _ in 0..<Int.random(in: 0...40, using: &generator) {
            text += pieces.randomElement(using: &generator)!
        }
        return text
    }

    @Test("matches decoding then collapsing, on 5,000 random strings")
    func matchesTextCleaner() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let text = Self.randomText(&generator)
            let json = try JSONEncoder().encode(text)
            let expected = TextCleaner.collapseWhitespace(try JSONDecoder().decode(String.self, from: json))
            let got = try json.withUnsafeBytes { raw -> String? in
                let bytes = raw.bindMemory(to: UInt8.self)
                let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
                defer { scratch.deallocate() }
                var scanner = JSONScanner(bytes)
                return try scanner.optionalCollapsedString(scratch: scratch)
            }
            #expect(got == expected, "\(String(decoding: json, as: UTF8.self))")
        }
    }
}

@Suite("XML that Foundation's parser could not take as it was")
struct XMLShapeTests {
    static let body =
        "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><responseDate>2025-03-14T10:00:00Z</responseDate>"
        + "<error code=\"noRecordsMatch\">No records</error></OAI-PMH>"

    @Test(
        "a stylesheet instruction, a byte-order mark, a Latin-1 declaration with spaces: all still read",
        arguments: [
            Array("<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"/oai2.xsl\"?>\n\(body)".utf8),
            [0xEF, 0xBB, 0xBF] + Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\(body)".utf8),
            // "Café" in Latin-1: é is the one byte E9, which is not UTF-8.
            Array("<?xml version=\"1.0\" encoding = \"ISO-8859-1\"?>\n".utf8)
                + Array(body.components(separatedBy: "No records")[0].utf8) + Array("Caf".utf8) + [0xE9]
                + Array(body.components(separatedBy: "No records")[1].utf8),
        ])
    func stillRead(bytes: [UInt8]) throws {
        let page = try OAIPMHParser(source: "test").parse(Data(bytes))
        #expect(page.papers.isEmpty && page.resumptionToken == nil)
    }

    @Test(
        "element names that are not UTF-8, a second declaration, a bare instruction: errors, not traps",
        arguments: [
            Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH><".utf8) + [0xB5] + Array("x/></OAI-PMH>".utf8),
            Array("<?xml version=\"1.0\"?>\n<feed><?xml version=\"1.0\" encoding=\"UTF-16\"?><a/></feed>".utf8),
            Array("<?UTF-16?>\n<fh>\u{84}".utf8) + [0x84, 0x84],
        ])
    func refusedCleanly(bytes: [UInt8]) {
        do {
            _ = try ArxivAPIParser(source: "test").parse(Data(bytes))
        } catch {
            #expect(error.code == .invalidXML || error.code == .unknownFormat, "\(error)")
        }
    }
}
