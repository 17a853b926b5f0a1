/// What one connection may take of the server: how long it may stay idle, send a request head,
/// pause in a body or leave a response unread, and how many connections one client may hold
/// open at once. The timeouts are nginx's defaults (`keepalive_timeout`, `client_header_timeout`,
/// `client_body_timeout`, `send_timeout`: 60 s).
public struct ConnectionLimits: Sendable, Hashable {
    /// How long a connection may wait for its next request.
    public var idleTimeout: Duration
    /// How long a request head may take to arrive, from its first byte.
    public var headerTimeout: Duration
    /// How long a request body may pause between two reads; after that long, a body must also
    /// have come at ``minBodyBytesPerSecond`` on average (a byte every few seconds holds nothing).
    public var bodyTimeout: Duration
    /// The slowest a request body may arrive, on average, once it has taken ``bodyTimeout``.
    public var minBodyBytesPerSecond: Int
    /// How long the client may leave the response unread (the connection not writable).
    public var sendTimeout: Duration
    /// How many connections one client (an IPv4 address, an IPv6 /64) may hold open; 0: any.
    public var maxConnectionsPerClient: Int
    /// How many connections a trusted proxy may hold open (it carries many clients); 0: any.
    public var maxConnectionsPerProxy: Int
    /// How many connections the server holds open in all; past it, new ones wait in the backlog.
    public var maxConnections: Int

    /// Creates limits.
    public init(
        idleTimeout: Duration = .seconds(60), headerTimeout: Duration = .seconds(60),
        bodyTimeout: Duration = .seconds(60), minBodyBytesPerSecond: Int = 500, sendTimeout: Duration = .seconds(60),
        maxConnectionsPerClient: Int = 100, maxConnectionsPerProxy: Int = 1_000, maxConnections: Int = 4_096
    ) {
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.minBodyBytesPerSecond = minBodyBytesPerSecond
        self.sendTimeout = sendTimeout
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.maxConnectionsPerProxy = maxConnectionsPerProxy
        self.maxConnections = maxConnections
    }
}
