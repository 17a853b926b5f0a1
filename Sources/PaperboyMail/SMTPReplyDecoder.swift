import NIOCore

/// Splits the server's bytes into replies: lines `250-…` continue a reply, `250 …` ends it.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// Lines of the reply being read.
    private var lines: [String] = []
    /// Its code, from the first line.
    private var code: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 {
                throw MailError(.protocolViolation, "the server sent a line longer than 4096 bytes")
            }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex + 1
        var bytes = buffer.readBytes(length: length) ?? []
        while let last = bytes.last, last == 10 || last == 13 { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ $0 >= 48 && $0 <= 57 }), let code = Int(line.prefix(3)),
            (200..<600).contains(code)
        else {
            throw MailError(.protocolViolation, "the server sent \"\(line.prefix(80))\", which is not an SMTP reply")
        }
        if let current = self.code, current != code {
            throw MailError(.protocolViolation, "a reply's lines changed code from \(current) to \(code)")
        }
        self.code = code
        let isLast = bytes.count == 3 || bytes[3] != UInt8(ascii: "-")
        self.lines.append(bytes.count > 4 ? String(line.dropFirst(4)) : "")
        if isLast {
            context.fireChannelRead(Self.wrapInboundOut(SMTPReply(code: code, lines: self.lines)))
            self.lines = []
            self.code = nil
        }
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws
        -> DecodingState
    {
        while try self.decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
