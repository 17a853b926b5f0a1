/// Reads an SMTP server's lines into replies (RFC 5321 §4.2): `250-…` continues a reply, `250 …`
/// (or a bare `250`) ends it, every line of a reply has the same code. Knows nothing of sockets,
/// so that it can be tested and fuzzed on bytes alone.
struct SMTPReplyReader {
    /// The longest line a server may send.
    static let maxLineLength = 4_096

    /// Lines of the reply being read.
    private var lines: [String] = []
    /// Its code, from the first line.
    private var code: Int?

    /// Reads one line (its line break, CR LF or LF, may be there or not) and returns the reply
    /// it ends, if it ends one.
    ///
    /// - Throws: ``MailError`` `protocolViolation` for a line that is too long, does not start
    ///   with a code of 200–599, or changes the code of the reply it continues.
    mutating func read(line raw: some Collection<UInt8>) throws(MailError) -> SMTPReply? {
        var bytes = Array(raw)
        while let last = bytes.last, last == 10 || last == 13 { bytes.removeLast() }
        guard bytes.count <= Self.maxLineLength else {
            throw MailError(.protocolViolation, "the server sent a line longer than \(Self.maxLineLength) bytes")
        }
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
        self.lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard isLast else { return nil }
        defer {
            self.lines = []
            self.code = nil
        }
        return SMTPReply(code: code, lines: self.lines)
    }
}
