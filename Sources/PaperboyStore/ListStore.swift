public import PaperboyModel

/// The lists of papers the site shows, sorted, filtered and paged where the papers live, and the
/// paper cards they are shown as. A backend answers a page of any list with a few indexed
/// queries, never by loading the whole list.
///
/// What a list holds and in which order is the same for every backend (the conformance suite
/// in `PaperboyTesting` compares each with ``MemoryListStore``):
/// - ``ListQuery/Scope/days(_:)``: the papers announced within the days, plus the papers members
///   submitted to one of those days' lists (``Submission``) that were announced outside them,
///   each listed on its submission day. Newest day first; within a day the announced papers in
///   first-stored order, then the submitted ones in submission order (ties by id).
/// - ``ListQuery/Scope/all``: every paper, newest announcement day first, first-stored order
///   within a day.
/// - ``ListQuery/Scope/upvoted``: every paper with at least one upvote, newest announcement day
///   first, then by id.
///
/// With a category, only papers listed in it (primary or cross-listed). Sorted by
/// ``ListQuery/Order/trending(today:)``, the same papers are ordered by their trending score
/// (upvotes / (age + 2)^1.5, age in whole days from the day a paper is listed on to `today`,
/// never below zero), highest first, ties in the order above.
public protocol ListStore: Sendable {
    /// One page of a list as cards, and how many papers the whole list has.
    func list(_ query: ListQuery) async throws -> ListPage

    /// The newest day with papers on its list, announced or submitted; `nil` when there is none.
    func latestListDay() async throws -> CalendarDay?

    /// The nearest days before and after `day` with papers on their lists, announced or submitted.
    func adjacentListDays(to day: CalendarDay) async throws -> AdjacentDays

    /// The cards of the stored papers among `ids`, in the order of `ids`, with the viewer's own
    /// upvotes when a viewer (a member's id) is given.
    func cards(ids: [PaperID], viewer: Int64?) async throws -> [PaperCard]

    /// The cards of papers already loaded (search results), in their order: the same facts as
    /// ``cards(ids:viewer:)`` without reading the papers again.
    func cards(for papers: [Paper], viewer: Int64?) async throws -> [PaperCard]
}

/// Which list, in which order, which page, for whom.
public struct ListQuery: Hashable, Sendable {
    /// Which papers a list holds (see ``ListStore``).
    public enum Scope: Hashable, Sendable {
        /// The papers on the lists of these days, announced or submitted.
        case days(ClosedRange<CalendarDay>)
        /// Every paper.
        case all
        /// Every paper with at least one upvote.
        case upvoted
    }

    /// How a list is ordered.
    public enum Order: Hashable, Sendable {
        /// Newest first (see ``ListStore``).
        case date
        /// By trending score as of `today`, highest first; ties by date.
        case trending(today: CalendarDay)
    }

    /// Which papers.
    public var scope: Scope
    /// Only papers listed in this category, when given.
    public var category: String?
    /// The order.
    public var order: Order
    /// The slice.
    public var page: PageRequest
    /// The member whose own upvotes the cards show, when signed in.
    public var viewer: Int64?

    /// Creates a query.
    public init(
        scope: Scope, category: String? = nil, order: Order = .date, page: PageRequest, viewer: Int64? = nil
    ) {
        self.scope = scope
        self.category = category
        self.order = order
        self.page = page
        self.viewer = viewer
    }
}

/// One page of a list.
public struct ListPage: Sendable {
    /// The page's papers as cards.
    public var cards: [PaperCard]
    /// How many papers the whole list has.
    public var total: Int

    /// Creates a page.
    public init(cards: [PaperCard], total: Int) {
        self.cards = cards
        self.total = total
    }
}

/// A paper as a list, a search result or the API shows it: the paper and what the community
/// did with it.
public struct PaperCard: Hashable, Sendable {
    /// The paper.
    public var paper: Paper
    /// Its upvotes.
    public var upvotes: Int
    /// How many visible comments it has (neither hidden nor deleted).
    public var comments: Int
    /// The display name of the member who put it on a day's list, if one did ("a former member"
    /// when that account is gone).
    public var submitter: String?
    /// The day it was submitted for.
    public var submittedOn: CalendarDay?
    /// Whether the viewer has upvoted it.
    public var upvotedByViewer: Bool

    /// Creates a card.
    public init(
        paper: Paper, upvotes: Int, comments: Int = 0, submitter: String? = nil, submittedOn: CalendarDay? = nil,
        upvotedByViewer: Bool = false
    ) {
        self.paper = paper
        self.upvotes = upvotes
        self.comments = comments
        self.submitter = submitter
        self.submittedOn = submittedOn
        self.upvotedByViewer = upvotedByViewer
    }
}
