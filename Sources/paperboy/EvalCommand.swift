import ArgumentParser
import Foundation
import PaperboySearch

/// `paperboy eval …`: search quality on test collections with relevance judgments.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure search quality on test collections.",
        subcommands: [BEIREval.self]
    )
}

/// `paperboy eval beir DIR`: nDCG@10, Recall@100 and MRR@10 over a BEIR-layout collection.
struct BEIREval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beir",
        abstract: "Index a BEIR-layout collection and print nDCG@10, Recall@100 and MRR@10 over its test queries."
    )

    @Argument(help: "The collection's folder (corpus.jsonl, queries.jsonl, qrels/test.tsv).")
    var directory: String

    @Option(help: "BM25 k1.")
    var k1: Float = 1.2

    @Option(help: "BM25 b, for both fields.")
    var b: Float = 0.75

    @Option(help: "The title field's weight in BM25F (the text field weighs 1).")
    var titleWeight: Float = 2

    @Option(name: .customLong("require-ndcg"), help: "Fail (exit 1) when nDCG@10 is below this.")
    var requireNDCG: Double?

    func run() async throws {
        let collection = try BEIRCollection(directory: self.directory)
        let schema = IndexSchema(
            fields: [
                .init(name: "title", weight: self.titleWeight, b: self.b), .init(name: "text", weight: 1, b: self.b),
            ],
            k1: self.k1
        )
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paperboy-eval-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try IndexWriter(directory: IndexDirectory(path: folder), schema: schema)
        for document in collection.documents {
            try writer.add(Document(key: document._id, fields: [document.title ?? "", document.text ?? ""]))
        }
        let searcher = try writer.commit()
        let parser = QueryParser(schema: schema, analyzer: writer.analyzer)
        var ndcg = 0.0
        var recall = 0.0
        var mrr = 0.0
        for query in collection.queries {
            let judgments = collection.judgments[query._id] ?? [:]
            let ranking = searcher.search(try parser.parse(BenchCorpus.plain(query.text)), limit: 100).hits.map(\.key)
            ndcg += RankingMetrics.ndcg(ranking: ranking, judgments: judgments, k: 10)
            recall += RankingMetrics.recall(ranking: ranking, judgments: judgments, k: 100)
            mrr += RankingMetrics.reciprocalRank(ranking: ranking, judgments: judgments, k: 10)
        }
        let count = Double(max(1, collection.queries.count))
        let name = URL(fileURLWithPath: self.directory).lastPathComponent
        print("\(name): \(collection.documents.count) documents, \(collection.queries.count) queries with judgments")
        print("BM25F k1 \(self.k1), b \(self.b), title weight \(self.titleWeight)")
        print(String(format: "nDCG@10 %.4f   Recall@100 %.4f   MRR@10 %.4f", ndcg / count, recall / count, mrr / count))
        if let required = self.requireNDCG, ndcg / count < required {
            print(String(format: "FAIL: nDCG@10 %.4f is below the required %.4f", ndcg / count, required))
            throw ExitCode(1)
        }
    }
}
