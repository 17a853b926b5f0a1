import Foundation
import PaperboyModel
import PaperboyServices
import PaperboyStore
import Testing

@Suite("Lists: periods, trending and submissions")
struct PaperListsTests {
    static let today = CalendarDay(year: 2025, month: 3, day: 14)!

    static func paper(_ n: Int, daysAgo: Int, categories: [String] = ["cs.LG"]) -> Paper {
        Paper(
            id: PaperID(try! ArxivID(parsing: "2503.\(10000 + n)")), title: "Paper \(n)", abstract: "About \(n).",
            categories: categories, announced: today.adding(days: -daysAgo))
    }

    @Test("the trending score: upvotes / (age + 2)^1.5, by whole days, never negative age")
    func score() {
        #expect(Trending.score(upvotes: 0, announced: Self.today, today: Self.today) == 0)
        #expect(
            abs(Trending.score(upvotes: 4, announced: Self.today, today: Self.today) - 4 / (2 * 2.0.squareRoot()))
                < 1e-12)
        #expect(
            abs(Trending.score(upvotes: 10, announced: Self.today.adding(days: -7), today: Self.today) - 10.0 / 27)
                < 1e-12)
        // A paper "from the future" (a time-zone edge) counts as today's.
        #expect(
            Trending.score(upvotes: 3, announced: Self.today.adding(days: 1), today: Self.today)
                == Trending.score(upvotes: 3, announced: Self.today, today: Self.today))
        // A new paper with 3 upvotes beats a week-old one with 10; a day-old one with 10 beats both.
        let fresh = Trending.score(upvotes: 3, announced: Self.today, today: Self.today)
        let old = Trending.score(upvotes: 10, announced: Self.today.adding(days: -7), today: Self.today)
        let recent = Trending.score(upvotes: 10, announced: Self.today.adding(days: -1), today: Self.today)
        #expect(recent > fresh && fresh > old)
    }

    @Test("a week sorted by trending ranks by score and keeps date order among equals; paging is exact")
    func trendingWeek() async throws {
        let store = MemoryPaperStore()
        let votes = MemoryVoteStore()
        _ = try await store.upsert([
            Self.paper(1, daysAgo: 3), Self.paper(2, daysAgo: 3), Self.paper(3, daysAgo: 0), Self.paper(4, daysAgo: 1),
        ])
        for member in 1...5 {
            _ = try await votes.toggleUpvote(memberID: Int64(member), paperID: Self.paper(1, daysAgo: 3).id, at: Date())
        }
        _ = try await votes.toggleUpvote(memberID: 1, paperID: Self.paper(3, daysAgo: 0).id, at: Date())
        let lists = PaperLists(
            store: MemoryListStore(
                papers: store, votes: votes, community: MemoryCommunityStore(), members: MemoryMemberStore()))
        let week = Period.week(containing: Self.today)
        let byDate = try await lists.papers(in: week, page: PageRequest(offset: 0, limit: 10), today: Self.today)
        #expect(byDate.cards.map(\.paper.title) == ["Paper 3", "Paper 4", "Paper 1", "Paper 2"])
        let trending = try await lists.papers(
            in: week, sort: .trending, page: PageRequest(offset: 0, limit: 10), today: Self.today)
        // 5 / 5^1.5 ≈ 0.447 beats 1 / 2^1.5 ≈ 0.354; the rest keep date order.
        #expect(trending.cards.map(\.paper.title) == ["Paper 1", "Paper 3", "Paper 4", "Paper 2"])
        #expect(trending.cards.map(\.upvotes) == [5, 1, 0, 0])
        let second = try await lists.papers(
            in: week, sort: .trending, page: PageRequest(offset: 2, limit: 2), today: Self.today)
        #expect(second.cards.map(\.paper.title) == ["Paper 4", "Paper 2"] && second.total == 4)
        let everywhere = try await lists.trending(page: PageRequest(offset: 0, limit: 10), today: Self.today)
        #expect(everywhere.cards.map(\.paper.title) == ["Paper 1", "Paper 3"], "only papers with upvotes")
    }

    @Test("a submitted paper joins the list of the day it was submitted to, once, and follows the category filter")
    func submissions() async throws {
        let store = MemoryPaperStore()
        let community = MemoryCommunityStore()
        let old = Self.paper(9, daysAgo: 300, categories: ["math.OC"])
        _ = try await store.upsert([Self.paper(1, daysAgo: 0), old, Self.paper(2, daysAgo: 1)])
        try await community.submit(Submission(paperID: old.id, memberID: 1, day: Self.today, created: Date()))
        try await community.submit(
            Submission(paperID: Self.paper(2, daysAgo: 1).id, memberID: 1, day: Self.today, created: Date()))
        let lists = PaperLists(
            store: MemoryListStore(
                papers: store, votes: MemoryVoteStore(), community: community, members: MemoryMemberStore()))
        let day = try await lists.papers(in: .day(Self.today), page: PageRequest(offset: 0, limit: 10))
        #expect(
            day.cards.map(\.paper.title) == ["Paper 1", "Paper 9", "Paper 2"], "submitted papers after the day's")
        let week = try await lists.papers(
            in: .week(containing: Self.today), page: PageRequest(offset: 0, limit: 10), today: Self.today)
        #expect(week.cards.map(\.paper.title) == ["Paper 1", "Paper 9", "Paper 2"], "announced papers appear once")
        let learning = try await lists.papers(
            in: .day(Self.today), category: "cs.LG", page: PageRequest(offset: 0, limit: 10))
        #expect(learning.cards.map(\.paper.title) == ["Paper 1", "Paper 2"], "a math.OC submission is left out")
    }
}
