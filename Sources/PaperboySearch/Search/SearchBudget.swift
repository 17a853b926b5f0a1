import CZlib

/// How much CPU time one search may use: postings cursors charge it for every block they load
/// and stop (as if their postings had ended) once the time is spent, so that no query, however
/// it is built, holds a thread for longer than its budget. The time is the thread's own CPU time
/// (a search runs on one thread), so a busy machine does not cut ordinary queries short. The search then returns what it collected
/// so far, marked ``TopDocs/isPartial`` (Lucene's `TimeLimitingCollector`, but checked where the
/// work is done, inside the scorers' loops).
///
/// The clock is read once every ``checkEvery`` blocks (about 8,000 postings), so the check costs
/// nothing measurable.
final class SearchBudget: @unchecked Sendable {
    // Unchecked: a budget belongs to one search, which runs on one thread from start to end.
    private let deadline: Int64
    private var blocks = 0
    /// Whether the time is spent.
    private(set) var isSpent = false

    /// Blocks loaded between two looks at the clock.
    static let checkEvery = 64

    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.deadline = Self.now() + seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The thread's CPU time in nanoseconds.
    @inline(__always)
    static func now() -> Int64 {
        Int64(paperboy_thread_cpu_nanoseconds())
    }

    /// Reads the clock now (for work that loads no blocks: dictionary scans, building scorers);
    /// true once the time is spent.
    func poll() -> Bool {
        if !self.isSpent, Self.now() >= self.deadline { self.isSpent = true }
        return self.isSpent
    }

    /// Counts one block; false once the time is spent.
    @inline(__always)
    func charge() -> Bool {
        guard !self.isSpent else { return false }
        self.blocks &+= 1
        if self.blocks % Self.checkEvery == 0, Self.now() >= self.deadline { self.isSpent = true }
        return !self.isSpent
    }
}
