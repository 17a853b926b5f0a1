public import PaperboyModel

/// A ``ListStore`` computed in memory from the other stores: the reference that the
/// conformance suite holds every backend to, and the lists of ``Storage/memory(papers:)``.
/// It loads whole lists to answer one page, which is what a backend must not do.
public struct MemoryListStore: ListStore {
    let papers: any PaperStore
    let votes: any VoteStore
    let community: any CommunityStore
    let members: any MemberStore

    /// Creates the lists over these stores.
    public init(papers: any PaperStore, votes: any VoteStore, community: any CommunityStore, members: any MemberStore) {
        self.papers = papers
        self.votes = votes
        self.community = community
        self.members = members
    }

    /// Every day a list can hold.
    static let always = CalendarDay(year: 1, month: 1, day: 1)!...CalendarDay(year: 9999, month: 12, day: 31)!

    public func list(_ query: ListQuery) async throws -> ListPage {
        var keys = try await self.keys(query.scope, category: query.category)
        if case .trending(let today) = query.order {
            let counts = try await self.votes.upvoteCounts(keys.map(\.id))
            let scored = keys.enumerated().map { index, key in
                (key, index, Trending.score(upvotes: counts[key.id] ?? 0, announced: key.announced, today: today))
            }
            keys = scored.sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.1 < $1.1 }.map(\.0)
        }
        let slice = keys.dropFirst(query.page.offset).prefix(query.page.limit).map(\.id)
        return ListPage(cards: try await self.cards(ids: Array(slice), viewer: query.viewer), total: keys.count)
    }

    /// The list's papers in date order, each with the day it is listed on.
    private func keys(_ scope: ListQuery.Scope, category: String?) async throws -> [PaperKey] {
        switch scope {
        case .all:
            return try await self.papers.paperKeys(announcedIn: Self.always, category: category)
        case .upvoted:
            var voted = try await self.papers.papers(ids: Array(try await self.votes.votedPapers().keys))
            if let category { voted.removeAll { !$0.categories.contains(category) } }
            voted.sort { ($0.announced, $1.id.rawValue) > ($1.announced, $0.id.rawValue) }
            return voted.map { PaperKey(id: $0.id, announced: $0.announced) }
        case .days(let days):
            let announced = try await self.papers.paperKeys(announcedIn: days, category: category)
            let submissions = try await self.community.submissions(on: days)
            let submitted = try await self.papers.papers(ids: submissions.map(\.paperID)).filter { paper in
                !days.contains(paper.announced) && (category.map(paper.categories.contains) ?? true)
            }
            let admitted = Set(submitted.map(\.id))
            var byDay: [CalendarDay: [PaperKey]] = [:]
            for key in announced { byDay[key.announced, default: []].append(key) }
            for submission in submissions where admitted.contains(submission.paperID) {
                byDay[submission.day, default: []].append(PaperKey(id: submission.paperID, announced: submission.day))
            }
            return byDay.keys.sorted(by: >).flatMap { byDay[$0]! }
        }
    }

    public func latestListDay() async throws -> CalendarDay? {
        let announced = try await self.papers.latestAnnouncementDay()
        let submitted = try await self.community.submissionDays().first
        return [announced, submitted].compactMap { $0 }.max()
    }

    public func adjacentListDays(to day: CalendarDay) async throws -> AdjacentDays {
        var around = try await self.papers.adjacentAnnouncementDays(to: day)
        for other in try await self.community.submissionDays() {
            if other < day, around.previous.map({ other > $0 }) ?? true { around.previous = other }
            if other > day, around.next.map({ other < $0 }) ?? true { around.next = other }
        }
        return around
    }

    public func cards(ids: [PaperID], viewer: Int64?) async throws -> [PaperCard] {
        try await self.cards(for: try await self.papers.papers(ids: ids), viewer: viewer)
    }

    public func cards(for papers: [Paper], viewer: Int64?) async throws -> [PaperCard] {
        guard !papers.isEmpty else { return [] }
        let ids = papers.map(\.id)
        let counts = try await self.votes.upvoteCounts(ids)
        let comments = try await self.community.commentCounts(ids)
        let submissions = try await self.community.submissions(of: ids)
        let names = try await self.members.members(ids: submissions.values.map(\.memberID)).mapValues(\.displayName)
        var mine = Set<PaperID>()
        if let viewer { mine = try await self.votes.upvoted(by: viewer, among: ids) }
        return papers.map { paper in
            let submission = submissions[paper.id]
            return PaperCard(
                paper: paper, upvotes: counts[paper.id] ?? 0, comments: comments[paper.id] ?? 0,
                submitter: submission.map { names[$0.memberID] ?? "a former member" }, submittedOn: submission?.day,
                upvotedByViewer: mine.contains(paper.id))
        }
    }
}
