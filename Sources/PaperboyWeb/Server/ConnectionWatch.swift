import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Where one connection stands, for its timeouts: waiting for a request, reading a head,
/// reading a body, or waiting for the site's answer. Two handlers keep it, one on each side of
/// the HTTP decoder (``RawBytesWatchHandler`` sees bytes arrive, ``RequestPhaseHandler`` sees
/// requests and responses), and a timer on the connection's event loop checks it.
///
/// Belongs to one connection and is used only on its event loop.
final class ConnectionWatch {
    let limits: ConnectionLimits
    /// Between a request's head and its end.
    var readingRequest = false
    /// Requests whose response has not ended.
    var awaitingResponses = 0
    /// When the connection last became idle (no request in flight, nothing read since).
    var idleSince = NIODeadline.now()
    /// When the first byte of a head not yet complete arrived.
    var headStarted: NIODeadline?
    /// When the body being read last gave bytes.
    var lastBodyRead = NIODeadline.now()

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    /// What has run out at `now`, if anything.
    func expired(at now: NIODeadline) -> Expiry? {
        if self.readingRequest {
            return now - self.lastBodyRead > TimeAmount(self.limits.bodyTimeout) ? .body : nil
        }
        guard self.awaitingResponses == 0 else { return nil }
        if let started = self.headStarted {
            return now - started > TimeAmount(self.limits.headerTimeout) ? .head : nil
        }
        return now - self.idleSince > TimeAmount(self.limits.idleTimeout) ? .idle : nil
    }

    enum Expiry { case idle, head, body }

    /// How often the timer looks: a quarter of the shortest timeout, between 50 ms and 5 s.
    var tick: TimeAmount {
        let shortest = min(self.limits.idleTimeout, self.limits.headerTimeout, self.limits.bodyTimeout)
        return min(max(TimeAmount(shortest / 4), .milliseconds(50)), .seconds(5))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

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

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
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
