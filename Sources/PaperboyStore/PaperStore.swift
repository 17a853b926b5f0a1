public import PaperboyModel

/// Where papers live: the source of truth every other part reads from.
///
/// Every write bumps a store-wide change sequence number, so readers that keep their own copy
/// (the search index of each node) can follow the store with ``changes(since:limit:)``.
/// Implementations must pass the conformance suite in `PaperboyTesting`; nothing about how a
/// store keeps its data shows through this protocol.
public protocol PaperStore: Sendable {
    /// Writes a batch of papers in one transaction: all of them land or none do.
    ///
    /// A paper whose id is already stored is merged with ``Paper/merged(with:)``; if that changes
    /// nothing the paper counts as unchanged and keeps its sequence number. Several records with
    /// one id in a batch are merged in order. Each record counts once in the summary: added when
    /// its id was not stored before it, updated when it changed the stored paper, else unchanged.
    func upsert(_ papers: [Paper]) async throws -> UpsertSummary

    /// Removes papers; unknown ids are ignored. Each removal is a change that readers see.
    /// - Returns: how many papers were removed.
    @discardableResult
    func remove(_ ids: [PaperID]) async throws -> Int

    /// The paper with this id, or `nil`.
    func paper(id: PaperID) async throws -> Paper?

    /// The papers with these ids that exist, in the order of `ids`.
    func papers(ids: [PaperID]) async throws -> [Paper]

    /// Papers announced on `day`, in the order they were first stored.
    func papers(announcedOn day: CalendarDay, page: PageRequest) async throws -> Page<Paper>

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
    /// The newest announcement day, or `nil` for an empty store.
    public func latestAnnouncementDay() async throws -> CalendarDay? {
        try await self.announcementDays(limit: 1).first?.day
    }
}
