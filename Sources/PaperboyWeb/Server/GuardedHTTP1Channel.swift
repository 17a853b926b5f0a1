public import HummingbirdCore
public import Logging
public import NIOCore
import PaperboySecurity

/// Hummingbird's HTTP/1.1 channel with Paperboy's limits on each connection: idle, head and body
/// timeouts (``ConnectionWatch``) and at most ``ConnectionLimits/maxConnectionsPerClient``
/// connections per client, past which a new connection gets `503` and is closed.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let connections: ClientConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let key = channel.remoteAddress?.ipAddress.flatMap { IPAddress($0) }?.clientKey ?? "local"
        guard self.connections.open(key) else {
            logger.notice("refused a connection from \(key): \(self.limits.maxConnectionsPerClient) are open")
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

/// Answers a connection past its client's limit with `503` and closes it, before any request.
final class RefusingHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.refuse(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func refuse(_ context: ChannelHandlerContext) {
        let body = "too many connections from your address; close some and try again\n"
        let answer =
            "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let close = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: answer))).whenComplete { _ in
            close.value.close(promise: nil)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with Paperboy's connection limits.
    static func guardedHTTP1(limits: ConnectionLimits) -> HTTPServerBuilder {
        let connections = ClientConnections(limit: limits.maxConnectionsPerClient)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, connections: connections)
        }
    }
}
