import Foundation
import Logging
import PaperboyHarvester
import PaperboyModel
import PaperboyParsers
import PaperboySQLite
import PaperboyStore
import PaperboyTesting
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The recorded OAI-PMH list: five pages of four records joined by `token-1` … `token-4`.
enum RecordedList {
    static func page(_ number: Int) -> Data {
        let url = Bundle.module.url(forResource: "Fixtures/oai/page-\(number)", withExtension: "xml")!
        return try! Data(contentsOf: url)
    }

    static let noRecordsMatch = Data(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
        <responseDate>2025-03-20T10:00:00Z</responseDate>
        <request verb="ListRecords">http://export.arxiv.org/oai2</request>
        <error code="noRecordsMatch">No records match</error>
        </OAI-PMH>
        """.utf8)

    /// The page a request asks for: 1 for a new list, N + 1 for `token-N`; 0 for anything else.
    static func pageNumber(_ request: ScriptedHTTPServer.Request) -> Int {
        guard request.query("verb") == "ListRecords" else { return 0 }
        if let token = request.query("resumptionToken") {
            guard token.hasPrefix("token-"), let n = Int(token.dropFirst(6)), (1...4).contains(n) else { return 0 }
            return n + 1
        }
        return request.query("metadataPrefix") == "arXivRaw" && request.query("set") == "cs" ? 1 : 0
    }

    /// A well-behaved answer.
    static func answer(_ request: ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply {
        if request.query("from") != nil { return .response(status: 200, body: Self.noRecordsMatch) }
        let number = Self.pageNumber(request)
        guard number > 0 else { return .response(status: 400, body: Data("bad request".utf8)) }
        return .response(status: 200, body: Self.page(number))
    }

    /// Papers 1…17 but 2 (deleted on the last page); 3 revised on page 4.
    static let expectedIDs: Set<String> = Set((1...17).filter { $0 != 2 }.map { String(format: "2503.%05d", $0) })

    static func check(_ store: any PaperStore) async throws {
        let changes = try await store.changes(since: 0, limit: 1_000)
        let stored = changes.compactMap(\.paper)
        #expect(Set(stored.map(\.id.rawValue)) == Self.expectedIDs)
        #expect(stored.count == Self.expectedIDs.count, "no paper twice")
        #expect(try await store.count() == Self.expectedIDs.count)
        let revised = try #require(try await store.paper(id: PaperID(try ArxivID(parsing: "2503.00003"))))
        #expect(revised.title == "Harvested paper number 3, revised")
        #expect(revised.versions.map(\.number) == [1, 2])
        #expect(revised.versions.first?.title == "Harvested paper number 3", "v1 keeps its title")
        #expect(try await store.paper(id: PaperID(try ArxivID(parsing: "2503.00002"))) == nil, "the deletion landed")
    }
}

/// Records the waits instead of waiting.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Duration] = []

    var recorded: [Duration] { self.lock.withLock { self.waits } }

    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in self.lock.withLock { self.waits.append(duration) } }
    }
}

@Suite("OAI-PMH harvest against a local server")
struct OAIHarvesterTests {
    static func options(_ server: ScriptedHTTPServer) -> OAIHarvester.Options {
        OAIHarvester.Options(endpoint: server.baseURL + "/oai2", set: "cs")
    }

    @Test(
        "503 with Retry-After, 429, a page cut short, a dropped connection, a transfer cut short and a 500: the exact set lands"
    )
    func faults() async throws {
        // Pages fail before they are served, each in its own way; page 5 twice.
        let attempts = Mutex<[Int: Int]>([:])
        let server = try ScriptedHTTPServer { request in
            let number = RecordedList.pageNumber(request)
            let attempt = attempts.withLock { attempts -> Int in
                attempts[number, default: 0] += 1
                return attempts[number]!
            }
            switch (number, attempt) {
            case (1, 1): return .response(status: 503, headers: ["Retry-After": "7"], body: Data("busy".utf8))
            case (2, 1): return .response(status: 429, headers: ["Retry-After": "11"])
            case (3, 1): return .response(status: 200, body: RecordedList.page(3).prefix(900))
            case (4, 1): return .dropConnection
            case (5, 1): return .truncated(status: 200, body: RecordedList.page(5), bytes: 700)
            case (5, 2): return .response(status: 500)
            default: return RecordedList.answer(request)
            }
        }
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let sleeps = SleepRecorder()
        let retries = Mutex<[String]>([])
        let client = PoliteClient(
            fetcher: NetworkFetcher(timeout: .seconds(10)),
            policy: RetryPolicy(delay: .zero, maxRetries: 3, backoff: .milliseconds(1)),
            sleep: sleeps.sleep,
            onRetry: { _, _, reason in retries.withLock { $0.append(reason) } }
        )
        var problems: [String] = []
        let report = try await OAIHarvester(store: store, client: client, options: Self.options(server)).run {
            problems.append($0.description)
        }
        #expect(report.pages == 5)
        #expect(report.records == 20)
        #expect(report.bad == 1)
        #expect(report.summary.removed == 1)
        #expect(problems.count == 1 && problems[0].contains("2503.99999") && problems[0].contains("page 3"))
        try await RecordedList.check(store)
        let reasons = retries.withLock { $0 }
        #expect(reasons.count == 6, "one retry per fault: \(reasons)")
        #expect(reasons.contains { $0.contains("HTTP 503") })
        #expect(reasons.contains { $0.contains("HTTP 429") })
        #expect(reasons.contains { $0.contains("broken page") })
        #expect(
            reasons.filter { $0.contains("network error") }.count == 2, "the dropped connection and the cut transfer")
        #expect(reasons.contains { $0.contains("HTTP 500") })
        #expect(sleeps.recorded.contains(.seconds(7)), "Retry-After: 7 on the 503 is honoured")
        #expect(sleeps.recorded.contains(.seconds(11)), "Retry-After: 11 on the 429 is honoured")

        // Harvesting again changes nothing; the next run is incremental from the last responseDate.
        let second = try await OAIHarvester(store: store, client: client, options: Self.options(server)).run()
        #expect(second.from == CalendarDay(year: 2025, month: 3, day: 14))
        #expect(second.summary.added == 0 && second.summary.updated == 0)
        #expect(server.requests.last?.query("from") == "2025-03-14")
        #expect(server.requests.last?.query("set") == "cs")
        let again = try await OAIHarvester(
            store: store, client: client,
            options: OAIHarvester.Options(endpoint: server.baseURL + "/oai2", set: "cs", from: nil)
        ).run()
        #expect(again.summary == UpsertSummary())
        try await RecordedList.check(store)
    }

    @Test("a harvest that gives up resumes at the page that failed, and ends with the exact set")
    func resumeAfterFailure() async throws {
        let brokenUntil = Mutex(true)
        let server = try ScriptedHTTPServer { request in
            if RecordedList.pageNumber(request) == 3, brokenUntil.withLock({ $0 }) { return .response(status: 502) }
            return RecordedList.answer(request)
        }
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let client = PoliteClient(
            fetcher: NetworkFetcher(timeout: .seconds(10)),
            policy: RetryPolicy(delay: .zero, maxRetries: 2, backoff: .milliseconds(1)),
            sleep: SleepRecorder().sleep)
        let harvester = OAIHarvester(store: store, client: client, options: Self.options(server))
        await #expect(throws: HarvestError.self) { try await harvester.run() }
        #expect(try await store.count() == 8, "the two pages before the failure landed")
        brokenUntil.withLock { $0 = false }
        let before = server.requests.count
        let report = try await harvester.run()
        #expect(report.resumed)
        #expect(server.requests[before].query("resumptionToken") == "token-2", "resumes at page 3")
        #expect(report.pages == 5)
        try await RecordedList.check(store)
    }

    @Test("an expired resumption token restarts the list instead of failing")
    func expiredToken() async throws {
        // Mode 0: page 3 is unavailable. Mode 1: token-2 has expired (once). Mode 2: all well.
        let mode = Mutex(0)
        let server = try ScriptedHTTPServer { request in
            switch mode.withLock({ $0 }) {
            case 0 where RecordedList.pageNumber(request) == 3:
                return .response(status: 503)
            case 1 where request.query("resumptionToken") == "token-2":
                mode.withLock { $0 = 2 }
                return .response(
                    status: 200,
                    body: Data(
                        """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
                        <responseDate>2025-03-14T10:00:00Z</responseDate><request verb="ListRecords">x</request>
                        <error code="badResumptionToken">The resumptionToken has expired.</error></OAI-PMH>
                        """.utf8))
            default:
                return RecordedList.answer(request)
            }
        }
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let client = PoliteClient(
            fetcher: NetworkFetcher(timeout: .seconds(10)),
            policy: RetryPolicy(delay: .zero, maxRetries: 0, backoff: .milliseconds(1)), sleep: SleepRecorder().sleep)
        let harvester = OAIHarvester(store: store, client: client, options: Self.options(server))
        await #expect(throws: HarvestError.self) { try await harvester.run() }
        mode.withLock { $0 = 1 }
        let report = try await harvester.run()
        #expect(!report.resumed, "the list started over")
        #expect(report.pages == 5)
        #expect(server.requests.suffix(6).first?.query("resumptionToken") == "token-2")
        try await RecordedList.check(store)
    }
}

@Suite("The background harvest of serve")
struct ScheduledHarvestTests {
    @Test("harvests at once, then waits its interval; cancelling stops it")
    func runsAndStops() async throws {
        let server = try ScriptedHTTPServer { RecordedList.answer($0) }
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/p.sqlite")
        let client = PoliteClient(
            fetcher: NetworkFetcher(timeout: .seconds(10)),
            policy: RetryPolicy(delay: .zero, maxRetries: 1, backoff: .milliseconds(1)))
        let harvester = OAIHarvester(
            store: store, client: client, options: OAIHarvester.Options(endpoint: server.baseURL + "/oai2", set: "cs"))
        let service = ScheduledHarvest(harvester: harvester, interval: .seconds(3600), logger: Logger(label: "test"))
        let task = Task { try await service.run() }
        // The first run lands all five pages; then the service sleeps for an hour.
        for _ in 0..<200 where try await store.count() < RecordedList.expectedIDs.count {
            try await Task.sleep(for: .milliseconds(25))
        }
        try await RecordedList.check(store)
        let requests = server.requests.count
        task.cancel()
        try await task.value
        #expect(server.requests.count == requests, "nothing more after cancelling")
    }
}
