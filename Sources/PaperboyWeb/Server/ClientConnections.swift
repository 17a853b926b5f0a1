import Synchronization

/// How many connections each client holds open, shared by every event loop.
final class ClientConnections: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    init() {}

    /// Counts a new connection from `key`; false (and not counted) when the client holds `limit`
    /// already (0: no limit).
    func open(_ key: String, limit: Int) -> Bool {
        self.counts.withLock { counts in
            let current = counts[key, default: 0]
            guard limit <= 0 || current < limit else { return false }
            counts[key] = current + 1
            return true
        }
    }

    /// Counts a connection from `key` closed.
    func close(_ key: String) {
        self.counts.withLock { counts in
            let remaining = counts[key, default: 1] - 1
            counts[key] = remaining > 0 ? remaining : nil
        }
    }

    /// Open connections of `key`.
    func count(_ key: String) -> Int {
        self.counts.withLock { $0[key, default: 0] }
    }
}
