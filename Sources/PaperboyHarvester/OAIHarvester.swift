public import Foundation
public import PaperboyModel
public import PaperboyParsers
public import PaperboyStore

/// Harvests arXiv's OAI-PMH interface (`ListRecords`) into a store, resumably.
///
/// Each page lands in one store transaction together with a checkpoint (the page's
/// `resumptionToken`), so a harvest killed at any moment resumes at the first page that did not
/// land; pages already landed would merge as unchanged anyway. When a list ends, the checkpoint
/// keeps the day of the first page's `responseDate`, and the next harvest without `from` starts
/// there: incremental runs pick up what changed since.
public struct OAIHarvester: Sendable {
    /// What to harvest.
    public struct Options: Sendable, Hashable {
        /// The OAI-PMH base URL.
        public var endpoint: String
        /// `arXivRaw` (every version with its date) or `arXiv`.
        public var metadataPrefix: String
        /// A set such as `cs` or `cs:cs:LG`, or `nil` for everything.
        public var set: String?
        /// Only records changed on or after this day; `nil`: since the last harvest (or all).
        public var from: CalendarDay?
        /// Only records changed on or before this day.
        public var until: CalendarDay?

        /// Creates options.
        public init(
            endpoint: String = "https://oaipmh.arxiv.org/oai", metadataPrefix: String = "arXivRaw",
            set: String? = nil, from: CalendarDay? = nil, until: CalendarDay? = nil
        ) {
            self.endpoint = endpoint
            self.metadataPrefix = metadataPrefix
            self.set = set
            self.from = from
            self.until = until
        }

        /// The store checkpoint this harvest resumes from.
        public var checkpointName: String {
            "oai-pmh \(self.endpoint) \(self.metadataPrefix) \(self.set ?? "*")"
        }
    }

    /// What a harvest did.
    public struct Report: Sendable, Hashable {
        /// Pages landed.
        public var pages = 0
        /// Records read, good, deleted and bad.
        public var records = 0
        /// The store's counts.
        public var summary = UpsertSummary()
        /// Records rejected.
        public var bad = 0
        /// How many records the whole list has, when the repository says.
        public var completeListSize: Int?
        /// Whether the harvest resumed an interrupted one.
        public var resumed = false
        /// The `from` day asked for, if any.
        public var from: CalendarDay?

        /// Creates an empty report.
        public init() {}
    }

    /// The resume state saved with every page.
    struct State: Codable, Equatable {
        /// The token of the next page while a list is being harvested.
        var token: String?
        /// The `from` and `until` of the list being harvested.
        var from: String?
        var until: String?
        /// The `responseDate` of the list's first page.
        var started: String?
        /// Where the next incremental harvest starts.
        var nextFrom: String?
        /// Pages and records landed of the list being harvested.
        var pages: Int?
        var records: Int?
    }

    /// The store written to.
    public let store: any PaperStore
    /// The network, with its waits and retries.
    public let client: PoliteClient
    /// What to harvest.
    public let options: Options

    /// Creates a harvester.
    public init(store: any PaperStore, client: PoliteClient, options: Options) {
        self.store = store
        self.client = client
        self.options = options
    }

    /// Runs the harvest to the end of the list.
    ///
    /// - Parameters:
    ///   - problem: called with each rejected record.
    ///   - progress: called after each page with the running totals.
    /// - Throws: ``HarvestError`` when the server fails past the retry limit or answers with an
    ///   OAI-PMH error; the pages before it have landed and the next run resumes after them.
    public func run(
        problem: (ParseError) -> Void = { _ in },
        progress: (Report) -> Void = { _ in }
    ) async throws -> Report {
        guard let base = URL(string: self.options.endpoint), base.scheme == "http" || base.scheme == "https" else {
            throw HarvestError(.invalidRequest, "\(self.options.endpoint) is not an http(s) URL")
        }
        let name = self.options.checkpointName
        var state = try await self.store.checkpoint(named: name).flatMap(Self.decode) ?? State()
        var report = Report()
        let askedFrom = self.options.from?.description
        let askedUntil = self.options.until?.description
        var url: String
        if let token = state.token, askedFrom == nil || askedFrom == state.from, askedUntil == state.until {
            url = self.tokenURL(token)
            report.resumed = true
            report.pages = state.pages ?? 0
            report.records = state.records ?? 0
        } else {
            state.token = nil
            state.started = nil
            state.from = askedFrom ?? state.nextFrom
            state.until = askedUntil
            state.pages = 0
            state.records = 0
            url = self.firstURL(from: state.from, until: state.until)
        }
        report.from = state.from.flatMap { try? CalendarDay(parsing: $0) }
        while true {
            try Task.checkCancellation()
            let pageNumber = report.pages + 1
            let source = "\(url) (page \(pageNumber))"
            let page: OAIPMHPage
            do {
                page = try await self.client.fetch(url) { data in try OAIPMHParser(source: source).parse(data) }
            } catch let error as ParseError where error.code == .protocolError {
                if report.resumed, report.pages == (state.pages ?? 0), error.reason.contains("badResumptionToken") {
                    // The saved token expired while the harvest was stopped: start the list again
                    // (pages already landed merge as unchanged).
                    report.resumed = false
                    report.pages = 0
                    report.records = 0
                    state.token = nil
                    state.started = nil
                    state.pages = 0
                    state.records = 0
                    url = self.firstURL(from: state.from, until: state.until)
                    continue
                }
                throw HarvestError(.protocolError, error.description)
            } catch let error as ParseError {
                throw HarvestError(.protocolError, error.description)
            }
            for error in page.errors { problem(error) }
            if state.started == nil { state.started = page.responseDate }
            report.pages += 1
            report.records += page.recordCount
            report.bad += page.errors.count
            report.completeListSize = page.completeListSize ?? report.completeListSize
            state.token = page.resumptionToken
            state.pages = report.pages
            state.records = report.records
            if page.resumptionToken == nil {
                state.nextFrom = state.started.map { String($0.prefix(10)) } ?? state.nextFrom
                state.started = nil
                state.from = nil
                state.until = nil
            }
            let batch = StoreBatch(
                papers: page.papers, removals: page.deletions,
                checkpoint: Checkpoint(name: name, value: Self.encode(state)))
            report.summary += try await self.store.write(batch)
            progress(report)
            guard let token = page.resumptionToken else { return report }
            url = self.tokenURL(token)
        }
    }

    private func firstURL(from: String?, until: String?) -> String {
        var items = [
            URLQueryItem(name: "verb", value: "ListRecords"),
            URLQueryItem(name: "metadataPrefix", value: self.options.metadataPrefix),
        ]
        if let set = self.options.set { items.append(URLQueryItem(name: "set", value: set)) }
        if let from { items.append(URLQueryItem(name: "from", value: from)) }
        if let until { items.append(URLQueryItem(name: "until", value: until)) }
        return Self.url(self.options.endpoint, items)
    }

    private func tokenURL(_ token: String) -> String {
        Self.url(
            self.options.endpoint,
            [URLQueryItem(name: "verb", value: "ListRecords"), URLQueryItem(name: "resumptionToken", value: token)])
    }

    static func url(_ endpoint: String, _ items: [URLQueryItem]) -> String {
        var components = URLComponents(string: endpoint)!
        components.queryItems = (components.queryItems ?? []) + items
        // `+`, `|` and `:` in tokens and sets must survive as themselves.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string!
    }

    private static func encode(_ state: State) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try! encoder.encode(state), as: UTF8.self)
    }

    private static func decode(_ text: String) -> State? {
        try? JSONDecoder().decode(State.self, from: Data(text.utf8))
    }
}
