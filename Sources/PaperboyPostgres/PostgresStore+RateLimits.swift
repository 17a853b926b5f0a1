public import Foundation
public import PaperboyStore
import PostgresNIO

/// Rate-limit buckets in the unlogged `rate_bucket` table, taken from in one upsert: the row lock
/// of `ON CONFLICT DO UPDATE` makes concurrent takes from one bucket (on any node) take turns, and
/// its `WHERE` leaves an empty bucket as it was and returns no row.
extension PostgresStore: RateLimitStore {
    public func takeAttempt(_ key: String, capacity: Int, perMinute: Double, at now: Date) async throws -> Bool {
        guard capacity > 0, perMinute > 0 else { return false }
        var binds = PostgresBindings()
        binds.append(key)  // $1
        binds.append(Double(capacity))  // $2
        binds.append(perMinute / 60)  // $3: attempts a second
        let seconds = now.timeIntervalSince1970
        binds.append(seconds)  // $4
        // What the bucket holds now, refilled since it was last taken from (a node whose clock is
        // behind refills nothing and moves nothing back).
        let refilled = "least($2, b.tokens + greatest(0, $4 - b.updated) * $3)"
        let rows = try await self.rows(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO rate_bucket AS b (key, tokens, updated, full_at)
                    VALUES ($1, $2 - 1, $4, $4 + 1 / $3)
                    ON CONFLICT (key) DO UPDATE SET
                        tokens = \(refilled) - 1,
                        updated = greatest(b.updated, $4),
                        full_at = $4 + ($2 + 1 - \(refilled)) / $3
                    WHERE \(refilled) >= 1
                    RETURNING 1
                    """, binds: binds))
        // Now and then, forget the buckets that have refilled (they say nothing a new one would not).
        if Int.random(in: 0..<256) == 0 {
            try await self.execute("DELETE FROM rate_bucket WHERE full_at < \(seconds)")
        }
        return !rows.isEmpty
    }
}
