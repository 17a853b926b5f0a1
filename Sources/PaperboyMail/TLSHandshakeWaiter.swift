import NIOCore
import NIOTLS

/// Sits right after the TLS handler and reports the end of the handshake: success when TLS says
/// it completed, the error (an untrusted certificate, say) when it fails first.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let done: EventLoopPromise<Void>

    init(done: EventLoopPromise<Void>) {
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { self.done.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.done.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.done.fail(MailError(.tls, "the server closed the connection during the TLS handshake"))
        context.fireChannelInactive()
    }
}
