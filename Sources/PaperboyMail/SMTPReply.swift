/// One reply of an SMTP server (RFC 5321 §4.2): a three-digit code and one or more lines of text.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    /// The reply code, 200–599.
    public let code: Int
    /// The text of each line, without the code and separator.
    public let lines: [String]

    /// Creates a reply.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The lines joined by spaces.
    public var text: String { self.lines.joined(separator: " ") }

    /// 2xx: done.
    public var isSuccess: Bool { (200..<300).contains(self.code) }
    /// 3xx: go on (354 after DATA, 334 during AUTH).
    public var isIntermediate: Bool { (300..<400).contains(self.code) }
    /// 4xx: try again later.
    public var isTransient: Bool { (400..<500).contains(self.code) }
    /// 5xx: refused for good.
    public var isPermanent: Bool { (500..<600).contains(self.code) }

    public var description: String { "\(self.code) \(self.text)" }
}
