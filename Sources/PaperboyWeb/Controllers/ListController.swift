import Foundation
import Hummingbird
import PaperboyModel
import PaperboyServices
import PaperboyStore

/// The list pages and their feeds: a day, week or month (`/`), trending, a category, an author,
/// plus the about page that publishes the trending formula.
struct ListController<Context: RequestContext>: Sendable {
    let site: Site
    static var perPage: Int { 100 }

    func addRoutes(to router: Router<Context>) {
        router.get("/", use: self.period)
        router.get("/feed.atom") { request, context in
            try await self.answer(request, feed: .atom) { _ in try await self.period(request, feed: .atom, viewer: nil)
            }
        }
        router.get("/feed.json") { request, context in
            try await self.answer(request, feed: .json) { _ in try await self.period(request, feed: .json, viewer: nil)
            }
        }
        router.get("/trending", use: self.trending)
        router.get("/trending.atom") { request, context in
            try await self.answer(request, feed: .atom) { _ in
                try await self.trending(request, feed: .atom, viewer: nil)
            }
        }
        router.get("/trending.json") { request, context in
            try await self.answer(request, feed: .json) { _ in
                try await self.trending(request, feed: .json, viewer: nil)
            }
        }
        router.get("/categories/**", use: self.category)
        router.get("/authors/**", use: self.author)
        router.get("/about", use: self.about)
    }

    /// `/?date=|week=|month=&sort=&cat=&page=`: a period's papers (the latest day by default).
    @Sendable func period(_ request: Request, context: Context) async throws -> Response {
        try await self.answer(request, feed: nil) { viewer in try await self.period(request, feed: nil, viewer: viewer)
        }
    }

    private func period(_ request: Request, feed: FeedFormat?, viewer: Int64?) async throws -> ListAnswer {
        let asked = try ListRequest.of(request)
        let page = try RequestValues.integer(request, "page", default: 1, in: 1...10_000)
        let latest = try await self.site.lists.latestDay()
        guard let period = asked.period ?? latest.map(Period.day) else {
            if let feed {
                return .finished(try self.feed(feed, title: "Daily Papers", page: "/", papers: [], request: request))
            }
            return .page(
                ListPageView(
                    kicker: "Daily Papers", heading: "No papers yet", subheading: "Add some with: paperboy ingest FILE",
                    feedAtom: "/feed.atom", feedJSON: "/feed.json", empty: true,
                    emptyMessage: "This Paperboy has no papers yet.", papers: []))
        }
        var listed = asked
        listed.period = period
        let listing = try await self.site.lists.papers(
            in: period, category: asked.category, sort: asked.sort,
            page: PageRequest(offset: (page - 1) * Self.perPage, limit: Self.perPage),
            viewer: viewer)
        let kicker: String
        var subheading: String
        switch period {
        case .day(let day):
            kicker = "Daily Papers"
            subheading = day.longHeading
        case .week:
            kicker = "Weekly Papers"
            subheading = "\(period.days.lowerBound.longHeading) – \(period.days.upperBound.longHeading)"
        case .month:
            kicker = "Monthly Papers"
            subheading = period.heading
        }
        if listing.total > 0 { subheading += " · \(listing.total) paper\(listing.total == 1 ? "" : "s")" }
        if let category = asked.category { subheading += " in \(category)" }
        if let feed {
            return .finished(
                try self.feed(
                    feed, title: "\(kicker) · \(period.heading)\(asked.category.map { " · \($0)" } ?? "")",
                    page: "/" + listed.query(), papers: listing.cards.map(\.paper), request: request))
        }
        var view = ListPageView(
            kicker: kicker, heading: Self.heading(period), subheading: subheading,
            isoDate: period.days.lowerBound.description,
            feedAtom: "/feed.atom" + listed.query(), feedJSON: "/feed.json" + listed.query(),
            empty: listing.cards.isEmpty,
            emptyMessage: asked.category == nil
                ? "No papers were announced in this period."
                : "No papers in \(asked.category!) were announced in this period.",
            papers: [])
        view.hasPeriodNavigation = true
        let around = try await self.neighbours(of: period)
        view.previous = around.previous.map { .init(url: "/" + listed.query(period: $0), label: Self.shortLabel($0)) }
        view.next = around.next.map { .init(url: "/" + listed.query(period: $0), label: Self.shortLabel($0)) }
        let reference = period.days.lowerBound
        let dayPeriod: Period
        if case .day = period {
            dayPeriod = period
        } else {
            dayPeriod = .day(latest.map { min($0, period.days.upperBound) } ?? reference)
        }
        view.views = [
            .init(url: "/" + listed.query(period: dayPeriod), label: "Day", current: period == dayPeriod),
            .init(
                url: "/" + listed.query(period: Period.week(containing: reference)), label: "Week",
                current: period == .week(containing: reference)),
            .init(
                url: "/" + listed.query(period: Period.month(containing: reference)), label: "Month",
                current: period == .month(containing: reference)),
            .init(
                url: "/trending" + (asked.category.map { "?cat=\($0.addingPercentEncodingForQuery())" } ?? ""),
                label: "Trending"),
        ]
        view.sorts = [
            .init(url: "/" + listed.query(sort: .date), label: "Newest", current: asked.sort == .date),
            .init(url: "/" + listed.query(sort: .trending), label: "Trending", current: asked.sort == .trending),
        ]
        var hidden: [ListPageView.FilterView.Field] = []
        switch period {
        case .day(let day): hidden.append(.init(name: "date", value: day.description))
        case .week: hidden.append(.init(name: "week", value: period.description))
        case .month: hidden.append(.init(name: "month", value: period.description))
        }
        if asked.sort == .trending { hidden.append(.init(name: "sort", value: "trending")) }
        view.filter = .init(
            action: "/", category: asked.category ?? "", hidden: hidden,
            clearURL: asked.category == nil ? nil : "/" + listed.query(category: .some(nil)))
        if case .month = period, asked.category == nil {
            let counts = try await self.site.catalog.primaryCategoryCounts(announcedIn: period.days)
            view.chartSVG = SVGChart.bars(counts) { "/" + listed.query(category: $0) }
        }
        (view.previousPage, view.nextPage) = Self.pageLinks(
            page: page, total: listing.total, base: "/" + listed.query())
        view.papers = try await self.items(listing)
        return .page(view)
    }

