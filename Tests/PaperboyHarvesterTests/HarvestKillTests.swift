import Foundation
import PaperboyHarvester
import PaperboySQLite
import PaperboyTesting
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The `paperboy` executable built beside the test bundle, if there is one.
enum PaperboyBinary {
    static var path: String? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for folder in candidates {
            let path = folder.appendingPathComponent("paperboy").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

@Suite("A harvest killed with SIGKILL and restarted")
struct HarvestKillTests {
    @Test(
        "killed mid-request at page 2, then at page 4, then run to the end: the exact set, nothing twice",
        .enabled(if: PaperboyBinary.path != nil, "needs the paperboy executable next to the tests (swift build)"))
    func killAndResume() async throws {
        let binary = try #require(PaperboyBinary.path)
        // Which page's request kills the harvesting process, and its pid.
        let killAt = Mutex<Int?>(nil)
        let child = Mutex<pid_t>(0)
        let server = try ScriptedHTTPServer { request in
            let number = RecordedList.pageNumber(request)
            if let page = killAt.withLock({ $0 }), number == page {
                kill(child.withLock { $0 }, SIGKILL)
                return .dropConnection
            }
            return RecordedList.answer(request)
        }
        let directory = try TemporaryDirectory()
        let database = directory.path + "/harvest.sqlite"

        func harvest(killingAt page: Int?) throws -> Int32 {
            killAt.withLock { $0 = page }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [
                "ingest", "arxiv", "--database", database, "--endpoint", server.baseURL + "/oai2", "--set", "cs",
                "--delay", "0", "--backoff", "0.01", "--retries", "2", "--timeout", "10",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            child.withLock { $0 = process.processIdentifier }
            process.waitUntilExit()
            return process.terminationStatus
        }

        let first = try harvest(killingAt: 2)
        #expect(first == SIGKILL, "killed while asking for page 2")
        let afterFirst = try SQLitePaperStore(path: database)
        #expect(try await afterFirst.count() == 4, "page 1 landed, page 2 did not")

        let requestsBefore = server.requests.count
        let second = try harvest(killingAt: 4)
        #expect(second == SIGKILL, "killed while asking for page 4")
        #expect(
            server.requests[requestsBefore].query("resumptionToken") == "token-1",
            "the restarted harvest resumes at page 2")
        #expect(try await afterFirst.count() == 11, "pages 2 and 3 landed (one bad record)")

        let third = try harvest(killingAt: nil)
        #expect(third == 0, "finishes (the bad record was on page 3, reported by the second run)")
        try await RecordedList.check(try SQLitePaperStore(path: database))
        let pages = server.requests.map(RecordedList.pageNumber)
        #expect(pages.filter { $0 == 1 }.count == 1, "page 1 fetched once across three runs: \(pages)")
    }
}
