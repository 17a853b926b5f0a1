public import Foundation

/// An e-mail: RFC 5322 headers and a plain-text body, with an HTML alternative when given
/// (multipart/alternative), ready for ``SMTPConnection/send(_:willCommit:)``.
///
/// Every header value is checked for line breaks when the message is rendered, so a value from
/// outside (a subject, a name) can never add a header.
public struct MailMessage: Sendable {
    /// The author.
    public var from: MailAddress
    /// The recipients; the envelope goes to each.
    public var to: [MailAddress]
    /// Where replies go, if not to ``from``.
    public var replyTo: MailAddress?
    /// The subject, any Unicode (encoded per RFC 2047 when not ASCII).
    public var subject: String
    /// The plain-text body.
    public var text: String
    /// The HTML body, sent as the preferred alternative.
    public var html: String?
    /// When the message was written.
    public var date: Date
    /// The Message-ID without angle brackets (`digest.42.2026-W47@papers.example.org`); a stable
    /// one lets receivers recognise a message sent twice.
    public var messageID: String
    /// The unsubscribe address for `List-Unsubscribe` (an `https` URL taking a one-click POST,
    /// RFC 8058), if the message is a list's.
    public var unsubscribeURL: String?
    /// Further headers.
    public var headers: [MailHeader]

    /// Creates a message.
    public init(
        from: MailAddress, to: [MailAddress], subject: String, text: String, html: String? = nil,
        date: Date = Date(), messageID: String, replyTo: MailAddress? = nil, unsubscribeURL: String? = nil,
        headers: [MailHeader] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID
        self.replyTo = replyTo
        self.unsubscribeURL = unsubscribeURL
        self.headers = headers
    }

    /// The message as sent: CRLF line ends, 7-bit (bodies in quoted-printable), lines within
    /// 998 characters.
    ///
    /// - Throws: ``MailError`` `invalidHeader` naming the field when a value has a line break or
    ///   control character, or `invalidAddress` when there is no recipient.
    public func rendered(boundary: String? = nil) throws(MailError) -> String {
        guard !self.to.isEmpty else { throw MailError(.invalidAddress, "the message has no recipient") }
        try MailHeader.checkValue(self.subject, field: "subject")
        try MailHeader.checkValue(self.messageID, field: "Message-ID")
        guard !self.messageID.contains(where: { $0 == "<" || $0 == ">" || $0 == " " }), self.messageID.contains("@")
        else {
            throw MailError(
                .invalidHeader, "the Message-ID \"\(self.messageID)\" must be id@domain without <> or spaces")
        }
        var lines: [String] = []
        lines.append("Date: " + Self.rfc5322Date(self.date))
        lines.append("From: " + self.from.headerValue)
        lines.append("To: " + self.to.map(\.headerValue).joined(separator: ",\r\n "))
        if let replyTo { lines.append("Reply-To: " + replyTo.headerValue) }
        lines.append("Subject: " + HeaderEncoding.unstructured(self.subject, nameLength: 7))
        lines.append("Message-ID: <\(self.messageID)>")
        lines.append("MIME-Version: 1.0")
        if let unsubscribeURL {
            try MailHeader.checkValue(unsubscribeURL, field: "unsubscribe URL")
            guard !unsubscribeURL.contains(where: { $0 == "<" || $0 == ">" || $0 == " " }) else {
                throw MailError(.invalidHeader, "the unsubscribe URL may not contain <, > or spaces")
            }
            lines.append("List-Unsubscribe: <\(unsubscribeURL)>")
            lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        for header in self.headers {
            lines.append("\(header.name): " + HeaderEncoding.unstructured(header.value, nameLength: header.name.count))
        }
        let textPart = HeaderEncoding.quotedPrintable(self.text)
        if let html {
            let boundary = boundary ?? "=_paperboy_" + SystemRandom.hex(bytes: 12)
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("This is a message in MIME format: a plain-text part, then an HTML part.")
            lines.append("")
            lines.append("--" + boundary)
            lines.append("Content-Type: text/plain; charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(textPart)
            lines.append("--" + boundary)
            lines.append("Content-Type: text/html; charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(HeaderEncoding.quotedPrintable(html))
            lines.append("--" + boundary + "--")
        } else {
            lines.append("Content-Type: text/plain; charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(textPart)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `Mon, 23 Nov 2026 08:52:23 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        return
            "\(days[(parts.weekday ?? 1) - 1]), \(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}

/// Random hex from the system's generator.
enum SystemRandom {
    static func hex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var out = ""
        for _ in 0..<bytes {
            let byte = UInt8.random(in: 0...255, using: &generator)
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return out
    }
}
