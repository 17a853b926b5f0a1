public import Hummingbird
public import NIOCore

/// The request context of the site's router: Hummingbird's basics plus the peer's address, from
/// which ``ClientMiddleware`` decides who is asking.
public struct SiteRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's own part of the context.
    public var coreContext: CoreRequestContextStorage
    /// The address of the other end of the connection (`nil` in router tests without sockets).
    public let remoteAddress: SocketAddress?

    /// Creates the context of a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
