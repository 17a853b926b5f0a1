import NIOCore

/// Splits the server's bytes into lines and hands them to ``SMTPReplyReader``, which makes
/// replies of them.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    private var reader = SMTPReplyReader()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > SMTPReplyReader.maxLineLength {
                throw MailError(
                    .protocolViolation, "the server sent a line longer than \(SMTPReplyReader.maxLineLength) bytes")
            }
            return .needMoreData
        }
        let line = buffer.readBytes(length: newline - buffer.readerIndex + 1) ?? []
        if let reply = try self.reader.read(line: line) {
            context.fireChannelRead(Self.wrapInboundOut(reply))
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
