public import Foundation

/// Token buckets by key (an IP address and an action): `capacity` attempts at once, refilled at
/// `perSecond`. Shared across requests, so it is an actor-free lock around a dictionary.
public final class RateLimiter: @unchecked Sendable {
    private let capacity: Double
    private let perSecond: Double
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, updated: Double)] = [:]

    /// Creates a limiter allowing bursts of `capacity` and `perMinute` attempts a minute after.
    public init(capacity: Int, perMinute: Double) {
        self.capacity = Double(capacity)
        self.perSecond = perMinute / 60
    }

    /// Takes one attempt for `key` at `now` (seconds) even when the bucket is empty, and returns
    /// how many seconds the caller must wait for it (0 when a token was there): pacing instead of
    /// refusing. Needs a positive rate.
    public func reserve(_ key: String, now: Double = Date().timeIntervalSince1970) -> Double {
        self.lock.withLock {
            var bucket = self.buckets[key] ?? (self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.perSecond)
            bucket.updated = now
            bucket.tokens -= 1
            self.buckets[key] = bucket
            if self.buckets.count > 100_000 { self.buckets.removeAll() }
            return bucket.tokens >= 0 ? 0 : -bucket.tokens / self.perSecond
        }
    }

    /// Takes one attempt for `key` at `now` (seconds); false when the bucket is empty.
    public func allow(_ key: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        self.lock.withLock {
            var bucket = self.buckets[key] ?? (self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.perSecond)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            self.buckets[key] = bucket
            if self.buckets.count > 100_000 { self.buckets.removeAll() }
            return allowed
        }
    }
}
