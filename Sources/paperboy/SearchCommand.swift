import ArgumentParser
import Foundation
import PaperboyModel
import PaperboyServices
import PaperboyStore

/// `paperboy search QUERY`: ranked papers from the database.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the papers in the database and print them ranked, with scores."
    )

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var index: IndexOptions

    @OptionGroup var semantic: SemanticOptions

    @Flag(help: "Require every word (the default: any word, best matches first).")
    var and = false

    @Option(
        help: ArgumentHelp(
            "keyword, semantic or hybrid (default: hybrid when the papers have vectors, else keyword).",
            valueName: "mode"))
    var mode: String?

    @Option(help: "How many papers to print.")
    var limit = 10

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Argument(help: "The query.")
    var query: [String]

    /// The mode asked for.
    var searchMode: SearchMode? { self.mode.flatMap(SearchMode.init(rawValue:)) }

    func validate() throws {
        if let mode = self.mode, SearchMode(rawValue: mode) == nil {
            throw ValidationError("--mode must be keyword, semantic or hybrid, not \(mode)")
        }
        if self.limit < 1 { throw ValidationError("--limit must be at least 1") }
        if self.query.joined().trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("the query is empty")
        }
    }

    func run() async throws {
        let database = try await self.database.open()
        let store = database.papers
        let index = try PaperIndex(path: self.index.path(for: self.database))
        try await index.catchUp(with: store)
        let text = self.query.joined(separator: " ")
        let semantic =
            self.searchMode == .keyword
            ? SemanticState() : try await self.semantic.state(index: index, storage: database.storage)
        let results: PaperSearch.Results
        do {
            results = try await PaperSearch(index: index, store: store, semantic: semantic).search(
                text, limit: self.limit, mode: self.searchMode, match: self.and ? .all : .any)
        } catch let error as ServiceError where error.code == .invalidQuery || error.code == .queryTooLarge {
            // The query, and a caret under where it goes wrong: no usage text, the flags were fine.
            var message = "the query cannot be read: \(error.message)\n  \(text)"
            if let column = Self.column(error.message) {
                message += "\n  " + String(repeating: " ", count: max(0, column - 1)) + "^"
            }
            throw ValidationErrorText(message)
        }
        if let note = results.modeNote { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        if self.json {
            let items = results.results.map {
                SearchHitJSON(
                    id: $0.paper.id.rawValue, score: Double($0.score), title: $0.paper.title,
                    authors: $0.paper.authors.map(\.name), date: $0.paper.announced.description)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(
                String(
                    decoding: try encoder.encode(
                        SearchJSON(query: text, mode: results.mode.rawValue, total: results.totalHits, results: items)),
                    as: UTF8.self))
            return
        }
        print(
            "\(results.totalHits)\(results.totalHitsIsExact ? "" : "+") papers match \"\(text)\" (\(results.mode.rawValue))"
        )
        for (rank, result) in results.results.enumerated() {
            let paper = result.paper
            let authors =
                paper.authors.prefix(3).map(\.name).joined(separator: ", ") + (paper.authors.count > 3 ? " et al." : "")
            print(String(format: "%2d. %7.3f  ", rank + 1, result.score) + "\(paper.id)  \(paper.title)")
            print("              \(paper.announced)  \(authors)")
        }
    }
}

extension SearchCommand {
    /// The column a located query error names (`… (column 12)`).
    static func column(_ message: String) -> Int? {
        guard let range = message.range(of: "column ", options: .backwards) else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }
}

private struct SearchJSON: Encodable {
    var query: String
    var mode: String
    var total: Int
    var results: [SearchHitJSON]
}

private struct SearchHitJSON: Encodable {
    var id: String
    var score: Double
    var title: String
    var authors: [String]
    var date: String
}
