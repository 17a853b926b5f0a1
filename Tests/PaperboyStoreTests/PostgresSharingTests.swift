import Foundation
import PaperboyModel
import PaperboyPostgres
import PaperboyStore
import Synchronization
import Testing

/// What several nodes share through one PostgreSQL database, each node a store of its own over
/// the same schema: migrations run at once, the exclusive jobs, the rate limits, the site secret
/// and the change notices.
@Suite("PostgreSQL shared by several nodes", .enabled(if: PostgresTestDatabase.enabled, PostgresTestDatabase.note))
struct PostgresSharingTests {
    /// Two nodes over one new schema, opened (and so migrated) at the same moment.
    private func twoNodes() async throws -> (PostgresStore, PostgresStore) {
        let schema = PostgresTestDatabase.newSchema()
        async let first = PostgresTestDatabase.store(schema: schema)
        async let second = PostgresTestDatabase.store(schema: schema)
        return try await (first, second)
    }

    @Test("two nodes migrating an empty schema at once apply each migration once")
    func migrationsAtOnce() async throws {
        let (one, two) = try await self.twoNodes()
        #expect(try await one.appliedMigrations() == PostgresStore.migrations)
        #expect(try await two.appliedMigrations() == PostgresStore.migrations)
    }

    @Test("a job one node holds is skipped by the other, and runs again once it is done")
    func exclusiveJob() async throws {
        let (one, two) = try await self.twoNodes()
        let (entered, enter) = AsyncStream.makeStream(of: Void.self)
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await one.runExclusively("harvest") { () async -> String in
                enter.yield()
                for await _ in released { break }
                return "ran on one"
            }
        }
        for await _ in entered { break }
        let skipped = try await two.runExclusively("harvest") { "ran on two" }
        #expect(skipped == nil, "the other node ran a job that one node held")
        let other = try await two.runExclusively("digest") { "another job" }
        #expect(other == "another job", "a different job was held back")
        release.yield()
        #expect(try await holder.value == "ran on one")
        let after = try await two.runExclusively("harvest") { "ran on two" }
        #expect(after == "ran on two", "the job stayed held after it finished")
    }

    @Test("a job that throws lets go of its lock")
    func exclusiveJobThatThrows() async throws {
        let (one, two) = try await self.twoNodes()
        struct Failure: Error {}
        await #expect(throws: Failure.self) {
            _ = try await one.runExclusively("harvest") { () async throws -> Int in throw Failure() }
        }
        #expect(try await two.runExclusively("harvest") { 1 } == 1)
    }

    @Test("a rate limit holds across nodes: a bucket of 5 gives 5 attempts in all")
    func rateLimitAcrossNodes() async throws {
        let (one, two) = try await self.twoNodes()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for attempt in 0..<20 {
                let node = attempt.isMultiple(of: 2) ? one : two
                group.addTask { try await node.takeAttempt("sign-in:x", capacity: 5, perMinute: 1, at: now) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 5)
        #expect(try await one.takeAttempt("sign-in:y", capacity: 5, perMinute: 1, at: now), "keys share a bucket")
    }

    @Test("a bucket refills at its rate, up to its capacity")
    func rateLimitRefills() async throws {
        let store = try await PostgresTestDatabase.store()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        func take(after seconds: Double) async throws -> Bool {
            try await store.takeAttempt("k", capacity: 3, perMinute: 2, at: start.addingTimeInterval(seconds))
        }
        for _ in 0..<3 { #expect(try await take(after: 0)) }
        #expect(try await !take(after: 0), "a fourth attempt from a bucket of 3")
        #expect(try await !take(after: 29), "refilled before its time (2 a minute: one every 30 s)")
        #expect(try await take(after: 30))
        #expect(try await !take(after: 31))
        // An hour later the bucket is full again, but no fuller than 3.
        for _ in 0..<3 { #expect(try await take(after: 3_600)) }
        #expect(try await !take(after: 3_600))
        // A node whose clock is behind refills nothing.
        #expect(try await !take(after: 1_000))
    }

    @Test("every node gets the same site secret, made by whichever asks first")
    func sharedSecret() async throws {
        let (one, two) = try await self.twoNodes()
        async let first = one.sharedSecret(named: "signing")
        async let second = two.sharedSecret(named: "signing")
        let (a, b) = try await (first, second)
        #expect(a == b)
        #expect(a.count == 32)
        #expect(try await one.sharedSecret(named: "other") != a)
    }

    @Test("writes through one node are noticed by the other's listener")
    func changeNotices() async throws {
        let (one, two) = try await self.twoNodes()
        let member = try await one.createMember(
            email: try EmailAddress(parsing: "n@example.org"), displayName: "n", passwordHash: "h", role: .member,
            at: Date())
        let seen = Mutex(Set<StoreChange>())
        let listening = Task { try await two.listen { change in seen.withLock { _ = $0.insert(change) } } }
        defer { listening.cancel() }
        // The listener has its connection (and LISTENs) a moment after it starts: write until both
        // kinds of notice come, for at most 5 s.
        let deadline = ContinuousClock.now + .seconds(5)
        var round = 0
        while seen.withLock({ $0.count }) < 2, ContinuousClock.now < deadline {
            let paper = Paper(
                id: PaperID(try ArxivID(parsing: "2612.\(10000 + round)")), title: "Notice \(round)",
                announced: CalendarDay(year: 2026, month: 12, day: 1)!)
            _ = try await one.write(StoreBatch(papers: [paper]))
            _ = try await one.toggleUpvote(memberID: member.id, paperID: paper.id, at: Date())
            round += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(seen.withLock { $0 } == [.papers, .community])
    }
}
