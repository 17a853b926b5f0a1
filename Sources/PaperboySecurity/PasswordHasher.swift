import Dispatch
import Foundation
import HummingbirdBcrypt
import Synchronization

/// Passwords hashed with bcrypt (salted, cost 12 by default: about a quarter of a second here, so
/// guessing offline is slow).
///
/// The async forms run bcrypt on a few threads of their own, one per core, so that a quarter of a
/// second of hashing never holds one of Swift's cooperative threads (of which a 2-core machine
/// has two), and a flood of sign-ins cannot start more bcrypts at once than there are cores. Past
/// ``maxWaiting`` checks waiting their turn, they answer `nil` at once: busy.
public enum PasswordHasher {
    /// How many bcrypts may wait for a thread before the next is refused.
    public static let maxWaiting = 64

    private static let queues: [DispatchQueue] = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map {
        DispatchQueue(label: "paperboy.bcrypt.\($0)")
    }
    private static let state = Mutex((next: 0, inFlight: 0))

    /// A bcrypt hash of `password` with a fresh salt.
    public static func hash(_ password: String, cost: UInt8 = 12) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` matches `hash`.
    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// ``hash(_:cost:)`` on the bcrypt threads; `nil` when too many wait already.
    public static func hashed(_ password: String, cost: UInt8 = 12) async -> String? {
        await Self.run { Bcrypt.hash(password, cost: cost) }
    }

    /// ``verify(_:hash:)`` on the bcrypt threads; `nil` when too many wait already.
    public static func verified(_ password: String, hash: String) async -> Bool? {
        await Self.run { Bcrypt.verify(password, hash: hash) }
    }

    private static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T? {
        let queue: DispatchQueue? = Self.state.withLock { state in
            guard state.inFlight < Self.queues.count + Self.maxWaiting else { return nil }
            state.inFlight += 1
            state.next = (state.next + 1) % Self.queues.count
            return Self.queues[state.next]
        }
        guard let queue else { return nil }
        return await withCheckedContinuation { continuation in
            queue.async {
                let result = work()
                Self.state.withLock { $0.inFlight -= 1 }
                continuation.resume(returning: result)
            }
        }
    }
}
