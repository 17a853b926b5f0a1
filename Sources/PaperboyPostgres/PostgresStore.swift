import Foundation
public import Logging
public import PaperboyStore
public import PostgresNIO
import Synchronization

/// Every store of the application over one PostgreSQL database, for several `serve` nodes that
/// share their state.
///
/// Queries go through postgres-nio's `PostgresClient` pool, which the store runs itself for as
/// long as it lives. Opening a store brings the schema up to date with ``PostgresMigrations``
/// under an advisory lock, so that nodes starting at once do not race. Writes of papers take a
/// transaction-level advisory lock, so that change sequence numbers are handed out in commit
/// order: a reader following the change feed never skips a change committed late.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>
    /// The database, as the address named it without its password (for messages and `/health`).
    public let location: String
    /// The schema the tables live in.
    public let schema: String
    /// The pool's size.
    let poolSize: Int
    /// Operations holding a connection now (queries, transactions, the listener).
    private let connectionsInUse = Mutex(0)

    private init(client: PostgresClient, location: String, schema: String, poolSize: Int, logger: Logger) {
        self.client = client
        self.poolSize = poolSize
        self.location = location
        self.schema = schema
        self.logger = logger
        self.runner = Task { await client.run() }
    }

    deinit {
        self.runner.cancel()
    }

    /// Connects to the database `url` names and migrates it.
    ///
    /// `url` is `postgres://user[:password]@host[:port]/database`, with optional query items
    /// `sslmode` (`disable`, the default, `prefer` or `require`), `schema` (tables in that schema,
    /// made if missing, instead of `public`: several sites on one database, or one per test) and
    /// `pool` (connections at most, 10 by default).
    ///
    /// - Parameter migrate: whether to bring the schema up to date (`paperboy migrate --dry-run`
    ///   opens without).
    /// - Throws: ``StoreError`` `unavailable` (a bad address, no server, refused credentials) or
    ///   `migration`, naming the database.
    public static func open(
        url: String, migrate: Bool = true, logger: Logger = Logger(label: "paperboy.postgres")
    ) async throws(StoreError) -> PostgresStore {
        let address = try PostgresAddress(parsing: url)
        var configuration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: address.tls)
        configuration.options.maximumConnections = address.poolSize
        configuration.options.connectTimeout = .seconds(5)
        if address.schema != "public" {
            configuration.options.additionalStartupParameters = [("search_path", address.schema)]
        }
        // The pool's own chatter (a connection made or closed) only when something is wrong.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        let store = PostgresStore(
            client: PostgresClient(configuration: configuration, backgroundLogger: background),
            location: address.description, schema: address.schema, poolSize: address.poolSize, logger: logger)
        // Let the pool's run loop start before the first lease (the pool warns otherwise).
        for _ in 0..<8 { await Task.yield() }
        do {
            try await store.connectWithRetry()
            if address.schema != "public" {
                try await store.execute("CREATE SCHEMA IF NOT EXISTS \(unescaped: Self.quoted(address.schema))")
            }
        } catch {
            throw StoreError(.unavailable, "cannot connect to PostgreSQL \(address): \(Self.describe(error))")
        }
        if migrate { try await PostgresMigrations.migrate(store) }
        return store
    }

    /// Waits up to 10 s for the first connection (a server still starting refuses them).
    private func connectWithRetry() async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            do {
                try await self.execute("SELECT 1")
                return
            } catch {
                guard ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The schema migrations this build knows, oldest first.
    public static var migrations: [String] { PostgresMigrations.identifiers }

    /// The migrations applied to the database, oldest first.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await PostgresMigrations.appliedIdentifiers(self)
    }

    /// Every store of this database as one ``Storage``.
    public var storage: Storage {
        Storage(
            backend: "postgres", papers: self, votes: self, members: self, community: self, subscriptions: self,
            embeddings: self, lists: self, feedback: self, sentMarking: .awaited, changeListener: self,
            exclusive: self, rateLimits: self,
            connectionPoolUse: { [self] in (self.connectionsInUse.withLock { $0 }, self.poolSize) })
    }

    // MARK: Queries

    /// The rows of `query`, read in full, outside a transaction.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.mapErrors { try await self.client.query(query, logger: self.logger).collect() }
    }

    /// Runs `query` outside a transaction, ignoring any rows.
    func execute(_ query: PostgresQuery) async throws {
        try await self.mapErrors { _ = try await self.client.query(query, logger: self.logger).collect() }
    }

    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back
    /// when it throws.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await self.mapErrors {
            try await self.client.withConnection { connection in
                try await connection.execute("BEGIN", logger: self.logger)
                do {
                    let value = try await body(connection)
                    try await connection.execute("COMMIT", logger: self.logger)
                    return value
                } catch {
                    // A broken connection rolls back on its own; the pool then drops it.
                    try? await connection.execute("ROLLBACK", logger: self.logger)
                    throw error
                }
            }
        }
    }

    /// Runs `operation`, turning errors other than ``StoreError`` into ones that name the database,
    /// and counting it as a connection in use meanwhile.
    func mapErrors<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await self.counted(operation)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.io, "PostgreSQL \(self.location): \(Self.describe(error))")
        }
    }

    /// Runs `operation` counted as holding a connection (what `/metrics` reports as pool use).
    func counted<T>(_ operation: () async throws -> T) async throws -> T {
        self.connectionsInUse.withLock { $0 += 1 }
        defer { self.connectionsInUse.withLock { $0 -= 1 } }
        return try await operation()
    }

    /// The SQLSTATE of a server error, if `error` is one (`23505` for a unique violation).
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether `error` is the server refusing a duplicate key.
    static func isUniqueViolation(_ error: any Error) -> Bool { Self.sqlState(error) == "23505" }

    /// Whether `error` is the server refusing a row that names one that does not exist.
    static func isForeignKeyViolation(_ error: any Error) -> Bool { Self.sqlState(error) == "23503" }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
                return message + detail
            }
            return "\(error.code)"
        }
        if let error = error as? StoreError { return error.message }
        return "\(error)"
    }

    /// `name` as a quoted SQL identifier.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Reads the first column of a row, turning a type mismatch into a ``StoreError`` that names
    /// the table.
    static func decode<Column: PostgresDecodable>(
        _ row: PostgresRow, _ column: Column.Type, table: String
    ) throws(StoreError) -> Column {
        do {
            return try row.decode(column)
        } catch {
            throw StoreError(.corruptRow, "\(table): \(error)")
        }
    }

    /// Reads column values of a row, turning a type mismatch into a ``StoreError`` that names
    /// the table.
    static func decode<each Column: PostgresDecodable>(
        _ row: PostgresRow, _ columns: (repeat each Column).Type, table: String
    ) throws(StoreError) -> (repeat each Column) {
        do {
            return try row.decode(columns)
        } catch {
            throw StoreError(.corruptRow, "\(table): \(error)")
        }
    }
}

extension PostgresConnection {
    /// The rows of `query`, read in full.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }

    /// Runs `query`, ignoring any rows.
    func execute(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }
}
