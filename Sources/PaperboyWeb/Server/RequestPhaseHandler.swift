import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// After the HTTP decoder: tells the watch when a request starts and ends and when its response
/// has been written.
final class RequestPhaseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let watch: ConnectionWatch

    init(watch: ConnectionWatch) {
        self.watch = watch
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head:
            self.watch.readingRequest = true
            self.watch.awaitingResponses += 1
            self.watch.headStarted = nil
            self.watch.lastBodyRead = .now()
            self.watch.requestStarted = .now()
            self.watch.requestBytes = 0
        case .body:
            self.watch.lastBodyRead = .now()
        case .end:
            self.watch.readingRequest = false
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = self.unwrapOutboundIn(data) {
            self.watch.awaitingResponses = max(0, self.watch.awaitingResponses - 1)
            if self.watch.awaitingResponses == 0 { self.watch.idleSince = .now() }
        }
        context.write(data, promise: promise)
    }
}
