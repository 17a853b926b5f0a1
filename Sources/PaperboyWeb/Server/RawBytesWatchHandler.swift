import NIOCore

/// First in the pipeline: notes when the bytes of a new request start to arrive, and runs the
/// connection's timer; closes the connection when a timeout runs out (a head that never ends gets
/// `408 Request Timeout` first).
final class RawBytesWatchHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let watch: ConnectionWatch
    private var timer: RepeatedTask?

    init(watch: ConnectionWatch) {
        self.watch = watch
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.watch.unwritableSince = context.channel.isWritable ? nil : (self.watch.unwritableSince ?? .now())
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.watch.readingRequest { self.watch.requestBytes += self.unwrapInboundIn(data).readableBytes }
        if !self.watch.readingRequest, self.watch.awaitingResponses == 0, self.watch.headStarted == nil {
            self.watch.headStarted = .now()
        }
        context.fireChannelRead(data)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard self.timer == nil else { return }
        self.watch.idleSince = .now()
        let tick = self.watch.tick
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { _ in
            bound.value.handler.check(bound.value.context)
        }
    }

    private func check(_ context: ChannelHandlerContext) {
        guard let expiry = self.watch.expired(at: .now()) else { return }
        self.timer?.cancel()
        self.timer = nil
        if expiry == .head {
            let answer =
                "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 32\r\n\r\nthe request head came too slowly"
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: answer)), promise: nil)
        }
        context.close(promise: nil)
    }
}