    /// `/trending?cat=&page=`: every paper with upvotes, by trending score.
    @Sendable func trending(_ request: Request, context: Context) async throws -> Response {
        try await self.answer(request, feed: nil) { viewer in
            try await self.trending(request, feed: nil, viewer: viewer)
        }
    }

    private func trending(_ request: Request, feed: FeedFormat?, viewer: Int64?) async throws -> ListAnswer {
        let category = try ListRequest.category(request, "cat")
        let page = try RequestValues.integer(request, "page", default: 1, in: 1...10_000)
        let listing = try await self.site.lists.trending(
            category: category, page: PageRequest(offset: (page - 1) * Self.perPage, limit: Self.perPage),
            viewer: viewer)
        let suffix = category.map { "?cat=\($0.addingPercentEncodingForQuery())" } ?? ""
        if let feed {
            return .finished(
                try self.feed(
                    feed, title: "Trending papers\(category.map { " in \($0)" } ?? "")", page: "/trending" + suffix,
                    papers: listing.cards.map(\.paper), request: request))
        }
        var view = ListPageView(
            kicker: "Trending", heading: category.map { "Trending in \($0)" } ?? "Trending papers",
            subheading: "Upvotes decayed by age; see the formula on the about page.",
            feedAtom: "/trending.atom" + suffix, feedJSON: "/trending.json" + suffix, empty: listing.cards.isEmpty,
            emptyMessage: "Nothing is trending yet: upvote the papers you like.", papers: [])
        view.views = [
            .init(url: "/", label: "Day"), .init(url: "/?week=\(Period.week(containing: .today()))", label: "Week"),
            .init(url: "/?month=\(Period.month(containing: .today()))", label: "Month"),
            .init(url: "/trending", label: "Trending", current: true),
        ]
        view.filter = .init(
            action: "/trending", category: category ?? "", hidden: [], clearURL: category == nil ? nil : "/trending")
        (view.previousPage, view.nextPage) = Self.pageLinks(
            page: page, total: listing.total, base: "/trending" + suffix)
        view.papers = try await self.items(listing)
        return .page(view)
    }

    /// `/categories/{name}[.atom|.json]?sort=&page=`: a category's papers, newest first.
    @Sendable func category(_ request: Request, context: Context) async throws -> Response {
        let feed = Self.nameAndFormat(context).1
        return try await self.answer(request, feed: feed) { viewer in
            try await self.category(request, context: context, viewer: viewer)
        }
    }

