public import PaperboyModel

/// What a batch upsert did.
public struct UpsertSummary: Hashable, Sendable {
    /// Papers that were not stored before.
    public var added: Int
    /// Stored papers that the batch changed.
    public var updated: Int
    /// Stored papers that the batch left as they were.
    public var unchanged: Int
    /// Stored papers that the batch removed (unknown ids are not counted).
    public var removed: Int

    /// Creates a summary.
    public init(added: Int = 0, updated: Int = 0, unchanged: Int = 0, removed: Int = 0) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.removed = removed
    }

    /// Adds another summary's counts to this one.
    public static func += (lhs: inout UpsertSummary, rhs: UpsertSummary) {
        lhs.added += rhs.added
        lhs.updated += rhs.updated
        lhs.unchanged += rhs.unchanged
        lhs.removed += rhs.removed
    }
}

/// Where a reader of an outside source (a harvest, a feed) got to, saved in the same transaction
/// as the papers it read so that the two never disagree after a crash.
public struct Checkpoint: Hashable, Sendable {
    /// Whose checkpoint it is, e.g. `oai:https://export.arxiv.org/oai2:cs`.
    public var name: String
    /// The reader's own resume state (a token, a date), opaque to the store.
    public var value: String

    /// Creates a checkpoint.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Changes written in one transaction: all land or none do.
public struct StoreBatch: Sendable {
    /// Papers to add or merge, in order.
    public var papers: [Paper]
    /// Papers to remove (after the upserts).
    public var removals: [PaperID]
    /// A checkpoint to save with the changes.
    public var checkpoint: Checkpoint?
    /// Creates a batch.
    public init(papers: [Paper] = [], removals: [PaperID] = [], checkpoint: Checkpoint? = nil) {
        self.papers = papers
        self.removals = removals
        self.checkpoint = checkpoint
    }
}

/// Which slice of a list to return.
public struct PageRequest: Hashable, Sendable {
    /// How many items to skip.
    public var offset: Int
    /// How many items to return at most.
    public var limit: Int

    /// Creates a request; negative values are clamped to zero.
    public init(offset: Int = 0, limit: Int = 50) {
        self.offset = max(0, offset)
        self.limit = max(0, limit)
    }
}

/// A slice of a list and the size of the whole list.
public struct Page<Item: Sendable>: Sendable {
    /// The items of this slice.
    public var items: [Item]
    /// How many items the whole list has.
    public var total: Int

    /// Creates a page.
    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

extension Page: Equatable where Item: Equatable {}

/// A day with announced papers and how many.
public struct AnnouncementDay: Hashable, Sendable {
    /// The day.
    public var day: CalendarDay
    /// How many papers were announced on it.
    public var paperCount: Int

    /// Creates an entry.
    public init(day: CalendarDay, paperCount: Int) {
        self.day = day
        self.paperCount = paperCount
    }
}

/// The announcement days around a day.
public struct AdjacentDays: Hashable, Sendable {
    /// The nearest earlier day with papers.
    public var previous: CalendarDay?
    /// The nearest later day with papers.
    public var next: CalendarDay?

    /// Creates the pair.
    public init(previous: CalendarDay?, next: CalendarDay?) {
        self.previous = previous
        self.next = next
    }
}

/// One entry of a store's change feed: a paper as it now is, or its removal.
public struct PaperChange: Hashable, Sendable {
    /// The store-wide sequence number of this change.
    public var sequence: Int64
    /// The paper that changed.
    public var id: PaperID
    /// The paper's new state, or `nil` when it was removed.
    public var paper: Paper?

    /// Creates a change.
    public init(sequence: Int64, id: PaperID, paper: Paper?) {
        self.sequence = sequence
        self.id = id
        self.paper = paper
    }
}

/// A paper's id and announcement day: enough to sort and page a list before fetching its papers.
public struct PaperKey: Hashable, Sendable {
    /// The paper.
    public var id: PaperID
    /// The day it was announced.
    public var announced: CalendarDay

    /// Creates a key.
    public init(id: PaperID, announced: CalendarDay) {
        self.id = id
        self.announced = announced
    }
}
