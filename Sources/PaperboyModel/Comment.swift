public import Foundation

/// A member's comment on a paper: top level, or a reply to a top-level comment (threads are one
/// level deep). The body is Markdown source; pages render a safe subset of it.
public struct Comment: Hashable, Sendable, Identifiable {
    /// The store's number for the comment.
    public var id: Int64
    /// The paper discussed.
    public var paperID: PaperID
    /// Who wrote it.
    public var memberID: Int64
    /// The top-level comment this replies to, or `nil` for a top-level comment.
    public var parentID: Int64?
    /// The Markdown source.
    public var body: String
    /// When it was written.
    public var created: Date
    /// When it was last edited, if ever.
    public var edited: Date?
    /// Whether a moderator hid it.
    public var isHidden: Bool
    /// Whether its author deleted it: its text is gone, and it stays only to hold its replies.
    public var isDeleted: Bool

    /// Creates a comment.
    public init(
        id: Int64, paperID: PaperID, memberID: Int64, parentID: Int64? = nil, body: String, created: Date,
        edited: Date? = nil, isHidden: Bool = false, isDeleted: Bool = false
    ) {
        self.id = id
        self.paperID = paperID
        self.memberID = memberID
        self.parentID = parentID
        self.body = body
        self.created = created
        self.edited = edited
        self.isHidden = isHidden
        self.isDeleted = isDeleted
    }

    /// Checks a comment's text: not blank, at most 10,000 characters (Unicode scalars, as JSON
    /// Schema counts them), no control characters
    /// other than line breaks and tabs. Line breaks are normalised to `\n`.
    ///
    /// - Throws: ``ModelError`` with code ``ModelError/Code/invalidText``.
    public static func checkedBody(_ text: String) throws(ModelError) -> String {
        guard text.unicodeScalars.count <= 10_000 else {
            throw ModelError(.invalidText, "the comment is longer than 10,000 characters")
        }
        let body = String(text.replacingCRLF().trimmingWhitespace())
        guard !body.isEmpty else { throw ModelError(.invalidText, "the comment is empty") }
        guard
            !body.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t"
            })
        else { throw ModelError(.invalidText, "the comment contains a control character") }
        return body
    }
}

extension String {
    /// The text with CR LF and lone CR turned into LF.
    func replacingCRLF() -> String {
        var out = ""
        out.reserveCapacity(self.utf8.count)
        var previousWasCR = false
        for scalar in self.unicodeScalars {
            if scalar == "\r" {
                out.unicodeScalars.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
