import Foundation
import PaperboyModel
public import PaperboyStore

/// The checks every ``PaperStore`` must pass, whatever keeps its data.
///
/// A test target runs each check against a fresh, empty store:
///
/// ```swift
/// @Test(arguments: PaperStoreConformance.checks)
/// func memory(_ check: PaperStoreConformance.Check) async throws {
///     try await check.run(MemoryPaperStore())
/// }
/// ```
public enum PaperStoreConformance {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check is about.
        public let name: String
        /// Runs the check against an empty store; throws ``ConformanceFailure`` when it fails.
        public let run: @Sendable (any PaperStore) async throws -> Void

        public var description: String { self.name }
    }

    /// All checks.
    public static let checks: [Check] = [
        Check(name: "an empty store has nothing", run: emptyStore),
        Check(name: "upsert adds papers that read back equal", run: addAndRead),
        Check(name: "upserting the same papers again changes nothing", run: idempotentUpsert),
        Check(name: "an update merges and moves the paper up the change feed", run: updateMerges),
        Check(name: "records with one id in a batch merge in order", run: duplicatesInBatch),
        Check(name: "a day lists its papers in first-stored order, paged", run: dayListing),
        Check(name: "keys of a span of days come newest day first, filtered by category", run: spanKeys),
        Check(name: "announcement days come newest first with counts", run: announcementDays),
        Check(name: "adjacent days skip days without papers", run: adjacentDays),
        Check(name: "the change feed is ordered, limited and complete", run: changeFeed),
        Check(name: "removal is a change and can be undone by adding again", run: removal),
        Check(name: "every field round-trips, Unicode included", run: roundTrip),
        Check(name: "a large batch lands whole", run: largeBatch),
        Check(name: "title-only records and real records of one paper become one, in either order", run: titleMerge),
        Check(name: "a batch's papers, removals and checkpoint land together", run: batchWithCheckpoint),
        Check(name: "a newer version updates in place and keeps the replaced text", run: newerVersion),
    ]

    // MARK: Fixtures

    static let day1 = CalendarDay(year: 2025, month: 3, day: 10)!
    static let day2 = CalendarDay(year: 2025, month: 3, day: 12)!
    static let day3 = CalendarDay(year: 2025, month: 3, day: 14)!

    static func paper(_ n: Int, day: CalendarDay = day1, title: String? = nil) -> Paper {
        let id = PaperID(try! ArxivID(parsing: "2503.\(String(10000 + n))"))
        return Paper(
            id: id,
            title: title ?? "Paper number \(n)",
            abstract: "Abstract of paper \(n).",
            authors: [Author(name: "Author \(n)"), Author(name: "Coauthor \(n)")],
            categories: ["cs.LG", "stat.ML"],
            announced: day
        )
    }

    // MARK: Checks

    static func emptyStore(_ store: any PaperStore) async throws {
        try expectEqual(try await store.count(), 0, "count")
        try expectEqual(try await store.latestSequence(), 0, "latestSequence")
        try expect(try await store.paper(id: paper(1).id) == nil, "paper(id:) of an unknown id is nil")
        try expect(try await store.announcementDays(limit: 10).isEmpty, "no announcement days")
        try expect(try await store.latestAnnouncementDay() == nil, "no latest day")
        try expect(try await store.changes(since: 0, limit: 10).isEmpty, "no changes")
        let page = try await store.papers(announcedOn: day1, page: PageRequest())
        try expect(page.items.isEmpty && page.total == 0, "an empty day")
        try expectEqual(
            try await store.adjacentAnnouncementDays(to: day1), AdjacentDays(previous: nil, next: nil), "adjacent days")
    }

    static func addAndRead(_ store: any PaperStore) async throws {
        let papers = [paper(1), paper(2), paper(3, day: day2)]
        let summary = try await store.upsert(papers)
        try expectEqual(summary, UpsertSummary(added: 3), "summary")
        for paper in papers {
            try expectEqual(try await store.paper(id: paper.id), paper, "paper \(paper.id)")
        }
        try expectEqual(try await store.count(), 3, "count")
        let missing = paper(99).id
        let some = try await store.papers(ids: [papers[2].id, missing, papers[0].id])
        try expectEqual(
            some.map(\.id), [papers[2].id, papers[0].id], "papers(ids:) keeps the order of ids and skips unknown ones")
        try expectEqual(try await store.latestSequence(), 3, "one sequence number per paper")
    }

    static func idempotentUpsert(_ store: any PaperStore) async throws {
        let papers = (1...5).map { paper($0) }
        _ = try await store.upsert(papers)
        let sequence = try await store.latestSequence()
        let again = try await store.upsert(papers)
        try expectEqual(again, UpsertSummary(unchanged: 5), "second summary")
        try expectEqual(try await store.latestSequence(), sequence, "sequence after a no-op")
        try expect(try await store.changes(since: sequence, limit: 100).isEmpty, "no changes after a no-op")
    }

    static func updateMerges(_ store: any PaperStore) async throws {
        let original = paper(1, day: day2)
        _ = try await store.upsert([original, paper(2)])
        let before = try await store.latestSequence()

        var revised = original
        revised.title = "A better title"
        revised.abstract = ""  // an empty field never erases a stored one
        revised.announced = day3  // a later listing does not move the announcement day
        revised.versions = [PaperVersion(number: 2, submitted: Date(timeIntervalSince1970: 1_741_000_000))]
        let summary = try await store.upsert([revised])
        try expectEqual(summary, UpsertSummary(updated: 1), "summary")

        let stored = try await store.paper(id: original.id)
        try expectEqual(stored?.title, "A better title", "title")
        try expectEqual(stored?.abstract, original.abstract, "abstract kept")
        try expectEqual(stored?.announced, day2, "earliest announcement day kept")
        try expectEqual(stored?.versions.map(\.number), [2], "versions")
        try expectEqual(try await store.count(), 2, "count")

        let changes = try await store.changes(since: before, limit: 10)
        try expectEqual(changes.map(\.id), [original.id], "changed ids")
        try expectEqual(changes.first?.paper, stored, "change carries the new state")
        try expect((changes.first?.sequence ?? 0) > before, "new sequence number")
        try expectEqual(try await store.latestSequence(), changes.first?.sequence ?? -1, "latestSequence")
    }

    static func duplicatesInBatch(_ store: any PaperStore) async throws {
        var second = paper(1)
        second.title = "Second title"
        second.versions = [PaperVersion(number: 1)]
        let summary = try await store.upsert([paper(1), second, second])
        try expectEqual(summary, UpsertSummary(added: 1, updated: 1, unchanged: 1), "summary")
        try expectEqual(try await store.paper(id: second.id)?.title, "Second title", "the later record wins")
        try expectEqual(try await store.count(), 1, "count")
        let changes = try await store.changes(since: 0, limit: 10)
        try expectEqual(changes.count, 1, "one change for one paper")
    }

    static func dayListing(_ store: any PaperStore) async throws {
        let order = [5, 3, 9, 1, 7]
        for n in order { _ = try await store.upsert([paper(n)]) }
        _ = try await store.upsert([paper(20, day: day2), paper(21, day: day2)])
        var updated = paper(9)
        updated.title = "Updated keeps its place"
        _ = try await store.upsert([updated])

        let all = try await store.papers(announcedOn: day1, page: PageRequest(offset: 0, limit: 50))
        try expectEqual(all.total, 5, "total")
        try expectEqual(all.items.map(\.id), order.map { paper($0).id }, "first-stored order")
        let second = try await store.papers(announcedOn: day1, page: PageRequest(offset: 2, limit: 2))
        try expectEqual(second.items.map(\.id), [9, 1].map { paper($0).id }, "second page")
        try expectEqual(second.total, 5, "total on a later page")
        let past = try await store.papers(announcedOn: day1, page: PageRequest(offset: 10, limit: 2))
        try expect(past.items.isEmpty && past.total == 5, "a page past the end is empty")
        let other = try await store.papers(announcedOn: day3, page: PageRequest())
        try expect(other.items.isEmpty && other.total == 0, "a day without papers")
    }

    static func spanKeys(_ store: any PaperStore) async throws {
        var crossListed = paper(4, day: day2)
        crossListed.categories = ["math.OC", "cs.LG"]
        var other = paper(5, day: day2)
        other.categories = ["cs.CV"]
        _ = try await store.upsert([paper(2), paper(1), paper(3, day: day3)])
        _ = try await store.upsert([other, crossListed])
        let all = try await store.paperKeys(announcedIn: day1...day3, category: nil)
        try expectEqual(all.map(\.id), [3, 5, 4, 2, 1].map { paper($0).id }, "newest day first, stored order within")
        try expectEqual(all.map(\.announced), [day3, day2, day2, day1, day1], "days")
        let learning = try await store.paperKeys(announcedIn: day1...day2, category: "cs.LG")
        try expectEqual(learning.map(\.id), [4, 2, 1].map { paper($0).id }, "cs.LG, cross-lists included")
        let vision = try await store.paperKeys(announcedIn: day1...day3, category: "cs")
        try expectEqual(vision.map(\.id), [], "a category matches whole, not as a prefix")
        let none = try await store.paperKeys(announcedIn: day3.adding(days: 1)...day3.adding(days: 9), category: nil)
        try expectEqual(none.map(\.id), [], "a span without papers")
        let counts = try await store.primaryCategoryCounts(announcedIn: day1...day2)
        try expectEqual(counts, ["cs.LG": 2, "math.OC": 1, "cs.CV": 1], "primary categories of the span")
    }

    static func announcementDays(_ store: any PaperStore) async throws {
        _ = try await store.upsert([
            paper(1), paper(2), paper(3, day: day3), paper(4, day: day2), paper(5, day: day2), paper(6, day: day2),
        ])
        let days = try await store.announcementDays(limit: 10)
        try expectEqual(
            days,
            [
                AnnouncementDay(day: day3, paperCount: 1), AnnouncementDay(day: day2, paperCount: 3),
                AnnouncementDay(day: day1, paperCount: 2),
            ],
            "days"
        )
        try expectEqual(try await store.announcementDays(limit: 2).map(\.day), [day3, day2], "limit")
        try expectEqual(try await store.latestAnnouncementDay(), day3, "latest")
    }

    static func adjacentDays(_ store: any PaperStore) async throws {
        _ = try await store.upsert([paper(1, day: day1), paper(2, day: day3)])
        try expectEqual(
            try await store.adjacentAnnouncementDays(to: day1), AdjacentDays(previous: nil, next: day3), "first")
        try expectEqual(
            try await store.adjacentAnnouncementDays(to: day3), AdjacentDays(previous: day1, next: nil), "last")
        try expectEqual(
            try await store.adjacentAnnouncementDays(to: day2), AdjacentDays(previous: day1, next: day3), "between")
    }

    static func changeFeed(_ store: any PaperStore) async throws {
        _ = try await store.upsert((1...10).map { paper($0) })
        var revised = paper(4)
        revised.title = "Revised"
        _ = try await store.upsert([revised])

        let first = try await store.changes(since: 0, limit: 4)
        try expectEqual(first.count, 4, "limit")
        try expect(zip(first, first.dropFirst()).allSatisfy { $0.sequence < $1.sequence }, "ascending sequence")
        var seen: [PaperID] = []
        var cursor: Int64 = 0
        while true {
            let batch = try await store.changes(since: cursor, limit: 3)
            if batch.isEmpty { break }
            seen += batch.map(\.id)
            cursor = batch.last!.sequence
        }
        try expectEqual(Set(seen).count, 10, "every paper appears")
        try expectEqual(seen.count, 10, "a paper appears once, at its latest change")
        try expectEqual(seen.last, revised.id, "the revised paper comes last")
        try expectEqual(cursor, try await store.latestSequence(), "the feed ends at latestSequence")
    }

    static func removal(_ store: any PaperStore) async throws {
        _ = try await store.upsert([paper(1), paper(2)])
        let before = try await store.latestSequence()
        let removed = try await store.remove([paper(1).id, paper(42).id])
        try expectEqual(removed, 1, "removed count")
        try expect(try await store.paper(id: paper(1).id) == nil, "removed paper is gone")
        try expectEqual(try await store.count(), 1, "count")
        let changes = try await store.changes(since: before, limit: 10)
        try expectEqual(changes.map(\.id), [paper(1).id], "removal is a change")
        try expect(changes.first?.paper == nil, "a removal carries no paper")
        try expectEqual(try await store.announcementDays(limit: 5).first?.paperCount, 1, "day count")

        let again = try await store.upsert([paper(1)])
        try expectEqual(again, UpsertSummary(added: 1), "adding again")
        let latest = try await store.changes(since: before, limit: 10)
        try expectEqual(latest.count, 1, "only the newest change of a paper is listed")
        try expectEqual(latest.first?.paper, paper(1), "the paper is back")
    }

    static func roundTrip(_ store: any PaperStore) async throws {
        let rich = Paper(
            id: PaperID(title: "Über $\\ell_p$-Räume: α-β Pruning"),
            title: "Über $\\ell_p$-Räume: α-β Pruning — „quoted“ 😀",
            abstract: "Line one.\nLine two with\ttab and 'quotes' and \"double\" and \\backslash.",
            authors: [Author(name: "Zoë Çelik"), Author(name: "李 雷"), Author(name: "O'Brien, Jr.")],
            categories: ["math.FA", "cs.LG", "68T07", "I.2.6"],
            announced: CalendarDay(year: 2024, month: 2, day: 29)!,
            announcedIsEstimate: true,
            versions: [
                PaperVersion(
                    number: 1, submitted: Date(timeIntervalSince1970: 1_700_000_000), title: "Über Räume",
                    abstract: "First \"try\"."),
                PaperVersion(number: 2, submitted: nil),
            ],
            links: [
                PaperLink(kind: .code, url: "https://github.com/example/repo"),
                PaperLink(kind: .doi, url: "https://doi.org/10.1/x"),
            ],
            comment: "12 pages, \"3\" figures\nsecond line",
            journalReference: "Phys. Rev. D 76, 013009 (2007)",
            license: "http://creativecommons.org/licenses/by/4.0/"
        )
        let old = Paper(id: PaperID(try! ArxivID(parsing: "hep-th/9901001")), title: "Old style", announced: day1)
        _ = try await store.upsert([rich, old])
        try expectEqual(try await store.paper(id: rich.id), rich, "rich paper")
        try expectEqual(try await store.paper(id: old.id), old, "old-style id")
        try expectEqual(try await store.changes(since: 0, limit: 5).compactMap(\.paper), [rich, old], "change feed")
    }

    static func largeBatch(_ store: any PaperStore) async throws {
        let papers = (0..<2_000).map { paper($0, day: $0 % 2 == 0 ? day1 : day2) }
        let summary = try await store.upsert(papers)
        try expectEqual(summary, UpsertSummary(added: 2_000), "summary")
        try expectEqual(try await store.count(), 2_000, "count")
        let page = try await store.papers(announcedOn: day2, page: PageRequest(offset: 990, limit: 50))
        try expectEqual(page.total, 1_000, "day total")
        try expectEqual(page.items.map(\.id), (990..<1_000).map { paper($0 * 2 + 1).id }, "last page")
    }
}

