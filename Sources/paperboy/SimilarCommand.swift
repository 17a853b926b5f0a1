import ArgumentParser
import Foundation
import PaperboyModel
import PaperboySearch
import PaperboyServices
import PaperboyStore

/// `paperboy similar ID`: the papers most like one.
struct SimilarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Print the papers most like one, by their vectors (by its words when it has none yet)."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var index: IndexOptions
    @OptionGroup var semantic: SemanticOptions

    @Option(help: "How many papers to print (1–100).")
    var limit = 10

    @Argument(help: "The paper's id (an arXiv id or URL, or a Paperboy id).")
    var id: String

    func validate() throws {
        if !(1...100).contains(self.limit) { throw ValidationError("--limit must be 1–100") }
    }

    func run() async throws {
        let paperID: PaperID
        do {
            paperID = try PaperID(parsing: self.id)
        } catch {
            throw ValidationErrorText("\(self.id): \(error)")
        }
        let database = try await self.database.open()
        let store = database.papers
        let index = try PaperIndex(path: self.index.path(for: self.database))
        try await index.catchUp(with: store)
        let semantic =
            self.semantic.isPresent
            ? try await self.semantic.state(index: index, storage: database.storage) : SemanticState()
        let found: (papers: [PaperSearch.Similar], by: PaperSearch.SimilarBy)
        do {
            found = try await PaperSearch(index: index, store: store, semantic: semantic).similar(
                to: paperID, limit: self.limit)
        } catch let error as ServiceError {
            throw ValidationErrorText(error.message)
        }
        print(
            "papers like \(paperID) (by \(found.by == .vectors ? "their vectors" : "their words: it has no vector yet")):"
        )
        for (rank, similar) in found.papers.enumerated() {
            print(
                String(format: "%2d. %6.3f  ", rank + 1, similar.score) + "\(similar.paper.id)  \(similar.paper.title)")
        }
    }
}
