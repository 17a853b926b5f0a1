import Foundation
import NIOCore

/// A micro-cache of the open API's list answers (search, daily papers, trending), keyed by the
/// request's path and query: an answer is reused for at most ``lifetime`` and only while nothing was
/// written through this site since (``invalidate()`` on every upvote, comment, submission or
/// collection change), so a member always sees their own change at once and papers ingested by
/// other processes show within the lifetime plus the index sync's interval. Under load, popular
/// queries are then computed about once a second instead of once per request.
final class ResponseCache: @unchecked Sendable {
    /// How long an answer is reused.
    let lifetime: Duration
    /// At most this many answers are kept; when full, the cache starts over.
    let capacity: Int
    private let lock = NSLock()
    private var entries: [String: (body: ByteBuffer, made: ContinuousClock.Instant, generation: UInt64)] = [:]
    private var generation: UInt64 = 0
    /// Answers being computed, so that requests for one key wait for one computation instead of
    /// each making its own (a page expiring under load would otherwise be rendered by every
    /// request that arrives while it renders).
    private var computing: [String: (task: Task<ByteBuffer, any Error>, generation: UInt64)] = [:]

    init(lifetime: Duration = .seconds(1), capacity: Int = 2_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The cached answer for `key`, if it is fresh.
    func answer(for key: String) -> ByteBuffer? {
        self.lock.withLock {
            guard let entry = self.entries[key], entry.generation == self.generation,
                entry.made.duration(to: .now) < self.lifetime
            else { return nil }
            return entry.body
        }
    }

    /// Keeps an answer computed when the cache was at `generation` (answers computed across a
    /// write are dropped).
    func store(_ body: ByteBuffer, for key: String, computedAt generation: UInt64) {
        self.lock.withLock {
            guard generation == self.generation else { return }
            if self.entries.count >= self.capacity { self.entries.removeAll(keepingCapacity: true) }
            self.entries[key] = (body, .now, generation)
        }
    }

    /// The fresh answer for `key`, else the one being computed for it, else `compute`'s, kept.
    func answer(
        for key: String, compute: @escaping @Sendable () async throws -> ByteBuffer
    ) async throws -> ByteBuffer {
        enum Found {
            case fresh(ByteBuffer)
            case running(Task<ByteBuffer, any Error>, owner: UInt64?)
        }
        let found: Found = self.lock.withLock {
            if let entry = self.entries[key], entry.generation == self.generation,
                entry.made.duration(to: .now) < self.lifetime
            {
                return .fresh(entry.body)
            }
            if let running = self.computing[key] { return .running(running.task, owner: nil) }
            let task = Task { try await compute() }
            self.computing[key] = (task, self.generation)
            return .running(task, owner: self.generation)
        }
        switch found {
        case .fresh(let body):
            return body
        case .running(let task, let owner):
            let result = await task.result
            if let owner {
                self.lock.withLock {
                    if self.computing[key]?.generation == owner { self.computing[key] = nil }
                }
                if case .success(let body) = result { self.store(body, for: key, computedAt: owner) }
            }
            return try result.get()
        }
    }

    /// The current generation, to pass to ``store(_:for:computedAt:)``.
    var currentGeneration: UInt64 { self.lock.withLock { self.generation } }

    /// Forgets every answer: something was written.
    func invalidate() {
        self.lock.withLock {
            self.generation &+= 1
            self.entries.removeAll(keepingCapacity: true)
            self.computing.removeAll()
        }
    }
}
