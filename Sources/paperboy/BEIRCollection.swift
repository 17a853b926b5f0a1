import Foundation

/// A test collection in BEIR's layout: `corpus.jsonl` (`_id`, `title`, `text`), `queries.jsonl`
/// (`_id`, `text`) and `qrels/test.tsv` (query id, document id, grade, with a header line).
struct BEIRCollection {
    struct Document: Decodable {
        var _id: String
        var title: String?
        var text: String?
    }

    struct Query: Decodable {
        var _id: String
        var text: String
    }

    var documents: [Document]
    /// Queries that have judgments, in file order.
    var queries: [Query]
    /// Query id → document id → grade.
    var judgments: [String: [String: Int]]

    init(directory: String) throws {
        let base = URL(fileURLWithPath: directory)
        func lines(_ name: String) throws -> [Substring] {
            let url = base.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw ValidationErrorText("cannot read \(url.path)")
            }
            return text.split(separator: "\n", omittingEmptySubsequences: true)
        }
        let decoder = JSONDecoder()
        self.documents = try lines("corpus.jsonl").enumerated().map { number, line in
            do {
                return try decoder.decode(Document.self, from: Data(line.utf8))
            } catch {
                throw ValidationErrorText("\(directory)/corpus.jsonl:\(number + 1): \(error)")
            }
        }
        var judgments: [String: [String: Int]] = [:]
        for (number, line) in try lines("qrels/test.tsv").enumerated() where number > 0 {
            let fields = line.split(separator: "\t")
            guard fields.count == 3, let grade = Int(fields[2]) else {
                throw ValidationErrorText(
                    "\(directory)/qrels/test.tsv:\(number + 1): expected query-id, corpus-id, score")
            }
            judgments[String(fields[0]), default: [:]][String(fields[1])] = grade
        }
        self.judgments = judgments
        self.queries = try lines("queries.jsonl").map { try decoder.decode(Query.self, from: Data($0.utf8)) }
            .filter { judgments[$0._id] != nil }
    }
}

/// An error whose description is its text.
struct ValidationErrorText: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
