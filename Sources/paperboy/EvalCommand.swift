import ArgumentParser
import Foundation
import PaperboyEmbed
import PaperboySearch
import PaperboyServices

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

    @Option(help: "keyword, semantic, hybrid, or all (the three side by side).")
    var mode = "keyword"

    @Option(help: "How hybrid fuses the two lists: convex (the site's) or rrf (reciprocal rank fusion, k = 60).")
    var fusion = "convex"

    @Option(help: "The keyword list's weight in convex fusion (0–1).")
    var keywordWeight = RankFusion.keywordWeight

    @OptionGroup var semantic: SemanticOptions

    @Option(
        help: ArgumentHelp(
            "Where collection vectors are cached (default: $PAPERBOY_CACHE, else ~/.cache/paperboy/eval).",
            valueName: "dir"))
    var cache: String?

    @Option(
        name: .customLong("require-ndcg"),
        help: "Fail (exit 1) when nDCG@10 is below this (of the mode asked for; hybrid with --mode all).")
    var requireNDCG: Double?

    @Flag(help: "With --mode all: fail (exit 1) unless hybrid's nDCG@10 is above both keyword's and semantic's.")
    var requireHybridAboveBoth = false

    func validate() throws {
        guard ["keyword", "semantic", "hybrid", "all"].contains(self.mode) else {
            throw ValidationError("--mode must be keyword, semantic, hybrid or all, not \(self.mode)")
        }
        guard ["rrf", "convex"].contains(self.fusion) else {
            throw ValidationError("--fusion must be rrf or convex, not \(self.fusion)")
        }
        if !(0...1).contains(self.keywordWeight) { throw ValidationError("--keyword-weight must be 0–1") }
        if self.requireHybridAboveBoth, self.mode != "all" {
            throw ValidationError("--require-hybrid-above-both needs --mode all")
        }
    }

    /// nDCG@10, Recall@100 and MRR@10 averaged over the queries.
    struct Scores {
        var ndcg = 0.0
        var recall = 0.0
        var mrr = 0.0
    }

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
        let keyword: [[RetrievedList.Hit]] = try collection.queries.map { query in
            searcher.search(try parser.parse(BenchCorpus.plain(query.text)), limit: 100).hits.map {
                RetrievedList.Hit(key: $0.key, score: $0.score)
            }
        }
        let name = URL(fileURLWithPath: self.directory).lastPathComponent
        print("\(name): \(collection.documents.count) documents, \(collection.queries.count) queries with judgments")
        print("BM25F k1 \(self.k1), b \(self.b), title weight \(self.titleWeight)")
        var rankings: [(String, [[RetrievedList.Hit]])] = []
        if self.mode == "keyword" || self.mode == "all" { rankings.append(("keyword", keyword)) }
        if self.mode != "keyword" {
            let model = try self.semantic.load()
            let vectors = try await self.documentVectors(collection, model: model, name: name)
            let queryVectors = await model.embed(collection.queries.map(\.text))
            let semantic = queryVectors.map { vector in
                vectors.search(vector, limit: 100).map { RetrievedList.Hit(key: $0.key, score: $0.score) }
            }
            let hybrid = zip(keyword, semantic).map { words, meaning in
                Array(
                    (self.fusion == "rrf"
                        ? RankFusion.reciprocal([words, meaning])
                        : RankFusion.convex(words, meaning, weight: self.keywordWeight)).prefix(100))
            }
            if self.mode == "semantic" || self.mode == "all" { rankings.append(("semantic", semantic)) }
            if self.mode == "hybrid" || self.mode == "all" { rankings.append(("hybrid", hybrid)) }
            print(
                "model \(model.identity); hybrid: "
                    + (self.fusion == "rrf"
                        ? "reciprocal rank fusion, k 60" : "convex, keyword weight \(self.keywordWeight)"))
        }
        var results: [String: Scores] = [:]
        for (mode, ranking) in rankings {
            let scores = self.score(ranking.map { $0.map(\.key) }, collection)
            results[mode] = scores
            print(
                String(
                    format: "%@  nDCG@10 %.4f   Recall@100 %.4f   MRR@10 %.4f",
                    mode.padding(toLength: 8, withPad: " ", startingAt: 0) as NSString, scores.ndcg, scores.recall,
                    scores.mrr))
        }
        let checked = self.mode == "all" ? "hybrid" : self.mode
        if let required = self.requireNDCG, let ndcg = results[checked]?.ndcg, ndcg < required {
            print(
                String(format: "FAIL: %@ nDCG@10 %.4f is below the required %.4f", checked as NSString, ndcg, required))
            throw ExitCode(1)
        }
        if self.requireHybridAboveBoth, let hybrid = results["hybrid"]?.ndcg {
            let best = max(results["keyword"]?.ndcg ?? 0, results["semantic"]?.ndcg ?? 0)
            if hybrid <= best {
                print(String(format: "FAIL: hybrid nDCG@10 %.4f is not above both others (best %.4f)", hybrid, best))
                throw ExitCode(1)
            }
        }
    }

    private func score(_ rankings: [[String]], _ collection: BEIRCollection) -> Scores {
        var scores = Scores()
        for (query, ranking) in zip(collection.queries, rankings) {
            let judgments = collection.judgments[query._id] ?? [:]
            scores.ndcg += RankingMetrics.ndcg(ranking: ranking, judgments: judgments, k: 10)
            scores.recall += RankingMetrics.recall(ranking: ranking, judgments: judgments, k: 100)
            scores.mrr += RankingMetrics.reciprocalRank(ranking: ranking, judgments: judgments, k: 10)
        }
        let count = Double(max(1, collection.queries.count))
        return Scores(ndcg: scores.ndcg / count, recall: scores.recall / count, mrr: scores.mrr / count)
    }

    /// The documents' vectors, from the cache when the model and every text are the same as when
    /// it was written (its name holds the model's checksum and a hash of the texts), else
    /// embedded with our own encoder and cached.
    private func documentVectors(
        _ collection: BEIRCollection, model: EmbeddingModel, name: String
    ) async throws -> FlatVectorIndex {
        let texts = collection.documents.map {
            EmbeddingModel.text(title: $0.title ?? "", abstract: $0.text ?? "")
        }
        var digest = ""
        for (document, text) in zip(collection.documents, texts) {
            digest = EmbeddingModel.textHash(digest + document._id + "\u{0}" + EmbeddingModel.textHash(text))
        }
        let root =
            self.cache ?? ProcessInfo.processInfo.environment["PAPERBOY_CACHE"].map { $0 + "/eval" }
            ?? NSHomeDirectory() + "/.cache/paperboy/eval"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = "\(root)/\(name)-\(model.identity)-\(digest.prefix(16)).bin"
        if let cached = try? FlatVectorIndex.read(path: path), cached.index.count == collection.documents.count {
            print("document vectors: \(cached.index.count) from \(path)")
            return cached.index
        }
        let line = ProgressLine(noun: "documents")
        var index = FlatVectorIndex(dimension: model.encoder.dimension)
        let start = ContinuousClock.now
        for batch in stride(from: 0, to: texts.count, by: 256) {
            let range = batch..<min(texts.count, batch + 256)
            let vectors = await model.embed(Array(texts[range]))
            for (offset, vector) in vectors.enumerated() {
                index.set(collection.documents[range.lowerBound + offset]._id, vector)
            }
            line.update(range.upperBound, fraction: Double(range.upperBound) / Double(texts.count))
        }
        line.finish()
        let seconds = (ContinuousClock.now - start).seconds
        print(
            "document vectors: embedded \(texts.count) in \(String(format: "%.1f", seconds)) s (\(model.encoder.kernels)), cached in \(path)"
        )
        try index.write(to: path, userData: ["model": model.identity, "collection": name])
        return index
    }
}
