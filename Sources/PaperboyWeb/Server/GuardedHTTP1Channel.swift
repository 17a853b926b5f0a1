public import HummingbirdCore
public import Logging
public import NIOCore
import PaperboySecurity

/// Hummingbird's HTTP/1.1 channel with Paperboy's limits on each connection: idle, head, body and
/// send timeouts (``ConnectionWatch``) and at most ``ConnectionLimits/maxConnectionsPerClient``
/// connections per client (``ConnectionLimits/maxConnectionsPerProxy`` for a trusted proxy,
/// which carries many clients), past which a new connection gets `503` and is closed.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let trustedProxies: [IPNetwork]
    let connections: ClientConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let address = channel.remoteAddress?.ipAddress.flatMap { IPAddress($0) }
        let key = address?.clientKey ?? "unknown"
        let isProxy = address.map { address in self.trustedProxies.contains { $0.contains(address) } } ?? false
        let limit = isProxy ? self.limits.maxConnectionsPerProxy : self.limits.maxConnectionsPerClient
        guard self.connections.open(key, limit: limit) else {
            logger.notice("refused a connection from \(key): \(limit) are open")
            do {
                try channel.pipeline.syncOperations.addHandler(RefusingHandler(), position: .first)
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
            return HTTP1Channel(responder: self.responder).setup(channel: channel, logger: logger)
        }
        let connections = self.connections
        channel.closeFuture.whenComplete { _ in connections.close(key) }
        let watch = ConnectionWatch(limits: self.limits)
        do {
            try channel.pipeline.syncOperations.addHandler(RawBytesWatchHandler(watch: watch), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        let phases = NIOLoopBound(RequestPhaseHandler(watch: watch), eventLoop: channel.eventLoop)
        let http1 = HTTP1Channel(
            responder: self.responder, configuration: .init(additionalChannelHandlers: [phases.value]))
        return http1.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await HTTP1Channel(responder: self.responder).handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with Paperboy's connection limits.
    static func guardedHTTP1(limits: ConnectionLimits, trustedProxies: [IPNetwork]) -> HTTPServerBuilder {
        let connections = ClientConnections()
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                responder: responder, limits: limits, trustedProxies: trustedProxies, connections: connections)
        }
    }
}