    private func category(_ request: Request, context: Context, viewer: Int64?) async throws -> ListAnswer {
        let (raw, feed) = Self.nameAndFormat(context)
        let category = try ListRequest.checkedCategory(raw, source: "category")
        let sort = try ListRequest.sort(request)
        let page = try RequestValues.integer(request, "page", default: 1, in: 1...10_000)
        let listing = try await self.site.lists.papers(
            inCategory: category, sort: sort, page: PageRequest(offset: (page - 1) * Self.perPage, limit: Self.perPage),
            viewer: viewer)
        let path = "/categories/" + category
        if let feed {
            return .finished(
                try self.feed(
                    feed, title: "Papers in \(category)", page: path, papers: listing.cards.map(\.paper),
                    request: request
                ))
        }
        let sortQuery = sort == .trending ? "?sort=trending" : ""
        var view = ListPageView(
            kicker: "Category", heading: category,
            subheading: "\(listing.total) paper\(listing.total == 1 ? "" : "s"), primary or cross-listed",
            feedAtom: path + ".atom", feedJSON: path + ".json", empty: listing.cards.isEmpty,
            emptyMessage: "No papers in \(category) are stored here.", papers: [])
        view.sorts = [
            .init(url: path, label: "Newest", current: sort == .date),
            .init(url: path + "?sort=trending", label: "Trending", current: sort == .trending),
        ]
        (view.previousPage, view.nextPage) = Self.pageLinks(page: page, total: listing.total, base: path + sortQuery)
        view.papers = try await self.items(listing)
        return .page(view)
    }

    /// `/authors/{name}[.atom|.json]`: papers with an author of that name, newest first.
    @Sendable func author(_ request: Request, context: Context) async throws -> Response {
        let feed = Self.nameAndFormat(context).1
        return try await self.answer(request, feed: feed) { viewer in
            try await self.author(request, context: context, viewer: viewer)
        }
    }

    private func author(_ request: Request, context: Context, viewer: Int64?) async throws -> ListAnswer {
        let (name, feed) = Self.nameAndFormat(context)
        try Self.checkAuthor(name)
        let papers = try await self.site.search.papers(byAuthor: name)
        let path = PaperLinks.author(name)
        if let feed {
            return .finished(
                try self.feed(feed, title: "Papers by \(name)", page: path, papers: papers, request: request))
        }
        var view = ListPageView(
            kicker: "Author", heading: name, subheading: "\(papers.count) paper\(papers.count == 1 ? "" : "s")",
            feedAtom: path + ".atom", feedJSON: path + ".json", empty: papers.isEmpty,
            emptyMessage: "No papers by \(name) are stored here.", papers: [])
        view.papers = try await self.items(papers, viewer: viewer)
        return .page(view)
    }

    /// An author's name as a page or API path gives it: not blank, at most 200 characters.
    static func checkAuthor(_ name: String) throws {
        guard !name.trimmingWhitespace().isEmpty, name.unicodeScalars.count <= 200 else {
            throw WebError.badRequest(code: "invalid_author", "an author's name has 1–200 characters and is not blank")
        }
    }

    /// `/about`: what Paperboy is and how trending is computed.
    @Sendable func about(_ request: Request, context: Context) async throws -> Response {
        let view = AboutPageView(
            gravity: String(Trending.gravity), offset: String(Int(Trending.ageOffset)),
            papers: try await self.site.catalog.count())
        return try await self.site.page("about", view, request: request)
    }

    // MARK: Helpers

    /// What a list route made: a page to render for its visitor, or a finished answer (a feed).
    enum ListAnswer {
        case page(ListPageView)
        case finished(Response)
    }

