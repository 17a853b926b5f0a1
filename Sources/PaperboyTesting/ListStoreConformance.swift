import Foundation
import PaperboyModel
public import PaperboyStore

/// The checks every ``ListStore`` must pass. Each check gets an empty ``Storage`` whose
/// ``Storage/lists`` is under test, fills it through the other stores, and holds the lists to
/// ``MemoryListStore`` computed over those same stores (the definition of every list), as well
/// as to orders worked out by hand.
public enum ListStoreConformance {
    /// One named check.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check is about.
        public let name: String
        /// Runs the check against an empty storage.
        public let run: @Sendable (Storage) async throws -> Void

        public var description: String { self.name }
    }

    /// All checks.
    public static let checks: [Check] = [
        Check(name: "a day's list: announced papers in stored order, then submitted ones, by hand", run: byHand),
        Check(
            name: "every list, category, order, page and viewer agrees with the reference on random data", run: random),
    ]

    /// A card in a line, for the hand-worked check and failure messages.
    static func summary(_ card: PaperCard) -> String {
        "\(card.paper.id)(\(card.upvotes)↑ \(card.comments)c\(card.submitter.map { " by \($0)" } ?? "")"
            + "\(card.submittedOn.map { " on \($0)" } ?? "")\(card.upvotedByViewer ? " mine" : ""))"
    }

    /// Throws unless the two lists of cards are equal, saying how they differ in summaries.
    static func expectCards(
        _ got: [PaperCard], _ expected: [PaperCard], _ what: String, file: String = #fileID, line: UInt = #line
    ) throws {
        try expect(
            got == expected,
            "\(what): expected \(expected.map(Self.summary)), got \(got.map(Self.summary))"
                + (got.map(Self.summary) == expected.map(Self.summary) ? " (the papers differ)" : ""),
            file: file, line: line)
    }

    static let today = CalendarDay(year: 2025, month: 3, day: 20)!

    static func id(_ number: Int) -> PaperID {
        PaperID(try! ArxivID(parsing: String(format: "2503.%05d", number)))
    }

    static func paper(_ number: Int, day: CalendarDay, categories: [String], title: String? = nil) -> Paper {
        Paper(
            id: Self.id(number), title: title ?? "Paper \(number)", abstract: "About \(number).",
            authors: [Author(name: "Author \(number % 7)")], categories: categories, announced: day)
    }

    static func member(_ storage: Storage, _ name: String) async throws -> Int64 {
        try await storage.members.createMember(
            email: try EmailAddress(parsing: "\(name)@example.org"), displayName: name, passwordHash: "h",
            role: .member, at: Date(timeIntervalSince1970: 1_740_000_000), emailVerified: nil
        ).id
    }

    static func byHand(_ storage: Storage) async throws {
        let day = Self.today
        let before = day.adding(days: -1)
        _ = try await storage.papers.write(
            StoreBatch(papers: [
                Self.paper(3, day: day, categories: ["cs.LG"]),
                Self.paper(1, day: day, categories: ["cs.CL", "cs.LG"]),
                Self.paper(2, day: before, categories: ["cs.CL"]),
                Self.paper(9, day: day.adding(days: -300), categories: ["math.OC"]),
                Self.paper(8, day: day.adding(days: -200), categories: ["cs.LG"]),
            ]))
        let ada = try await Self.member(storage, "ada")
        let bo = try await Self.member(storage, "bo")
        let early = Date(timeIntervalSince1970: 1_742_000_000)
        try await storage.community.submit(
            Submission(paperID: Self.id(9), memberID: bo, day: day, created: early.addingTimeInterval(60)))
        try await storage.community.submit(Submission(paperID: Self.id(8), memberID: ada, day: day, created: early))
        try await storage.community.submit(Submission(paperID: Self.id(2), memberID: ada, day: day, created: early))
        _ = try await storage.votes.toggleUpvote(memberID: ada, paperID: Self.id(8), at: early)
        _ = try await storage.votes.toggleUpvote(memberID: bo, paperID: Self.id(8), at: early)
        _ = try await storage.votes.toggleUpvote(memberID: bo, paperID: Self.id(1), at: early)
        _ = try await storage.votes.toggleUpvote(memberID: ada, paperID: Self.id(2), at: early)
        _ = try await storage.community.addComment(
            paperID: Self.id(1), memberID: ada, parentID: nil, body: "Nice.", at: early)
        let page = PageRequest(offset: 0, limit: 10)
        func ids(_ query: ListQuery) async throws -> [String] {
            try await storage.lists.list(query).cards.map { String($0.paper.id.rawValue.suffix(1)) }
        }
        try expectEqual(
            try await ids(ListQuery(scope: .days(day...day), page: page)), ["3", "1", "2", "8", "9"],
            "the day: stored order, then submissions by time, ties by id (paper 2 was announced the day before)")
        try expectEqual(
            try await ids(ListQuery(scope: .days(before...day), page: page)), ["3", "1", "8", "9", "2"],
            "two days: a paper announced within them stays on its announcement day")
        try expectEqual(
            try await ids(ListQuery(scope: .days(day...day), category: "cs.LG", page: page)), ["3", "1", "8"],
            "cs.LG, cross-listed paper 1 included")
        try expectEqual(
            try await ids(ListQuery(scope: .days(day...day), order: .trending(today: day), page: page)),
            ["8", "1", "2", "3", "9"], "trending: 2 upvotes, then 1 (a tie, in date order), then date order")
        try expectEqual(
            try await ids(ListQuery(scope: .upvoted, order: .trending(today: day), page: page)), ["1", "2", "8"],
            "every upvoted paper, on its announcement day: paper 8 is 200 days old there")
        try expectEqual(
            try await ids(ListQuery(scope: .all, category: "cs.LG", page: page)), ["3", "1", "8"], "every cs.LG paper")
        let total = try await storage.lists.list(ListQuery(scope: .days(day...day), page: PageRequest(limit: 1)))
        try expectEqual(total.total, 5, "the total counts the whole list")
        try expectEqual(total.cards.count, 1, "one card on a page of one")
        let cards = try await storage.lists.cards(ids: [Self.id(1), Self.id(7), Self.id(8)], viewer: bo)
        try expectEqual(
            cards.map(Self.summary),
            ["2503.00001(1↑ 1c mine)", "2503.00008(2↑ 0c by ada on \(day) mine)"],
            "cards in the order asked, unknown ids skipped, the viewer's upvotes marked")
        try expectEqual(try await storage.lists.latestListDay(), day, "the latest day")
        let around = try await storage.lists.adjacentListDays(to: day)
        try expect(around.previous == before && around.next == nil, "around the latest day: \(around)")
    }

    static func random(_ storage: Storage) async throws {
        var random = SplitMix64(seed: 0x5EED)
        let categories = ["cs.LG", "cs.CL", "cs.CV", "math.OC", "stat.ML"]
        let days = (0..<12).map { Self.today.adding(days: -$0 * 2) }
        var papers: [Paper] = []
        for number in 1...70 {
            let day = days[Int(random.next() % UInt64(days.count))]
            var chosen: [String] = []
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let category = categories[Int(random.next() % UInt64(categories.count))]
                if !chosen.contains(category) { chosen.append(category) }
            }
            papers.append(Self.paper(number, day: day, categories: chosen))
        }
        // Stored in two batches, out of id order; then some are changed (new categories, a new
        // day) and some removed, which the list indexes must follow.
        _ = try await storage.papers.write(StoreBatch(papers: Array(papers[35...]).reversed()))
        _ = try await storage.papers.write(StoreBatch(papers: Array(papers[..<35])))
        var changed: [Paper] = []
        for index in stride(from: 3, to: 70, by: 9) {
            var paper = papers[index]
            paper.categories = [categories[index % categories.count]]
            paper.announced = days[(index / 3) % days.count]
            changed.append(paper)
        }
        _ = try await storage.papers.write(
            StoreBatch(papers: changed, removals: [Self.id(5), Self.id(40), Self.id(99)]))
        let members = try await (0..<6).asyncMap { try await Self.member(storage, "member\($0)") }
        let start = Date(timeIntervalSince1970: 1_742_000_000)
        for number in 1...70 where random.next() % 3 == 0 {
            for member in members where random.next() % 2 == 0 {
                _ = try await storage.votes.toggleUpvote(memberID: member, paperID: Self.id(number), at: start)
            }
        }
        for step in 0..<14 {
            let number = 1 + Int(random.next() % 75)  // some ids are not stored
            let day = days[Int(random.next() % 4)].adding(days: Int(random.next() % 2))
            try? await storage.community.submit(
                Submission(
                    paperID: Self.id(number), memberID: members[step % members.count], day: day,
                    created: start.addingTimeInterval(Double(random.next() % 5))))
        }
        for step in 0..<30 {
            let paperID = Self.id(1 + Int(random.next() % 70))
            let comment = try await storage.community.addComment(
                paperID: paperID, memberID: members[step % members.count], parentID: nil, body: "Comment \(step)",
                at: start)
            switch step % 5 {
            case 0: try await storage.community.setCommentHidden(id: comment.id, hidden: true)
            case 1: try await storage.community.deleteComment(id: comment.id)
            default: break
            }
        }

        let reference = MemoryListStore(
            papers: storage.papers, votes: storage.votes, community: storage.community, members: storage.members)
        var scopes: [ListQuery.Scope] = [.all, .upvoted]
        scopes += [
            days[0]...days[0], days[3]...days[1], days[11]...days[0], days[0].adding(days: 1)...days[0].adding(days: 3),
        ]
        .map(ListQuery.Scope.days)
        scopes.append(.days(days[2].adding(days: 1)...days[2].adding(days: 1)))
        let orders: [ListQuery.Order] = [.date, .trending(today: Self.today), .trending(today: days[5])]
        let pages = [
            PageRequest(offset: 0, limit: 1_000), PageRequest(offset: 0, limit: 7), PageRequest(offset: 7, limit: 7),
        ]
        for scope in scopes {
            for category in [nil, "unknown.XX"] + categories {
                for order in orders {
                    for page in pages {
                        for viewer in [nil, members[1]] {
                            let query = ListQuery(
                                scope: scope, category: category, order: order, page: page, viewer: viewer)
                            let got = try await storage.lists.list(query)
                            let expected = try await reference.list(query)
                            try expectEqual(got.total, expected.total, "total of \(query)")
                            try Self.expectCards(got.cards, expected.cards, "cards of \(query)")
                        }
                    }
                }
            }
        }
        for day in days + [days[0].adding(days: 5), days[11].adding(days: -5)] {
            let got = try await storage.lists.adjacentListDays(to: day)
            let expected = try await reference.adjacentListDays(to: day)
            try expect(got.previous == expected.previous && got.next == expected.next, "days around \(day): \(got)")
        }
        try expectEqual(try await storage.lists.latestListDay(), try await reference.latestListDay(), "the latest day")
        let asked = [Self.id(70), Self.id(5), Self.id(2), Self.id(99), Self.id(33)]
        for viewer in [nil, members[0]] {
            try Self.expectCards(
                try await storage.lists.cards(ids: asked, viewer: viewer),
                try await reference.cards(ids: asked, viewer: viewer), "cards by id")
            let loaded = try await storage.papers.papers(ids: asked)
            try Self.expectCards(
                try await storage.lists.cards(for: loaded, viewer: viewer),
                try await reference.cards(for: loaded, viewer: viewer), "cards of loaded papers")
        }
    }
}

/// A small seeded generator (SplitMix64), so that random tests replay exactly.
public struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    /// Creates the generator at `seed`.
    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Sequence {
    /// The values of `transform` over the elements, in order, one at a time.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var values: [T] = []
        for element in self { values.append(try await transform(element)) }
        return values
    }
}
