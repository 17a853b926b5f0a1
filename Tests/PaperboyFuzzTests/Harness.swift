// The fuzz harnesses: one per parser that reads what strangers send. Shared by the libFuzzer
// binary (scripts/fuzz, built with -sanitize=fuzzer,address) and by FuzzRegressionTests, which
// replays every seed and every input that ever crashed one of them.
import Foundation
import PaperboyModel
import PaperboyParsers
import PaperboySearch

@testable import PaperboyMail
@testable import PaperboyWeb

/// A parser under fuzzing.
enum Harness: String, CaseIterable, Sendable {
    case query, jsonLines, kaggle, oaipmh, arxivAPI, feed, dailyPapers, listing, file, markdown, smtpReply, ids

    /// What one input came to: read, or refused with a message (a crash is neither).
    enum Outcome: Equatable {
        case accepted(Int)
        case refused(String)
    }

    /// Runs the parser on `bytes`. Properties that must hold whatever the input (escaped
    /// Markdown, ids that round-trip) are checked with `precondition`, so the fuzzer reports a
    /// violation as a crash.
    func run(_ bytes: [UInt8]) -> Outcome {
        let data = Data(bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .query: return Self.query(text)
        case .jsonLines:
            return Self.lines(bytes) { (line, number) throws(ParseError) in
                try PaperJSONLineParser(source: "fuzz").parse(line, lineNumber: number)
            }
        case .kaggle:
            return Self.lines(bytes) { (line, number) throws(ParseError) in
                try KaggleSnapshotParser(source: "fuzz").parse(line, lineNumber: number)
            }
        case .oaipmh: return Self.outcome { try OAIPMHParser(source: "fuzz").parse(data).papers.count }
        case .arxivAPI: return Self.outcome { try ArxivAPIParser(source: "fuzz").parse(data).papers.count }
        case .feed: return Self.outcome { try ArxivFeedParser(source: "fuzz").parse(data).entries.count }
        case .dailyPapers: return Self.outcome { try DailyPapersParser(source: "fuzz").parse(data).items.count }
        case .listing:
            return Self.outcome { try ListingPageParser(source: "fuzz", year: 2025).parse(text).papers.count }
        case .file: return Self.file(data)
        case .markdown: return Self.markdown(text)
        case .smtpReply: return Self.smtpReply(bytes)
        case .ids: return Self.ids(text)
        }
    }

    private static func outcome(_ body: () throws -> Int) -> Outcome {
        do {
            return .accepted(try body())
        } catch {
            return .refused("\(error)")
        }
    }

