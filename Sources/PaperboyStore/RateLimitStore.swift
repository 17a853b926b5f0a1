public import Foundation

/// Token buckets kept where every process of a site sees them, so that a limit (five sign-in
/// attempts a minute) holds across all the nodes behind a load balancer rather than per node.
///
/// A bucket holds at most `capacity` attempts and refills at `perMinute`; each key is a separate
/// bucket. Buckets that have refilled may be forgotten.
public protocol RateLimitStore: Sendable {
    /// Takes one attempt from the bucket `key` at `now`: true when there was one, false (and
    /// nothing taken) when the bucket is empty. Two processes taking at once from a bucket with
    /// one attempt left: exactly one gets it.
    ///
    /// - Throws: ``StoreError`` when the store cannot be reached.
    func takeAttempt(_ key: String, capacity: Int, perMinute: Double, at now: Date) async throws -> Bool
}
