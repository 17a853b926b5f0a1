public import NIOCore
public import NIOPosix
import NIOSSL

/// One session with an SMTP server (RFC 5321): greeting, EHLO (HELO when EHLO is refused),
/// STARTTLS, AUTH, then any number of messages over the same connection, then QUIT.
///
/// Commands are pipelined when the server offers PIPELINING; SIZE is declared and checked when it
/// offers SIZE. Every failure is a ``MailError`` carrying the server's reply where there is one.
public actor SMTPConnection {
    private let channel: any Channel
    private let configuration: SMTPConfiguration
    /// EHLO keywords (upper case) and their parameters.
    private var capabilities: [String: String] = [:]
    /// Whether the transport is encrypted.
    public private(set) var isEncrypted = false
    /// The server's greeting.
    public let greeting: SMTPReply

    /// Mail's own event loop: a message's commit hook runs on it and may block for the length of
    /// a database write, which the site's loops must never do.
    public static let mailLoops: MultiThreadedEventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Connects, reads the greeting, says EHLO, upgrades to TLS and authenticates as configured.
    ///
    /// - Throws: ``MailError``: `connectionFailed`, `timeout`, `tls`, `authentication`, or
    ///   `rejected` with the reply when the server turns the session down.
    public static func open(
        _ configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = SMTPConnection.mailLoops
    ) async throws(MailError) -> SMTPConnection {
        let loop = eventLoopGroup.next()
        let greeting = loop.makePromise(of: SMTPReply.self)
        let timeout = TimeAmount.nanoseconds(Int64(configuration.timeout * 1e9))
        let tlsContext: NIOSSLContext? =
            configuration.security == .none ? nil : try Self.makeTLSContext(configuration)
        let serverName = Self.serverName(configuration.host)
        let implicitTLS = configuration.security == .tls
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if implicitTLS, let tlsContext {
                            try sync.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                        }
                        try sync.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        try sync.addHandler(SMTPClientHandler(greeting: greeting, timeout: timeout))
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            greeting.fail(error)
            throw MailError(
                .connectionFailed, "could not connect to \(configuration.host):\(configuration.port): \(error)")
        }
        let reply: SMTPReply
        do {
            reply = try await greeting.futureResult.get()
        } catch {
            channel.close(promise: nil)
            throw Self.mailError(error, doing: "waiting for the greeting")
        }
        let connection = SMTPConnection(channel: channel, configuration: configuration, greeting: reply)
        do {
            try await connection.start(tlsContext: tlsContext, serverName: serverName)
        } catch {
            await connection.abort()
            throw error
        }
        return connection
    }

    private init(channel: any Channel, configuration: SMTPConfiguration, greeting: SMTPReply) {
        self.channel = channel
        self.configuration = configuration
        self.greeting = greeting
        self.isEncrypted = configuration.security == .tls
    }

    /// Whether the server offered an extension in its EHLO reply (`PIPELINING`, `SIZE`, …).
    public func offers(_ keyword: String) -> Bool { self.capabilities[keyword.uppercased()] != nil }

    private func start(tlsContext: NIOSSLContext?, serverName: String?) async throws(MailError) {
        guard self.greeting.code == 220 else {
            throw MailError(.rejected, "the server turned the session down", reply: self.greeting)
        }
        try await self.hello()
        if self.configuration.security == .startTLS {
            guard self.offers("STARTTLS"), let tlsContext else {
                throw MailError(.tls, "the server does not offer STARTTLS, which the SMTP URL requires")
            }
            let reply = try await self.command("STARTTLS")
            guard reply.code == 220 else { throw MailError(.tls, "the server refused STARTTLS", reply: reply) }
            do {
                let channel = self.channel
                let handshake = channel.eventLoop.makePromise(of: Void.self)
                try await channel.eventLoop.submit {
                    let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName)
                    try channel.pipeline.syncOperations.addHandler(handler, position: .first)
                    try channel.pipeline.syncOperations.addHandler(
                        TLSHandshakeWaiter(done: handshake), position: .after(handler))
                }.get()
                try await handshake.futureResult.get()
            } catch let error as MailError {
                throw error
            } catch {
                throw MailError(.tls, "the TLS handshake with \(self.configuration.host) failed: \(error)")
            }
            self.isEncrypted = true
            // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
            try await self.hello()
        }
        if let username = self.configuration.username {
            try await self.authenticate(username: username, password: self.configuration.password ?? "")
        }
    }

    private func hello() async throws(MailError) {
        let reply = try await self.command("EHLO \(self.configuration.heloName)")
        if reply.isSuccess {
            var capabilities: [String: String] = [:]
            for line in reply.lines.dropFirst() {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard let keyword = parts.first else { continue }
                capabilities[keyword.uppercased()] = parts.count > 1 ? String(parts[1]) : ""
            }
            self.capabilities = capabilities
            return
        }
        // RFC 5321 §3.2: a server that does not know EHLO gets HELO.
        let helo = try await self.command("HELO \(self.configuration.heloName)")
        guard helo.isSuccess else { throw MailError(.rejected, "the server refused EHLO and HELO", reply: helo) }
        self.capabilities = [:]
    }

    private func authenticate(username: String, password: String) async throws(MailError) {
        guard self.isEncrypted || self.configuration.isLoopback else {
            throw MailError(
                .authentication,
                "refusing to send the SMTP password over an unencrypted connection to \(self.configuration.host); use smtps:// or ?starttls=true"
            )
        }
        let mechanisms = Set((self.capabilities["AUTH"] ?? "").uppercased().split(separator: " ").map(String.init))
        if mechanisms.contains("PLAIN") {
            let token = Base64.encode(Array("\0\(username)\0\(password)".utf8))
            let reply = try await self.command("AUTH PLAIN \(token)", redacted: "AUTH PLAIN ***")
            guard reply.code == 235 else { throw MailError(.authentication, "AUTH PLAIN was refused", reply: reply) }
        } else if mechanisms.contains("LOGIN") {
            var reply = try await self.command("AUTH LOGIN")
            guard reply.code == 334 else { throw MailError(.authentication, "AUTH LOGIN was refused", reply: reply) }
            reply = try await self.command(Base64.encode(Array(username.utf8)), redacted: "(user name)")
            guard reply.code == 334 else { throw MailError(.authentication, "the user name was refused", reply: reply) }
            reply = try await self.command(Base64.encode(Array(password.utf8)), redacted: "(password)")
            guard reply.code == 235 else {
                throw MailError(.authentication, "the credentials were refused", reply: reply)
            }
        } else if mechanisms.isEmpty, self.offers("STARTTLS"), !self.isEncrypted {
            throw MailError(
                .authentication, "the server offers AUTH only after STARTTLS: add ?starttls=true to the SMTP URL")
        } else {
            throw MailError(
                .authentication,
                "the server offers no AUTH mechanism this client knows (PLAIN, LOGIN); it offers \"\(self.capabilities["AUTH"] ?? "none")\""
            )
        }
    }

    /// Sends one message to its recipients and returns the server's final reply.
    ///
    /// `willCommit` runs after the whole text has been handed to the network and before the
    /// final dot, the moment the server takes responsibility for the message: record the message
    /// as sent there, and a crash can no longer send it twice. If `willCommit` throws, the
    /// transaction is reset and nothing is delivered. `commitNow`, when given, runs after
    /// `willCommit` on the connection's own event loop, and the final dot is written to the socket
    /// by the same call right after it returns: no thread hop, no await, nothing between the
    /// commit and the `write` but the pipeline, so a process killed there has no time to have
    /// recorded a message the server never got. It may block (a database write), which is why
    /// connections run on ``mailLoops`` unless told otherwise, never on the site's loops.
    ///
    /// - Throws: ``MailError``: `rejected` with the reply when the server refuses the sender,
    ///   every recipient, or the text (the transaction is reset and the connection stays usable);
    ///   `messageTooLarge` when SIZE forbids it; `invalidHeader` before anything is sent.
    /// - Returns: the reply to the final dot, and the recipients the server refused.
    @discardableResult
    public func send(
        _ message: MailMessage, willCommit: @Sendable () async throws -> Void = {},
        commitNow: (@Sendable () throws -> Void)? = nil
    ) async throws(MailError) -> (reply: SMTPReply, refused: [(MailAddress, SMTPReply)]) {
        let text = try message.rendered()
        let body = Self.dotStuffed(text)
        if let limit = self.capabilities["SIZE"].flatMap({ Int($0) }), limit > 0, body.readableBytes > limit {
            throw MailError(
                .messageTooLarge, "the message has \(body.readableBytes) bytes; the server takes at most \(limit)")
        }
        let size = self.offers("SIZE") ? " SIZE=\(body.readableBytes)" : ""
        let mailFrom = "MAIL FROM:<\(message.from.address)>\(size)"
        let recipients = message.to.map { "RCPT TO:<\($0.address)>" }
        let mailReply: SMTPReply
        var rcptReplies: [SMTPReply] = []
        var dataReply: SMTPReply?
        if self.offers("PIPELINING") {
            let replies = try await self.pipeline([mailFrom] + recipients + ["DATA"])
            mailReply = replies[0]
            rcptReplies = Array(replies[1...recipients.count])
            dataReply = replies[replies.count - 1]
        } else {
            mailReply = try await self.command(mailFrom)
            if mailReply.isSuccess {
                for recipient in recipients { rcptReplies.append(try await self.command(recipient)) }
                if rcptReplies.contains(where: \.isSuccess) { dataReply = try await self.command("DATA") }
            }
        }
        guard mailReply.isSuccess else {
            try await self.reset(after: dataReply)
            throw MailError(.rejected, "the server refused the sender <\(message.from.address)>", reply: mailReply)
        }
        let refused = zip(message.to, rcptReplies).filter { !$0.1.isSuccess }
        guard rcptReplies.contains(where: \.isSuccess) else {
            try await self.reset(after: dataReply)
            let first = refused.first
            throw MailError(
                .recipientRefused, "the server refused every recipient (first <\(first?.0.address ?? "")>)",
                reply: first?.1)
        }
        guard let dataReply, dataReply.code == 354 else {
            try await self.reset(after: nil)
            throw MailError(.rejected, "the server refused DATA", reply: dataReply)
        }
        do {
            try await self.channel.writeAndFlush(SMTPRequest(bytes: body, reply: nil)).get()
        } catch {
            throw Self.mailError(error, doing: "sending the message text")
        }
        do {
            try await willCommit()
        } catch {
            // Drop the connection before the dot so the server discards the text.
            await self.abort()
            throw MailError(.withdrawn, "the message was withdrawn before the end of its text: \(error)")
        }
        let final: SMTPReply
        if let commitNow {
            let channel = self.channel
            let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
            let dot = SMTPRequest(bytes: channel.allocator.buffer(string: ".\r\n"), reply: promise)
            do {
                // On the channel's loop, so that the dot goes to the socket within this call: a
                // write from another thread would only queue it for the loop, and a kill before
                // the loop ran would leave the message recorded but never ended.
                try await channel.eventLoop.submit {
                    try commitNow()
                    channel.writeAndFlush(dot, promise: nil)
                }.get()
            } catch {
                promise.fail(error)
                await self.abort()
                throw MailError(.withdrawn, "the message was withdrawn before the end of its text: \(error)")
            }
            do {
                final = try await promise.futureResult.get()
            } catch {
                throw Self.mailError(error, doing: "waiting for the reply to the end of the message")
            }
        } else {
            final = try await self.command(".")
        }
        guard final.isSuccess else {
            // The transaction is over either way; RSET makes sure the server agrees.
            _ = try? await self.command("RSET")
            throw MailError(.rejected, "the server refused the message", reply: final)
        }
        return (final, refused)
    }

    /// Says RSET (ending a failed transaction), QUIT, and closes.
    public func close() async {
        _ = try? await self.command("QUIT")
        await self.abort()
    }

    /// Closes the connection at once.
    public func abort() async {
        try? await self.channel.close()
    }

    /// RSET after a refusal, so the connection can take the next message.
    private func reset(after dataReply: SMTPReply?) async throws(MailError) {
        if let dataReply, dataReply.code == 354 {
            // The server took DATA although the transaction failed: ending it would deliver an
            // empty message, so drop the connection instead.
            await self.abort()
            throw MailError(.protocolViolation, "the server accepted DATA in a failed transaction", reply: dataReply)
        }
        let reply = try await self.command("RSET")
        guard reply.isSuccess else { throw MailError(.rejected, "the server refused RSET", reply: reply) }
    }

    /// Sends one command line and waits for its reply.
    func command(_ line: String, redacted: String? = nil) async throws(MailError) -> SMTPReply {
        try await self.pipeline([line], redacted: redacted)[0]
    }

    /// Sends command lines in one write and waits for each reply.
    private func pipeline(_ lines: [String], redacted: String? = nil) async throws(MailError) -> [SMTPReply] {
        let loop = self.channel.eventLoop
        var promises: [EventLoopPromise<SMTPReply>] = []
        for (index, line) in lines.enumerated() {
            let promise = loop.makePromise(of: SMTPReply.self)
            promises.append(promise)
            let request = SMTPRequest(bytes: self.channel.allocator.buffer(string: line + "\r\n"), reply: promise)
            let written = loop.makePromise(of: Void.self)
            written.futureResult.whenFailure { promise.fail($0) }
            if index == lines.count - 1 {
                self.channel.writeAndFlush(request, promise: written)
            } else {
                self.channel.write(request, promise: written)
            }
        }
        var replies: [SMTPReply] = []
        for (index, promise) in promises.enumerated() {
            do {
                replies.append(try await promise.futureResult.get())
            } catch {
                throw Self.mailError(error, doing: "waiting for the reply to \(redacted ?? lines[index])")
            }
        }
        return replies
    }

    private static func mailError(_ error: any Error, doing what: String) -> MailError {
        if let error = error as? MailError {
            return MailError(error.code, "\(error.message) (\(what))", reply: error.reply)
        }
        if let error = error as? NIOSSLError {
            return MailError(.tls, "TLS failed \(what): \(error)")
        }
        return MailError(.connectionFailed, "the connection failed \(what): \(error)")
    }

    /// The message text with every line starting with "." doubled (RFC 5321 §4.5.2).
    static func dotStuffed(_ text: String) -> ByteBuffer {
        var text = text
        return text.withUTF8 { bytes in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(bytes.count + 64)
            var runStart = 0
            var atLineStart = true
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if atLineStart && byte == UInt8(ascii: ".") {
                    buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    buffer.writeInteger(UInt8(ascii: "."))
                    runStart = index
                }
                atLineStart = byte == 10
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            return buffer
        }
    }

    private static func makeTLSContext(_ configuration: SMTPConfiguration) throws(MailError) -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let file = configuration.trustedCertificatesFile {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(file))]
            }
            if !configuration.verifyCertificate { tls.certificateVerification = .none }
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw MailError(
                .tls, "could not set up TLS (ca=\(configuration.trustedCertificatesFile ?? "system")): \(error)")
        }
    }

    /// The name for SNI and certificate checks: the host unless it is an IP address.
    private static func serverName(_ host: String) -> String? {
        let isAddress =
            host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        return isAddress ? nil : host
    }
}
