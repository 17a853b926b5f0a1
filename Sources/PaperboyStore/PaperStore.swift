public import PaperboyModel

/// Where papers live: the source of truth every other part reads from.
///
/// Every write bumps a store-wide change sequence number, so readers that keep their own copy
/// (the search index of each node) can follow the store with ``changes(since:limit:)``.
/// Implementations must pass the conformance suite in `PaperboyTesting`; nothing about how a
/// store keeps its data shows through this protocol.
public protocol PaperStore: Sendable {
    /// Writes a batch in one transaction: its papers, its removals and its checkpoint all land or
    /// none do.
    ///
    /// A paper whose id is already stored is merged with ``Paper/merged(with:)``; if that changes
    /// nothing the paper counts as unchanged and keeps its sequence number. Several records with
    /// one id in a batch are merged in order. Each record counts once in the summary: added when
    /// its id was not stored before it, updated when it changed the stored paper, else unchanged.
    ///
    /// Records known only by their title (``PaperID/isTitleDerived``) and records with a real id
    /// are one paper when their normalised titles match: a title-only record arriving after the
    /// real one is absorbed into it (``Paper/absorbing(_:)``, counted as updated or unchanged);
    /// a real record arriving after a title-only one takes it over, and the title-only paper is
    /// removed (a change readers see). Removals of unknown ids are ignored; each real removal is a
    /// change readers see.
    func write(_ batch: StoreBatch) async throws -> UpsertSummary

    /// The value of the checkpoint saved under `name`, or `nil`.
    func checkpoint(named name: String) async throws -> String?

    /// The paper with this id, or `nil`.
    func paper(id: PaperID) async throws -> Paper?

    /// The papers with these ids that exist, in the order of `ids`.
    func papers(ids: [PaperID]) async throws -> [Paper]

    /// Papers announced on `day`, in the order they were first stored.
    func papers(announcedOn day: CalendarDay, page: PageRequest) async throws -> Page<Paper>

    /// The papers announced within `days`, newest day first and in first-stored order within a
    /// day, as keys only (lists sort and page these, then fetch the page's papers). With a
    /// `category`, only papers listed in it, primary or cross-listed.
    func paperKeys(announcedIn days: ClosedRange<CalendarDay>, category: String?) async throws -> [PaperKey]

    /// How many papers announced within `days` have each primary category.
    func primaryCategoryCounts(announcedIn days: ClosedRange<CalendarDay>) async throws -> [String: Int]

    /// Announcement days with how many papers each has, newest first, at most `limit`.
    func announcementDays(limit: Int) async throws -> [AnnouncementDay]

    /// The nearest announcement days before and after `day` (which need not have papers itself).
    func adjacentAnnouncementDays(to day: CalendarDay) async throws -> AdjacentDays

    /// How many papers are stored.
    func count() async throws -> Int

    /// Changes with a sequence number above `sequence`, in sequence order, at most `limit`.
    func changes(since sequence: Int64, limit: Int) async throws -> [PaperChange]

    /// The highest sequence number handed out so far (0 for an empty store).
    func latestSequence() async throws -> Int64
}

extension PaperStore {
    /// Writes papers in one transaction (see ``write(_:)``).
    public func upsert(_ papers: [Paper]) async throws -> UpsertSummary {
        try await self.write(StoreBatch(papers: papers))
    }

    /// Removes papers in one transaction; unknown ids are ignored.
    /// - Returns: how many papers were removed.
    @discardableResult
    public func remove(_ ids: [PaperID]) async throws -> Int {
        try await self.write(StoreBatch(removals: ids)).removed
    }

    /// The newest announcement day, or `nil` for an empty store.
    public func latestAnnouncementDay() async throws -> CalendarDay? {
        try await self.announcementDays(limit: 1).first?.day
    }
}
