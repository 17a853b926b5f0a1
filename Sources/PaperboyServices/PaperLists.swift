public import PaperboyModel
public import PaperboyStore

/// The lists the site shows: a day, a week or a month of papers sorted by date or by trending,
/// the trending list of all papers, each optionally narrowed to a category. The store sorts,
/// filters and pages them (``ListStore``); a page comes back as cards.
public struct PaperLists: Sendable {
    /// How a list is ordered.
    public enum Sort: String, Sendable, CaseIterable {
        /// Newest announcement day first, first-stored order within a day (Hugging Face's name).
        case date = "publishedAt"
        /// By ``Trending/score(upvotes:announced:today:)``, highest first; ties by date.
        case trending
    }

    let store: any ListStore

    /// Creates the lists over a backend's list store.
    public init(store: any ListStore) {
        self.store = store
    }

    /// The papers on the lists of `period`'s days: announced in it, or submitted to one of its
    /// days.
    ///
    /// - Parameter viewer: the member whose own upvotes the cards show.
    public func papers(
        in period: Period, category: String? = nil, sort: Sort = .date, page: PageRequest,
        today: CalendarDay = .today(), viewer: Int64? = nil
    ) async throws -> ListPage {
        try await self.store.list(
            ListQuery(
                scope: .days(period.days), category: category, order: Self.order(sort, today: today), page: page,
                viewer: viewer))
    }

    /// Every paper of a category, newest first (or by trending).
    public func papers(
        inCategory category: String, sort: Sort = .date, page: PageRequest, today: CalendarDay = .today(),
        viewer: Int64? = nil
    ) async throws -> ListPage {
        try await self.store.list(
            ListQuery(
                scope: .all, category: category, order: Self.order(sort, today: today), page: page, viewer: viewer))
    }

    /// Every paper with upvotes, by trending score.
    public func trending(
        category: String? = nil, page: PageRequest, today: CalendarDay = .today(), viewer: Int64? = nil
    ) async throws -> ListPage {
        try await self.store.list(
            ListQuery(scope: .upvoted, category: category, order: .trending(today: today), page: page, viewer: viewer))
    }

    /// The newest day with papers on its list, announced or submitted; `nil` when there is none.
    public func latestDay() async throws -> CalendarDay? {
        try await self.store.latestListDay()
    }

    /// The nearest days before and after `day` with papers on their lists, announced or submitted.
    public func adjacentDays(to day: CalendarDay) async throws -> AdjacentDays {
        try await self.store.adjacentListDays(to: day)
    }

    /// The newest day up to `day` with papers on its list; `nil` when there is none.
    public func latestDay(onOrBefore day: CalendarDay) async throws -> CalendarDay? {
        guard let latest = try await self.latestDay() else { return nil }
        if latest <= day { return latest }
        let listed = try await self.store.list(
            ListQuery(scope: .days(day...day), page: PageRequest(offset: 0, limit: 0)))
        if listed.total > 0 { return day }
        return try await self.adjacentDays(to: day).previous
    }

    private static func order(_ sort: Sort, today: CalendarDay) -> ListQuery.Order {
        switch sort {
        case .date: .date
        case .trending: .trending(today: today)
        }
    }
}