    /// Each line on its own, as the file readers do.
    private static func lines(
        _ bytes: [UInt8], _ parse: (UnsafeBufferPointer<UInt8>, Int) throws(ParseError) -> Paper
    ) -> Outcome {
        var accepted = 0
        var refused: String?
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let result = Array(line).withUnsafeBufferPointer { buffer in
                Result { () throws(ParseError) in try parse(buffer, index + 1) }
            }
            switch result {
            case .success: accepted += 1
            case .failure(let error):
                precondition(!error.description.isEmpty, "a parse error without words")
                refused = refused ?? error.description
            }
        }
        return accepted > 0 || refused == nil ? .accepted(accepted) : .refused(refused!)
    }

    // MARK: Queries

    /// A small index to run parsed queries against (built once).
    nonisolated(unsafe) private static let searcher: Searcher = {
        let schema = IndexSchema(
            fields: [.init(name: "title", weight: 2), .init(name: "abstract"), .init(name: "author", b: 0.5)],
            keywordFields: ["category"], numericFields: ["day"])
        let folder = NSTemporaryDirectory() + "paperboy-fuzz-index-\(getpid())"
        let writer = try! IndexWriter(directory: IndexDirectory(path: folder), schema: schema)
        writer.backgroundMerges = false
        let words = [
            "diffusion", "model", "graph", "neural", "network", "attention", "language", "vision", "state-of-the-art",
        ]
        for n in 0..<300 {
            let title = (0..<4).map { words[($0 * 7 + n) % words.count] }.joined(separator: " ")
            let abstract = (0..<30).map { words[($0 * 3 + n * 5) % words.count] }.joined(separator: " ")
            try! writer.add(
                Document(
                    key: "d\(n)", fields: [title, abstract, n % 2 == 0 ? "Ada Lovelace" : "Alan Turing"],
                    keywords: [[n % 3 == 0 ? "cs.LG" : "cs.CV"]], numbers: [Int64(20_000 + n)]))
            if n % 100 == 99 { _ = try! writer.commit() }
        }
        return try! writer.commit()
    }()

    private static func query(_ text: String) -> Outcome {
        let parser = QueryParser(
            schema: Self.searcher.schema, analyzer: Self.searcher.analyzer,
            keywordAliases: ["cat": "category", "category": "category"], dateField: "day",
            fieldAliases: ["authors": "author", "ti": "title", "abs": "abstract"])
        for mode in QueryParser.Mode.allCases {
            do {
                let query = try parser.parse(text, mode: mode)
                _ = query.description
                let top = Self.searcher.search(query, limit: 10, budget: .milliseconds(200))
                precondition(top.hits.count <= 10, "more hits than asked for")
            } catch {
                precondition(error.column.map { $0 >= 1 } ?? true, "an error column before the query")
                return .refused(error.message)
            }
        }
        return .accepted(1)
    }

    // MARK: Files

    private static func file(_ data: Data) -> Outcome {
        let path = NSTemporaryDirectory() + "paperboy-fuzz-file-\(getpid())"
        FileManager.default.createFile(atPath: path, contents: data)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return Self.outcome {
            let reader = try PaperFileReader(path: path, listingYear: 2025)
            var count = 0
            while let batch = try reader.nextBatch(size: 100) { count += batch.recordCount }
            return count
        }
    }

    // MARK: Markdown

    private static func markdown(_ text: String) -> Outcome {
        let html = SafeMarkdown.html(text)
        let lower = html.lowercased()
        // Whatever the comment, no element or attribute but the renderer's own.
        precondition(!lower.contains("<script") && !lower.contains("<iframe") && !lower.contains("<img"), html)
        // Links lead to http(s) and mail addresses only (the renderer's own schemes).
        var rest = Substring(lower)
        while let start = rest.range(of: "href=\"") {
            rest = rest[start.upperBound...]
            precondition(
                rest.hasPrefix("http://") || rest.hasPrefix("https://") || rest.hasPrefix("mailto:"),
                "a link that is not http(s) or mailto: \(html)")
        }
        var tag = false
        var name = ""
        // Scalars, not characters: a combining mark after ">" makes one character of both, as a
        // browser's tokenizer does not.
        for character in lower.unicodeScalars {
            if character == "<" {
                tag = true
                name = ""
            } else if tag, character == " " || character == ">" {
                tag = false
                let allowed = [
                    "p", "/p", "em", "/em", "strong", "/strong", "code", "/code", "pre", "/pre", "a", "/a", "br",
                    "ul", "/ul", "ol", "/ol", "li", "/li", "blockquote", "/blockquote",
                ]
                precondition(allowed.contains(name), "the renderer wrote <\(name)>: \(html)")
            } else if tag {
                name.unicodeScalars.append(character)
            }
        }
        return .accepted(html.utf8.count)
    }

    // MARK: SMTP

    private static func smtpReply(_ bytes: [UInt8]) -> Outcome {
        var reader = SMTPReplyReader()
        var replies = 0
        var pieces = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // What follows the last line break is not a line yet (the decoder waits for more).
        if pieces.last?.isEmpty == true { pieces.removeLast() }
        for line in pieces {
            do {
                if let reply = try reader.read(line: line) {
                    precondition((200..<600).contains(reply.code), "a reply code out of range")
                    replies += 1
                }
            } catch {
                return .refused(error.message)
            }
        }
        return .accepted(replies)
    }

    // MARK: Identifiers and dates

    private static func ids(_ text: String) -> Outcome {
        var accepted = 0
        if let id = try? PaperID(parsing: text) {
            accepted += 1
            precondition((try? PaperID(parsing: id.rawValue)) == id, "a paper id that does not read back")
            precondition(!id.pathComponent.contains("?") && !id.pathComponent.contains("#"), id.pathComponent)
        }
        if let arxiv = try? ArxivID(parsing: text) {
            accepted += 1
            precondition((try? ArxivID(parsing: arxiv.description)) == arxiv, "an arXiv id that does not read back")
        }
        if let day = try? CalendarDay(parsing: text) {
            accepted += 1
            precondition((try? CalendarDay(parsing: day.description)) == day, "a day that does not read back")
        }
        if (try? Period.week(parsing: text)) != nil { accepted += 1 }
        if (try? Period.month(parsing: text)) != nil { accepted += 1 }
        if let address = try? EmailAddress(parsing: text) {
            accepted += 1
            precondition(!address.rawValue.contains("\n") && !address.rawValue.contains("\r"), "a line break")
        }
        if (try? Member.checkedDisplayName(text)) != nil { accepted += 1 }
        return accepted > 0 ? .accepted(accepted) : .refused("no kind of id")
    }
}