    /// Answers a list route. A feed is made as it is; a page is rendered for the visitor, with
    /// the signed-in member's own upvotes. An anonymous visitor's page comes from the page cache
    /// while fresh (``Site/pageCache``, emptied by any write): it is kept with
    /// ``Site/tokenPlaceholder`` where the CSRF token goes, and every visitor gets their own token
    /// put in, so no one's token is ever served to anyone else.
    private func answer(
        _ request: Request, feed: FeedFormat?, make: @escaping @Sendable (_ viewer: Int64?) async throws -> ListAnswer
    ) async throws -> Response {
        let site = self.site
        /// The page with `csrf` in every form.
        @Sendable func rendered(_ view: ListPageView, csrf: String) throws -> ByteBuffer {
            var view = view
            for index in view.papers.indices { view.papers[index].csrf = csrf }
            return ByteBuffer(string: try site.render("list", view, csrf: csrf))
        }
        let notAPage = WebError(.internalServerError, code: "not_a_page", "a list route answered with no page")
        if feed != nil {
            guard case .finished(let response) = try await make(nil) else { throw notAPage }
            return response
        }
        let visitor = try await Visitor.of(request, site: site)
        let body: ByteBuffer
        if visitor.member == nil, request.cookies[Visitor.sessionCookie] == nil {
            // Not the Host: pages use relative links only, and a spoofed Host must not multiply entries.
            let key = request.uri.path + "?" + (request.uri.query ?? "")
            let cached = try await site.pageCache.answer(for: key) {
                guard case .page(let view) = try await make(nil) else { throw notAPage }
                return try rendered(view, csrf: Site.tokenPlaceholder)
            }
            body = Site.replacingPlaceholder(in: cached, with: visitor.csrf)
        } else {
            switch try await make(visitor.member?.id) {
            case .finished(let response): return response
            case .page(let view): body = try rendered(view, csrf: visitor.csrf)
            }
        }
        var response = Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: body))
        visitor.apply(to: &response, request: request)
        return response
    }

    /// The items of a list page, with their cards; the CSRF token is put in when rendered.
    private func items(_ listing: ListPage) -> [PaperItemView] {
        listing.cards.map { PaperItemView($0) }
    }

    private func items(_ papers: [Paper], viewer: Int64?) async throws -> [PaperItemView] {
        try await self.site.catalog.cards(papers, viewer: viewer).map { PaperItemView($0) }
    }

    private func feed(
        _ format: FeedFormat, title: String, page: String, papers: [Paper], request: Request
    ) throws -> Response {
        let base = self.site.baseURL(for: request)
        let feedPath = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let writer = FeedWriter(
            title: "Paperboy · " + title, pageURL: base + page, feedURL: base + feedPath, baseURL: base, papers: papers)
        return try writer.response(format)
    }

    /// The periods before and after `period` that have papers (days skip empty days).
    private func neighbours(of period: Period) async throws -> (previous: Period?, next: Period?) {
        switch period {
        case .day(let day):
            let around = try await self.site.lists.adjacentDays(to: day)
            return (around.previous.map(Period.day), around.next.map(Period.day))
        case .week, .month:
            // The nearest weeks (months) that have papers, skipping empty ones.
            let before = try await self.site.lists.adjacentDays(to: period.days.lowerBound).previous
            let after = try await self.site.lists.adjacentDays(to: period.days.upperBound).next
            let containing: (CalendarDay) -> Period = {
                if case .week = period { return Period.week(containing: $0) }
                return Period.month(containing: $0)
            }
            return (before.map(containing), after.map(containing))
        }
    }

    static func heading(_ period: Period) -> String {
        switch period {
        case .day(let day): return day.shortHeading + (day.year == CalendarDay.today().year ? "" : ", \(day.year)")
        default: return period.heading
        }
    }

    static func shortLabel(_ period: Period) -> String {
        switch period {
        case .day(let day): return DayLinkView(day).label
        default: return period.heading
        }
    }

    static func pageLinks(page: Int, total: Int, base: String) -> (String?, String?) {
        let joiner = base.contains("?") ? "&" : "?"
        let previous = page > 1 ? (page == 2 ? base : base + joiner + "page=\(page - 1)") : nil
        let next = page * Self.perPage < total ? base + joiner + "page=\(page + 1)" : nil
        return (previous, next)
    }

    /// The catch-all path as one name (percent-decoded), and the feed format its suffix asks for.
    static func nameAndFormat(_ context: Context) -> (String, FeedFormat?) {
        let raw = context.parameters.getCatchAll().joined(separator: "/")
        var name = raw.removingPercentEncoding ?? raw
        var format: FeedFormat?
        for candidate in FeedFormat.allCases where name.hasSuffix(candidate.suffix) {
            name.removeLast(candidate.suffix.count)
            format = candidate
        }
        return (name, format)
    }
}

/// A feed format and its URL suffix.
enum FeedFormat: CaseIterable {
    case atom
    case json

    var suffix: String { self == .atom ? ".atom" : ".json" }
}

/// The about page.
struct AboutPageView {
    var query: String?
    var gravity: String
    var offset: String
    var papers: Int
}
