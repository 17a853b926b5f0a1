public import Foundation
public import PaperboyModel
public import PaperboyParsers
public import PaperboyStore

/// Runs a query against the arXiv API (`export.arxiv.org/api/query`) and stores the results,
/// page by page (one transaction each), waiting between pages as arXiv asks. As a
/// ``PaperSource`` it fetches single papers by id (for submissions).
public struct ArxivAPIFetcher: PaperSource {
    /// The store written to.
    public let store: any PaperStore
    /// The network.
    public let client: PoliteClient
    /// The API's query URL.
    public let endpoint: String

    /// Creates a fetcher.
    public init(store: any PaperStore, client: PoliteClient, endpoint: String = "https://export.arxiv.org/api/query") {
        self.store = store
        self.client = client
        self.endpoint = endpoint
    }

    /// What a run did.
    public struct Report: Sendable {
        /// Pages fetched.
        public var pages = 0
        /// Results the query has in all.
        public var totalResults: Int?
        /// The store's counts.
        public var summary = UpsertSummary()
        /// Entries rejected.
        public var bad = 0
    }

    /// Fetches up to `limit` results of `query` (arXiv's syntax: `cat:cs.LG AND ti:diffusion`),
    /// `pageSize` per request.
    ///
    /// - Throws: ``HarvestError`` when the API fails past the retry limit or rejects the query.
    public func run(
        query: String, limit: Int = 100, pageSize: Int = 100, problem: (ParseError) -> Void = { _ in },
        progress: (Report) -> Void = { _ in }
    ) async throws -> Report {
        var report = Report()
        var start = 0
        let pageSize = max(1, min(pageSize, 2_000))
        while start < limit {
            try Task.checkCancellation()
            let url = OAIHarvester.url(
                self.endpoint,
                [
                    URLQueryItem(name: "search_query", value: query),
                    URLQueryItem(name: "start", value: String(start)),
                    URLQueryItem(name: "max_results", value: String(min(pageSize, limit - start))),
                    URLQueryItem(name: "sortBy", value: "submittedDate"),
                    URLQueryItem(name: "sortOrder", value: "descending"),
                ])
            let page: ArxivAPIPage
            do {
                page = try await self.client.fetch(url) { data in
                    try ArxivAPIParser(source: "\(url) (page \(report.pages + 1))").parse(data)
                }
            } catch let error as ParseError {
                throw HarvestError(.protocolError, error.description)
            }
            for error in page.errors { problem(error) }
            report.pages += 1
            report.bad += page.errors.count
            report.totalResults = page.totalResults
            report.summary += try await self.store.write(StoreBatch(papers: page.papers))
            progress(report)
            let received = page.papers.count + page.errors.count
            start += received
            if received == 0 || start >= (page.totalResults ?? Int.max) { break }
        }
        return report
    }

    /// Fetches the papers with these ids (`id_list`) and stores them.
    ///
    /// - Throws: ``HarvestError`` when the API fails past the retry limit.
    @discardableResult
    public func fetch(ids: [ArxivID]) async throws -> Report {
        var report = Report()
        let url = OAIHarvester.url(
            self.endpoint,
            [
                URLQueryItem(name: "id_list", value: ids.map(\.description).joined(separator: ",")),
                URLQueryItem(name: "max_results", value: String(ids.count)),
            ])
        let page: ArxivAPIPage
        do {
            page = try await self.client.fetch(url) { data in try ArxivAPIParser(source: url).parse(data) }
        } catch let error as ParseError {
            throw HarvestError(.protocolError, error.description)
        }
        report.pages = 1
        report.bad = page.errors.count
        report.totalResults = page.totalResults
        report.summary = try await self.store.write(StoreBatch(papers: page.papers))
        return report
    }

    public func fetch(_ id: ArxivID) async throws {
        try await self.fetch(ids: [id])
    }
}
