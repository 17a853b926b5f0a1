import Foundation
import NIOSSL
import PaperboyStore
import PostgresNIO

/// A `postgres://` address, read into what the client needs.
struct PostgresAddress: CustomStringConvertible {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var schema: String
    var poolSize: Int
    var tls: PostgresClient.Configuration.TLS

    /// Reads `postgres://user[:password]@host[:port]/database[?sslmode=…&schema=…&pool=…]`.
    /// - Throws: ``StoreError`` `unavailable` saying which part is wrong (never echoing a password).
    init(parsing text: String) throws(StoreError) {
        func bad(_ reason: String) -> StoreError {
            StoreError(
                .unavailable, "bad PostgreSQL address: \(reason) (expected postgres://user@host[:port]/database)")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased())
        else { throw bad("it is not a postgres:// URL") }
        guard let host = components.host, !host.isEmpty else { throw bad("no host") }
        guard let user = components.user, !user.isEmpty else { throw bad("no user name") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw bad("no database name after the host") }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.schema = "public"
        self.poolSize = 10
        self.tls = .disable
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                switch value {
                case "disable": self.tls = .disable
                case "prefer": self.tls = .prefer(.makeClientConfiguration())
                case "require": self.tls = .require(.makeClientConfiguration())
                default: throw bad("sslmode \"\(value)\" is not disable, prefer or require")
                }
            case "schema":
                guard !value.isEmpty, value.count <= 63,
                    value.unicodeScalars.allSatisfy({
                        $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
                    })
                else { throw bad("schema \"\(value)\" is not a plain name (letters, digits, _)") }
                self.schema = value.lowercased()
            case "pool":
                guard let size = Int(value), (1...200).contains(size) else {
                    throw bad("pool \"\(value)\" is not a number from 1 to 200")
                }
                self.poolSize = size
            default:
                throw bad("unknown setting \"\(item.name)\" (known: sslmode, schema, pool)")
            }
        }
    }

    /// The address without its password.
    var description: String {
        "postgres://\(self.user)@\(self.host):\(self.port)/\(self.database)"
            + (self.schema == "public" ? "" : "?schema=\(self.schema)")
    }
}
