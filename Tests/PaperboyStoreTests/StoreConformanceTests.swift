import Foundation
import PaperboyModel
import PaperboySQLite
import PaperboyStore
import PaperboyTesting
import Testing

@Suite("PaperStore conformance")
struct StoreConformanceTests {
    @Test("MemoryPaperStore", arguments: PaperStoreConformance.checks)
    func memory(_ check: PaperStoreConformance.Check) async throws {
        try await check.run(MemoryPaperStore())
    }

    @Test("SQLitePaperStore", arguments: PaperStoreConformance.checks)
    func sqlite(_ check: PaperStoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        try await check.run(try SQLitePaperStore(path: directory.path + "/papers.sqlite"))
    }
}

@Suite("MemberStore conformance")
struct MemberStoreConformanceTests {
    @Test("MemoryMemberStore", arguments: MemberStoreConformance.checks)
    func memory(_ check: MemberStoreConformance.Check) async throws {
        try await check.run(MemoryMemberStore())
    }

    @Test("SQLitePaperStore", arguments: MemberStoreConformance.checks)
    func sqlite(_ check: MemberStoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        try await check.run(try SQLitePaperStore(path: directory.path + "/papers.sqlite"))
    }
}
