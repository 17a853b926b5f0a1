import HummingbirdBcrypt

/// Passwords hashed with bcrypt (salted, cost 12 by default: about a quarter of a second here, so
/// guessing offline is slow).
public enum PasswordHasher {
    /// A bcrypt hash of `password` with a fresh salt.
    public static func hash(_ password: String, cost: UInt8 = 12) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` matches `hash`.
    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }
}
