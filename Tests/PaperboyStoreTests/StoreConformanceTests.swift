import Foundation
import PaperboyModel
import PaperboyPostgres
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

    @Test(
        "PostgresStore", .enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note),
        arguments: PaperStoreConformance.checks)
    func postgres(_ check: PaperStoreConformance.Check) async throws {
        try await check.run(try await PostgresTestDatabase.store())
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

    @Test(
        "PostgresStore", .enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note),
        arguments: MemberStoreConformance.checks)
    func postgres(_ check: MemberStoreConformance.Check) async throws {
        try await check.run(try await PostgresTestDatabase.store())
    }
}

@Suite("VoteStore conformance")
struct VoteStoreConformanceTests {
    @Test("MemoryVoteStore", arguments: VoteStoreConformance.checks)
    func memory(_ check: VoteStoreConformance.Check) async throws {
        try await check.run(MemoryVoteStore())
    }

    @Test("SQLitePaperStore", arguments: VoteStoreConformance.checks)
    func sqlite(_ check: VoteStoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/papers.sqlite")
        // Upvotes belong to members: make the two the check uses.
        for name in ["one", "two"] {
            _ = try await store.createMember(
                email: try EmailAddress(parsing: "\(name)@example.org"), displayName: name, passwordHash: "h",
                role: .member, at: Date())
        }
        try await check.run(store)
    }

    @Test(
        "PostgresStore", .enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note),
        arguments: VoteStoreConformance.checks)
    func postgres(_ check: VoteStoreConformance.Check) async throws {
        try await check.run(try await PostgresTestDatabase.storeWithMembers())
    }
}

@Suite("FeedbackStore conformance")
struct FeedbackStoreConformanceTests {
    @Test("MemoryFeedbackStore", arguments: FeedbackStoreConformance.checks)
    func memory(_ check: FeedbackStoreConformance.Check) async throws {
        try await check.run(MemoryFeedbackStore())
    }

    @Test("SQLitePaperStore", arguments: FeedbackStoreConformance.checks)
    func sqlite(_ check: FeedbackStoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        try await check.run(try await Self.sqliteWithMembers(directory))
    }

    @Test(
        "PostgresStore", .enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note),
        arguments: FeedbackStoreConformance.checks)
    func postgres(_ check: FeedbackStoreConformance.Check) async throws {
        try await check.run(try await PostgresTestDatabase.storeWithMembers())
    }

    @Test func sqliteRefusesAnUnknownMember() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.sqliteWithMembers(directory)
        await #expect(throws: StoreError.self) {
            try await store.setFeedback(.notInterested, memberID: 99, paperID: Self.paper, at: Date())
        }
        #expect(try await store.feedback(of: 99).isEmpty)
    }

    @Test(.enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note))
    func postgresRefusesAnUnknownMember() async throws {
        let store = try await PostgresTestDatabase.storeWithMembers()
        await #expect(throws: StoreError.self) {
            try await store.setFeedback(.notInterested, memberID: 99, paperID: Self.paper, at: Date())
        }
        #expect(try await store.feedback(of: 99).isEmpty)
    }

    private static let paper = PaperID(try! ArxivID(parsing: "2503.00001"))

    /// A SQLite store with members 1 and 2.
    private static func sqliteWithMembers(_ directory: TemporaryDirectory) async throws -> SQLitePaperStore {
        let store = try SQLitePaperStore(path: directory.path + "/papers.sqlite")
        for name in ["one", "two"] {
            _ = try await store.createMember(
                email: try EmailAddress(parsing: "\(name)@example.org"), displayName: name, passwordHash: "h",
                role: .member, at: Date())
        }
        return store
    }
}

@Suite("CommunityStore conformance")
struct CommunityStoreConformanceTests {
    @Test("MemoryCommunityStore", arguments: CommunityStoreConformance.checks)
    func memory(_ check: CommunityStoreConformance.Check) async throws {
        try await check.run(MemoryCommunityStore())
    }

    @Test("SQLitePaperStore", arguments: CommunityStoreConformance.checks)
    func sqlite(_ check: CommunityStoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLitePaperStore(path: directory.path + "/papers.sqlite")
        for name in ["one", "two"] {
            _ = try await store.createMember(
                email: try EmailAddress(parsing: "\(name)@example.org"), displayName: name, passwordHash: "h",
                role: .member, at: Date())
        }
        try await check.run(store)
    }

    @Test(
        "PostgresStore", .enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note),
        arguments: CommunityStoreConformance.checks)
    func postgres(_ check: CommunityStoreConformance.Check) async throws {
        try await check.run(try await PostgresTestDatabase.storeWithMembers())
    }
}

@Suite("SubscriptionStore conformance")
struct SubscriptionStoreConformanceTests {
    @Test("MemorySubscriptionStore", arguments: SubscriptionStoreConformance.checks)
    func memory(_ check: SubscriptionStoreConformance.Check) async throws {
        try await check.run(MemorySubscriptionStore())
    }

    @Test("SQLitePaperStore", arguments: SubscriptionStoreConformance.checks)
    func sqlite(_ check: SubscriptionStoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        try await check.run(try SQLitePaperStore(path: directory.path + "/papers.sqlite"))
    }

    @Test(
        "PostgresStore", .enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note),
        arguments: SubscriptionStoreConformance.checks)
    func postgres(_ check: SubscriptionStoreConformance.Check) async throws {
        try await check.run(try await PostgresTestDatabase.store())
    }
}

@Suite("EmbeddingStore conformance")
struct EmbeddingStoreConformanceTests {
    @Test("MemoryEmbeddingStore", arguments: EmbeddingStoreConformance.checks)
    func memory(_ check: EmbeddingStoreConformance.Check) async throws {
        try await check.run(MemoryEmbeddingStore())
    }

    @Test("SQLitePaperStore", arguments: EmbeddingStoreConformance.checks)
    func sqlite(_ check: EmbeddingStoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        try await check.run(try SQLitePaperStore(path: directory.path + "/papers.sqlite"))
    }

    @Test(
        "PostgresStore", .enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note),
        arguments: EmbeddingStoreConformance.checks)
    func postgres(_ check: EmbeddingStoreConformance.Check) async throws {
        try await check.run(try await PostgresTestDatabase.store())
    }
}

@Suite("ListStore conformance")
struct ListStoreConformanceTests {
    @Test("MemoryListStore", arguments: ListStoreConformance.checks)
    func memory(_ check: ListStoreConformance.Check) async throws {
        try await check.run(Storage.memory())
    }

    @Test("SQLitePaperStore", arguments: ListStoreConformance.checks)
    func sqlite(_ check: ListStoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        try await check.run(try SQLitePaperStore(path: directory.path + "/papers.sqlite").storage)
    }

    @Test(
        "PostgresStore", .enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note),
        arguments: ListStoreConformance.checks)
    func postgres(_ check: ListStoreConformance.Check) async throws {
        try await check.run(try await PostgresTestDatabase.store().storage)
    }
}
