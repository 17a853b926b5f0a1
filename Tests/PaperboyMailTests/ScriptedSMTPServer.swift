import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A stand-in SMTP server on loopback for the client's unit tests: it answers each command line
/// through `respond` (nil = stay silent), takes message text after a 354 up to the dot, and keeps
/// the transcript. Real-server tests run against aiosmtpd from scripts/mail-test.sh.
final class ScriptedSMTPServer: Sendable {
    /// What the server has seen: command lines, and `DATA:` + each message's text.
    let transcript = NIOLockedValueBox<[String]>([])
    private let channel: any Channel

    /// `respond(line)` gives the reply lines (for example `["250-hi", "250 PIPELINING"]`).
    init(greeting: String = "220 scripted ESMTP", respond: @escaping @Sendable (String) -> [String]?) async throws {
        let transcript = self.transcript
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        Session(greeting: greeting, respond: respond, transcript: transcript))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// The port it listens on.
    var port: Int { self.channel.localAddress?.port ?? 0 }

    func stop() async { try? await self.channel.close() }

    private final class Session: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let greeting: String
        let respond: @Sendable (String) -> [String]?
        let transcript: NIOLockedValueBox<[String]>
        var pending: [UInt8] = []
        var inData = false
        var message: [String] = []

        init(
            greeting: String, respond: @escaping @Sendable (String) -> [String]?,
            transcript: NIOLockedValueBox<[String]>
        ) {
            self.greeting = greeting
            self.respond = respond
            self.transcript = transcript
        }

        func channelActive(context: ChannelHandlerContext) {
            self.send([self.greeting], context: context)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = self.unwrapInboundIn(data)
            self.pending += buffer.readBytes(length: buffer.readableBytes) ?? []
            while let newline = self.pending.firstIndex(of: 10) {
                var line = String(decoding: self.pending[..<newline], as: UTF8.self)
                self.pending.removeSubrange(...newline)
                if line.hasSuffix("\r") { line.removeLast() }
                if self.inData {
                    if line == "." {
                        self.inData = false
                        self.transcript.withLockedValue { $0.append("DATA:" + self.message.joined(separator: "\n")) }
                        self.message = []
                        if let reply = self.respond(".") { self.send(reply, context: context) }
                    } else {
                        self.message.append(line)
                    }
                    continue
                }
                self.transcript.withLockedValue { $0.append(line) }
                guard let reply = self.respond(line) else { continue }
                self.send(reply, context: context)
                if reply.last?.hasPrefix("354") == true { self.inData = true }
                if line == "QUIT" { context.close(promise: nil) }
            }
        }

        private func send(_ lines: [String], context: ChannelHandlerContext) {
            let text = lines.map { $0 + "\r\n" }.joined()
            context.writeAndFlush(self.wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
        }
    }
}
