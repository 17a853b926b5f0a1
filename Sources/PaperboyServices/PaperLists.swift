public import PaperboyModel
public import PaperboyStore

/// The lists the site shows: a day, a week or a month of papers sorted by date or by trending,
/// the trending list of all papers, each optionally narrowed to a category.
public struct PaperLists: Sendable {
    /// How a list is ordered.
    public enum Sort: String, Sendable, CaseIterable {
        /// Newest announcement day first, first-stored order within a day (Hugging Face's name).
        case date = "publishedAt"
        /// By ``Trending/score(upvotes:announced:today:)``, highest first; ties by date.
        case trending
    }

    /// A paper in a list, with its upvote count.
    public struct Entry: Sendable {
        /// The paper.
        public var paper: Paper
        /// Its upvotes.
        public var upvotes: Int

        /// Creates an entry.
        public init(paper: Paper, upvotes: Int) {
            self.paper = paper
            self.upvotes = upvotes
        }
    }

    /// One page of a list.
    public struct Listing: Sendable {
        /// The page's entries.
        public var entries: [Entry]
        /// How many papers the whole list has.
        public var total: Int

        /// Creates a page.
        public init(entries: [Entry], total: Int) {
            self.entries = entries
            self.total = total
        }
    }

    let store: any PaperStore
    let votes: any VoteStore
    let community: (any CommunityStore)?

    /// Creates the lists over a store and its upvotes; with a community store, papers submitted
    /// to a day's list join that day.
    public init(store: any PaperStore, votes: any VoteStore, community: (any CommunityStore)? = nil) {
        self.store = store
        self.votes = votes
        self.community = community
    }

    /// The papers announced in `period`.
    public func papers(
        in period: Period, category: String? = nil, sort: Sort = .date, page: PageRequest,
        today: CalendarDay = .today()
    ) async throws -> Listing {
        try await self.papers(announcedIn: period.days, category: category, sort: sort, page: page, today: today)
    }

    /// Every paper of a category, newest first (or by trending).
    public func papers(
        inCategory category: String, sort: Sort = .date, page: PageRequest, today: CalendarDay = .today()
    ) async throws -> Listing {
        let always = CalendarDay(year: 1, month: 1, day: 1)!...CalendarDay(year: 9999, month: 12, day: 31)!
        return try await self.papers(announcedIn: always, category: category, sort: sort, page: page, today: today)
    }

    private func papers(
        announcedIn days: ClosedRange<CalendarDay>, category: String?, sort: Sort, page: PageRequest,
        today: CalendarDay
    ) async throws -> Listing {
        var keys = try await self.store.paperKeys(announcedIn: days, category: category)
        if let community = self.community {
            keys = try await Self.addingSubmissions(
                try await community.submissions(on: days), to: keys, category: category, store: self.store)
        }
        var counts: [PaperID: Int] = [:]
        if sort == .trending {
            counts = try await self.votes.votedPapers()
            keys = Self.ranked(keys, counts: counts, today: today)
        }
        let slice = Array(keys.dropFirst(page.offset).prefix(page.limit))
        if sort == .date { counts = try await self.votes.upvoteCounts(slice.map(\.id)) }
        return Listing(entries: try await self.entries(slice, counts: counts), total: keys.count)
    }

    /// Every paper with upvotes, by trending score.
    public func trending(
        category: String? = nil, page: PageRequest, today: CalendarDay = .today()
    ) async throws
        -> Listing
    {
        let counts = try await self.votes.votedPapers()
        var papers = try await self.store.papers(ids: Array(counts.keys))
        if let category { papers.removeAll { !$0.categories.contains(category) } }
        // Newest first before ranking, so that equal scores keep date order.
        papers.sort { ($0.announced, $1.id.rawValue) > ($1.announced, $0.id.rawValue) }
        let keys = Self.ranked(
            papers.map { PaperKey(id: $0.id, announced: $0.announced) }, counts: counts, today: today)
        let byID = Dictionary(papers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let entries = keys.dropFirst(page.offset).prefix(page.limit).compactMap { key in
            byID[key.id].map { Entry(paper: $0, upvotes: counts[key.id] ?? 0) }
        }
        return Listing(entries: entries, total: keys.count)
    }

    /// `keys` with the submitted papers that are not among them, each after its day's papers.
    static func addingSubmissions(
        _ submissions: [Submission], to keys: [PaperKey], category: String?, store: any PaperStore
    ) async throws -> [PaperKey] {
        let present = Set(keys.map(\.id))
        var submitted = submissions.filter { !present.contains($0.paperID) }
        guard !submitted.isEmpty else { return keys }
        if let category {
            let inCategory = Set(
                try await store.papers(ids: submitted.map(\.paperID)).filter { $0.categories.contains(category) }.map(
                    \.id))
            submitted.removeAll { !inCategory.contains($0.paperID) }
        }
        var byDay: [CalendarDay: [PaperKey]] = [:]
        for key in keys { byDay[key.announced, default: []].append(key) }
        for submission in submitted {
            byDay[submission.day, default: []].append(PaperKey(id: submission.paperID, announced: submission.day))
        }
        return byDay.keys.sorted(by: >).flatMap { byDay[$0]! }
    }

    /// The newest day with papers on its list, announced or submitted; `nil` when there is none.
    public func latestDay() async throws -> CalendarDay? {
        let announced = try await self.store.latestAnnouncementDay()
        let submitted = try await self.community?.submissionDays().first
        return [announced, submitted].compactMap { $0 }.max()
    }

    /// The nearest days before and after `day` with papers on their lists, announced or submitted.
    public func adjacentDays(to day: CalendarDay) async throws -> AdjacentDays {
        var around = try await self.store.adjacentAnnouncementDays(to: day)
        for other in try await self.community?.submissionDays() ?? [] {
            if other < day, around.previous.map({ other > $0 }) ?? true { around.previous = other }
            if other > day, around.next.map({ other < $0 }) ?? true { around.next = other }
        }
        return around
    }

    /// Keys by trending score, highest first; a stable sort, so ties keep the order they came in.
    static func ranked(_ keys: [PaperKey], counts: [PaperID: Int], today: CalendarDay) -> [PaperKey] {
        let scored = keys.enumerated().map { index, key in
            (key, index, Trending.score(upvotes: counts[key.id] ?? 0, announced: key.announced, today: today))
        }
        return scored.sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.1 < $1.1 }.map(\.0)
    }

    private func entries(_ keys: [PaperKey], counts: [PaperID: Int]) async throws -> [Entry] {
        try await self.store.papers(ids: keys.map(\.id)).map { Entry(paper: $0, upvotes: counts[$0.id] ?? 0) }
    }
}

extension PaperLists {
    /// The newest day up to `day` with papers on its list; `nil` when there is none.
    public func latestDay(onOrBefore day: CalendarDay) async throws -> CalendarDay? {
        guard let latest = try await self.latestDay() else { return nil }
        if latest <= day { return latest }
        if try await self.store.paperKeys(announcedIn: day...day, category: nil).isEmpty == false { return day }
        return try await self.adjacentDays(to: day).previous
    }
}
