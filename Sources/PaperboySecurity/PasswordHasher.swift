import Dispatch
import HummingbirdBcrypt

/// Passwords hashed with bcrypt (salted, cost 12 by default: about a quarter of a second here, so
/// guessing offline is slow).
///
/// The async forms run bcrypt on a queue of its own, so that a quarter of a second of hashing
/// never holds one of Swift's cooperative threads (of which a 2-core machine has two).
public enum PasswordHasher {
    private static let queue = DispatchQueue(label: "paperboy.bcrypt", attributes: .concurrent)

    /// A bcrypt hash of `password` with a fresh salt.
    public static func hash(_ password: String, cost: UInt8 = 12) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` matches `hash`.
    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// ``hash(_:cost:)`` off the cooperative threads.
    public static func hashed(_ password: String, cost: UInt8 = 12) async -> String {
        await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: Bcrypt.hash(password, cost: cost)) }
        }
    }

    /// ``verify(_:hash:)`` off the cooperative threads.
    public static func verified(_ password: String, hash: String) async -> Bool {
        await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: Bcrypt.verify(password, hash: hash)) }
        }
    }
}