extension PaperStoreConformance {
    static func titleMerge(_ store: any PaperStore) async throws {
        // A listing page names the paper first, by title only; the arXiv record comes later.
        let listed = Paper(
            id: PaperID(title: "Paper number 1"), title: "Paper  NUMBER 1.", abstract: "Listing text.",
            announced: day2)
        _ = try await store.upsert([listed, paper(2, day: day2)])
        let before = try await store.latestSequence()
        var real = paper(1, day: day1)
        real.announcedIsEstimate = true
        let summary = try await store.upsert([real])
        try expectEqual(summary.added, 1, "the real record is added")
        try expect(try await store.paper(id: listed.id) == nil, "the title-only paper is gone")
        let merged = try await store.paper(id: real.id)
        try expectEqual(merged?.announced, day2, "the listing's real announcement day wins over the estimate")
        try expectEqual(merged?.abstract, real.abstract, "the real record's text stays")
        try expectEqual(try await store.count(), 2, "one paper, not two")
        let day = try await store.papers(announcedOn: day2, page: PageRequest())
        try expectEqual(day.items.map(\.id), [real.id, paper(2).id], "it keeps the listed paper's place")
        let changes = try await store.changes(since: before, limit: 10)
        try expectEqual(Set(changes.map(\.id)), [listed.id, real.id], "readers see the removal and the paper")

        // A title-only record arriving after the real one is absorbed.
        let again = try await store.upsert([listed])
        try expectEqual(again.added, 0, "no new paper for a known title")
        try expectEqual(try await store.count(), 2, "still one paper")
        let late = Paper(id: PaperID(title: "Paper number 2"), title: "paper number 2", announced: day3)
        _ = try await store.upsert([late])
        try expect(try await store.paper(id: late.id) == nil, "absorbed, not stored")
        try expectEqual(try await store.paper(id: paper(2).id)?.announced, day2, "the earlier real day stays")
    }

