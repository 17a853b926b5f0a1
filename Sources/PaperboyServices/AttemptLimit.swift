import Foundation
import PaperboySecurity
import PaperboyStore

/// One rate limit on one kind of attempt (sign-ins from a client, mails to an address): token
/// buckets by key, kept in this process, or, for a backend several nodes share, in its
/// ``RateLimitStore`` so that the limit holds across every node rather than per node.
///
/// Keys go to the shared store as the limit's name and a SHA-256 of the key, so that the table
/// holds no addresses and its keys have one length whatever a client sends.
struct AttemptLimit: Sendable {
    /// Names the limit in shared keys (`sign-in.client`).
    let name: String
    let capacity: Int
    let perMinute: Double
    private let local: RateLimiter
    private let shared: (any RateLimitStore)?

    init(_ name: String, capacity: Int, perMinute: Double, shared: (any RateLimitStore)?) {
        self.name = name
        self.capacity = capacity
        self.perMinute = perMinute
        self.local = RateLimiter(capacity: capacity, perMinute: perMinute)
        self.shared = shared
    }

    /// Takes one attempt for `key` at `now`; false when its bucket is empty.
    ///
    /// - Throws: ``ServiceError`` `unavailable` when the shared store cannot be reached (the
    ///   attempt is refused rather than let through unlimited).
    func allow(_ key: String, at now: Date) async throws -> Bool {
        guard let shared else { return self.local.allow(key, now: now.timeIntervalSince1970) }
        do {
            return try await shared.takeAttempt(
                self.name + ":" + SHA256.hex(Array(key.utf8)), capacity: self.capacity, perMinute: self.perMinute,
                at: now)
        } catch {
            throw ServiceError(
                .unavailable, "the rate limits cannot be checked just now; try again in a moment",
                detail: "\(error)")
        }
    }
}
