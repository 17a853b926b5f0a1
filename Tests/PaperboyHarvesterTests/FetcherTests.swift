import Foundation
import PaperboyHarvester
import PaperboyModel
import PaperboyParsers
import PaperboySQLite
import PaperboyStore
import PaperboyTesting
import Synchronization
import Testing

/// The parser tests' arXiv fixtures, read from the checkout.
private func parserFixture(_ name: String) -> Data {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PaperboyParsersTests/Fixtures/arxiv/" + name)
    return try! Data(contentsOf: url)
}

@Suite("Announcement feeds and API queries against a local server")
struct FetcherTests {
    static func client() -> PoliteClient {
        PoliteClient(
            fetcher: NetworkFetcher(timeout: .seconds(10)),
            policy: RetryPolicy(delay: .zero, maxRetries: 2, backoff: .milliseconds(1)), sleep: SleepRecorder().sleep)
    }

    @Test("a feed of two categories lands with its announce types; a second fetch changes nothing")
    func feed() async throws {
        let server = try ScriptedHTTPServer { request in
            request.target == "/rss/cs.LG+cs.CV"
                ? .response(status: 200, body: parserFixture("feed-cs.LG.rss")) : .response(status: 404)
        }
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let fetcher = FeedFetcher(store: store, client: Self.client(), baseURL: server.baseURL + "/rss")
        var problems: [ParseError] = []
        let report = try await fetcher.run(categories: "cs.LG+cs.CV") { problems.append($0) }
        #expect(report.day == "2025-01-06")
        #expect(report.types == [.new: 1, .cross: 1, .replace: 1])
        #expect(report.summary.added == 3 && report.bad == 1 && problems.count == 1)
        let again = try await fetcher.run(categories: "cs.LG+cs.CV")
        #expect(again.summary.added == 0 && again.summary.updated == 0)
        await #expect(throws: HarvestError.self) { try await fetcher.run(categories: "cs.LG/../../etc") }
        let missing = FeedFetcher(store: store, client: Self.client(), baseURL: server.baseURL + "/nowhere")
        do {
            _ = try await missing.run(categories: "cs.LG")
            Issue.record("a 404 must fail")
        } catch let error as HarvestError {
            #expect(error.code == .refused && error.message.contains("HTTP 404"))
        }
    }

    @Test("an API query pages with start and max_results until the results run out")
    func apiPaging() async throws {
        let page = parserFixture("api-query.xml")
        let empty = Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>ArXiv Query</title><id>http://arxiv.org/api/x</id><updated>2025-01-01T00:00:00-05:00</updated>
              <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">2</opensearch:totalResults>
            </feed>
            """.utf8)
        let server = try ScriptedHTTPServer { request in
            guard request.query("search_query") == "cat:cs.LG AND ti:attention" else { return .response(status: 400) }
            return .response(status: 200, body: request.query("start") == "0" ? page : empty)
        }
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let fetcher = ArxivAPIFetcher(store: store, client: Self.client(), endpoint: server.baseURL + "/api/query")
        let report = try await fetcher.run(query: "cat:cs.LG AND ti:attention", limit: 50, pageSize: 2)
        #expect(report.summary.added == 2)
        #expect(report.pages == 2, "the second page is empty: the query has no more")
        #expect(server.requests.map { $0.query("start") } == ["0", "2"])
        #expect(server.requests.first?.query("max_results") == "2")
        #expect(try await store.paper(id: PaperID(try ArxivID(parsing: "2501.00007")))?.latestVersion == 3)
    }
}
