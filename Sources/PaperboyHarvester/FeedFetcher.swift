public import Foundation
public import PaperboyModel
public import PaperboyParsers
public import PaperboyStore

/// Reads arXiv's daily announcement feed for some categories (`cs.LG+cs.CV`) into a store: one
/// request, one transaction.
public struct FeedFetcher: Sendable {
    /// The store written to.
    public let store: any PaperStore
    /// The network.
    public let client: PoliteClient
    /// The feed's base URL; the categories are appended.
    public let baseURL: String

    /// Creates a fetcher.
    public init(store: any PaperStore, client: PoliteClient, baseURL: String = "https://rss.arxiv.org/rss/") {
        self.store = store
        self.client = client
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
    }

    /// What a run did.
    public struct Report: Sendable {
        /// The feed's day.
        public var day: String?
        /// Entries by announce type.
        public var types: [AnnounceType: Int] = [:]
        /// The store's counts.
        public var summary = UpsertSummary()
        /// Entries rejected.
        public var bad = 0
    }

    /// Fetches and stores the feed of `categories` (`cs.LG+cs.CV`).
    ///
    /// - Throws: ``HarvestError`` when the categories are malformed or the feed cannot be fetched
    ///   or read.
    public func run(categories: String, problem: (ParseError) -> Void = { _ in }) async throws -> Report {
        let valid = categories.split(separator: "+").allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }
        }
        guard valid else {
            throw HarvestError(
                .invalidRequest, "\"\(categories)\" is not a list of categories like cs.LG or cs.LG+cs.CV")
        }
        let url = self.baseURL + categories
        let page: FeedPage
        do {
            page = try await self.client.fetch(url) { data in try ArxivFeedParser(source: url).parse(data) }
        } catch let error as ParseError {
            throw HarvestError(.protocolError, error.description)
        }
        for error in page.errors { problem(error) }
        var report = Report()
        report.day = page.day?.description
        report.bad = page.errors.count
        for entry in page.entries { report.types[entry.announceType, default: 0] += 1 }
        report.summary = try await self.store.write(StoreBatch(papers: page.entries.map(\.paper)))
        return report
    }
}