    static func batchWithCheckpoint(_ store: any PaperStore) async throws {
        _ = try await store.upsert([paper(1), paper(2)])
        try expect(try await store.checkpoint(named: "harvest") == nil, "no checkpoint yet")
        let summary = try await store.write(
            StoreBatch(
                papers: [paper(3)], removals: [paper(1).id, paper(99).id],
                checkpoint: Checkpoint(name: "harvest", value: "token-1")))
        try expectEqual(summary, UpsertSummary(added: 1, removed: 1), "summary")
        try expectEqual(try await store.checkpoint(named: "harvest"), "token-1", "checkpoint")
        _ = try await store.write(StoreBatch(checkpoint: Checkpoint(name: "harvest", value: "token-2")))
        try expectEqual(try await store.checkpoint(named: "harvest"), "token-2", "checkpoint replaced")
        try expect(try await store.checkpoint(named: "other") == nil, "checkpoints are per name")
        try expectEqual(try await store.count(), 2, "count")
    }

    static func newerVersion(_ store: any PaperStore) async throws {
        var first = paper(1)
        first.versions = [PaperVersion(number: 1, submitted: Date(timeIntervalSince1970: 1_000_000))]
        _ = try await store.upsert([first])
        var second = first
        second.title = "Paper number 1, revised"
        second.versions = [
            PaperVersion(number: 1, submitted: Date(timeIntervalSince1970: 1_000_000)),
            PaperVersion(number: 2, submitted: Date(timeIntervalSince1970: 2_000_000)),
        ]
        try expectEqual(try await store.upsert([second]), UpsertSummary(updated: 1), "updated in place")
        try expectEqual(try await store.upsert([second]), UpsertSummary(unchanged: 1), "again: unchanged")
        try expectEqual(try await store.upsert([first]), UpsertSummary(unchanged: 1), "an older record changes nothing")
        let stored = try await store.paper(id: first.id)
        try expectEqual(stored?.title, second.title, "the newer title")
        try expectEqual(stored?.versions.map(\.number), [1, 2], "both versions")
        try expectEqual(stored?.versions.first?.title, first.title, "v1 keeps its title")
        try expectEqual(stored?.versions.first?.abstract, nil, "an unchanged abstract is not copied")
        try expectEqual(try await store.count(), 1, "one paper")
    }
}
