public import Foundation

/// Token buckets by key (a client address, an account, an action): `capacity` attempts at once,
/// refilled at `perMinute`. Shared across requests, so it is a lock around a dictionary.
///
/// The dictionary holds at most ``maxKeys`` buckets. Past it, the buckets that have refilled
/// (which say nothing a new bucket would not) go first, then the fullest, oldest first, so that
/// spraying new keys (each a nearly full bucket) cannot wipe the empty bucket that is holding
/// someone back.
public final class RateLimiter: @unchecked Sendable {
    // Unchecked: every access to `buckets` holds `lock`.
    private let capacity: Double
    private let perSecond: Double
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, updated: Double)] = [:]
    /// The most buckets kept.
    public let maxKeys: Int

    /// Creates a limiter allowing bursts of `capacity` and `perMinute` attempts a minute after,
    /// keeping at most `maxKeys` keys.
    public init(capacity: Int, perMinute: Double, maxKeys: Int = 100_000) {
        self.capacity = Double(capacity)
        self.perSecond = perMinute / 60
        self.maxKeys = max(1, maxKeys)
    }

    /// Takes one attempt for `key` at `now` (seconds) even when the bucket is empty, and returns
    /// how many seconds the caller must wait for it (0 when a token was there): pacing instead of
    /// refusing. Needs a positive rate.
    public func reserve(_ key: String, now: Double = Date().timeIntervalSince1970) -> Double {
        self.lock.withLock {
            var bucket = self.refilled(key, now: now)
            bucket.tokens -= 1
            self.store(key, bucket, now: now)
            return bucket.tokens >= 0 ? 0 : -bucket.tokens / self.perSecond
        }
    }

    /// Takes one attempt for `key` at `now` (seconds); false when the bucket is empty.
    public func allow(_ key: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        self.lock.withLock {
            var bucket = self.refilled(key, now: now)
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            self.store(key, bucket, now: now)
            return allowed
        }
    }

    /// Whether an attempt for `key` would be allowed now, without taking it.
    public func wouldAllow(_ key: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        self.lock.withLock { self.refilled(key, now: now).tokens >= 1 }
    }

    /// How many keys are held (for tests).
    public var keyCount: Int { self.lock.withLock { self.buckets.count } }

    private func refilled(_ key: String, now: Double) -> (tokens: Double, updated: Double) {
        guard let bucket = self.buckets[key] else { return (self.capacity, now) }
        return (min(self.capacity, bucket.tokens + max(0, now - bucket.updated) * self.perSecond), now)
    }

    private func store(_ key: String, _ bucket: (tokens: Double, updated: Double), now: Double) {
        self.buckets[key] = bucket
        if self.buckets.count > self.maxKeys { self.evict(now: now) }
    }

    /// Makes room for a tenth of ``maxKeys``: refilled buckets first, then the fullest (the
    /// oldest of equally full ones).
    private func evict(now: Double) {
        let target = self.maxKeys - max(1, self.maxKeys / 10)
        func tokens(_ bucket: (tokens: Double, updated: Double)) -> Double {
            min(self.capacity, bucket.tokens + max(0, now - bucket.updated) * self.perSecond)
        }
        self.buckets = self.buckets.filter { tokens($0.value) < self.capacity }
        guard self.buckets.count > target else { return }
        let evicted = self.buckets.sorted {
            let (left, right) = (tokens($0.value), tokens($1.value))
            return left != right ? left > right : $0.value.updated < $1.value.updated
        }.prefix(self.buckets.count - target)
        for (key, _) in evicted { self.buckets[key] = nil }
    }
}
