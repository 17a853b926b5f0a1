import NIOCore
import NIOSSL

/// One write to the server, and the promise of the reply it expects (none for message text).
struct SMTPRequest: Sendable {
    /// The bytes to send.
    var bytes: ByteBuffer
    /// Fulfilled with the reply to these bytes.
    var reply: EventLoopPromise<SMTPReply>?
}

/// Matches replies to requests in order (so commands can be pipelined) and fails every waiting
/// request when the connection drops, errs, or the server is silent for longer than the timeout.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundIn = SMTPRequest
    typealias OutboundOut = ByteBuffer

    private var waiting: CircularBuffer<EventLoopPromise<SMTPReply>>
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?

    /// A handler whose first expected reply is the server's greeting.
    init(greeting: EventLoopPromise<SMTPReply>, timeout: TimeAmount) {
        self.waiting = [greeting]
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.rearm(context: context)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = self.unwrapOutboundIn(data)
        if let reply = request.reply {
            self.waiting.append(reply)
            if self.waiting.count == 1 { self.rearm(context: context) }
        }
        context.write(self.wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = self.unwrapInboundIn(data)
        guard let next = self.waiting.popFirst() else {
            self.failAll(
                context: context,
                MailError(.protocolViolation, "the server sent a reply nobody asked for", reply: reply))
            return
        }
        next.succeed(reply)
        self.rearm(context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let mailError: MailError
        switch error {
        case let error as MailError: mailError = error
        case let error as NIOSSLError: mailError = MailError(.tls, "TLS failed: \(error)")
        case let error as BoringSSLError: mailError = MailError(.tls, "TLS failed: \(error)")
        default: mailError = MailError(.connectionFailed, "the connection failed: \(error)")
        }
        self.failAll(context: context, mailError)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer?.cancel()
        let error = MailError(.connectionFailed, "the server closed the connection")
        while let promise = self.waiting.popFirst() { promise.fail(error) }
        context.fireChannelInactive()
    }

    private func failAll(context: ChannelHandlerContext, _ error: MailError) {
        self.timer?.cancel()
        while let promise = self.waiting.popFirst() { promise.fail(error) }
        context.close(promise: nil)
    }

    /// Restarts the reply timer when something is awaited, stops it when nothing is.
    private func rearm(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        guard !self.waiting.isEmpty else { return }
        let seconds = Double(self.timeout.nanoseconds) / 1e9
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(in: self.timeout) {
            let (handler, context) = loopBound.value
            handler.failAll(
                context: context, MailError(.timeout, "the server sent no reply within \(seconds) seconds"))
        }
    }
}
