/// An arXiv identifier in either of arXiv's two schemes, with an optional version.
///
/// New-style ids (April 2007 on) are `YYMM.NNNN` (until 2014) or `YYMM.NNNNN` (2015 on); old-style
/// ids are `archive/YYMMNNN`, such as `hep-th/9901001`. Parsing also accepts an `arXiv:` prefix and
/// the `arxiv.org/abs/…` and `arxiv.org/pdf/…` URLs, and rejects everything else with a reason.
///
/// Old-style ids written with a subject class (`math.GT/0309136`) are normalised to the archive
/// alone (`math/0309136`), which is how arXiv itself names them in its metadata.
public struct ArxivID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The id without its version, e.g. `2101.11408` or `hep-th/9901001`.
    public let base: String
    /// The version number when one was given (`v2` → 2).
    public let version: Int?

    /// Parses an id, an `arXiv:` id or an arXiv abstract or PDF URL.
    ///
    /// - Throws: ``ModelError`` with code ``ModelError/Code/invalidArxivID`` and the reason.
    public init(parsing input: String) throws(ModelError) {
        if let fast = Self.plainNewStyle(input) {
            self = fast
            return
        }
        let original = input
        var text = Substring(input.trimmingWhitespace())
        guard !text.isEmpty else { throw Self.invalid(original, "it is empty") }
        text = try Self.strippingURL(text, original)
        if text.hasCaseInsensitivePrefix("arxiv:") { text = text.dropFirst(6) }
        if text.hasSuffix(".pdf") { text = text.dropLast(4) }

        var version: Int?
        if let v = text.lastIndex(where: { $0 == "v" || $0 == "V" }), v > text.startIndex {
            let digits = text[text.index(after: v)...]
            let before = text[text.index(before: v)]
            if before.isASCIIDigit {
                guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let n = Int(digits), n >= 1, n < 1000 else {
                    throw Self.invalid(original, "the version after 'v' must be a number from 1")
                }
                version = n
                text = text[..<v]
            }
        }
        if let slash = text.firstIndex(of: "/") {
            self.base = try Self.parseOldStyle(
                archive: text[..<slash], number: text[text.index(after: slash)...], original)
        } else {
            self.base = try Self.parseNewStyle(text, original)
        }
        self.version = version
    }

    /// The common case read on bytes: exactly `YYMM.NNNNN` (or four digits before 2015), with an
    /// optional `vN`. Anything else (`nil`) goes through the full parser and its messages.
    private static func plainNewStyle(_ input: String) -> ArxivID? {
        let bytes = input.utf8
        guard bytes.count >= 9, bytes.count <= 14 else { return nil }
        var digits = [Int](repeating: 0, count: 4)
        var index = 0
        var numberLength = 0
        var version = 0
        var versionLength = 0
        var phase = 0  // 0: YYMM, 1: the number, 2: the version
        for byte in bytes {
            switch phase {
            case 0:
                if index == 4 {
                    guard byte == UInt8(ascii: ".") else { return nil }
                    phase = 1
                } else {
                    guard byte >= 48, byte <= 57 else { return nil }
                    digits[index] = Int(byte - 48)
                }
                index += 1
            case 1:
                if byte == UInt8(ascii: "v") {
                    phase = 2
                } else {
                    guard byte >= 48, byte <= 57 else { return nil }
                    numberLength += 1
                }
            default:
                guard byte >= 48, byte <= 57, versionLength < 3 else { return nil }
                version = version * 10 + Int(byte - 48)
                versionLength += 1
            }
        }
        let year = digits[0] * 10 + digits[1]
        let month = digits[2] * 10 + digits[3]
        guard (1...12).contains(month), year > 7 || (year == 7 && month >= 4),
            numberLength == (year >= 15 ? 5 : 4), phase != 2 || (versionLength > 0 && version >= 1)
        else { return nil }
        let base = phase == 2 ? String(input.utf8.prefix(5 + numberLength))! : input
        return ArxivID(base: base, version: phase == 2 ? version : nil)
    }

    /// Returns `nil` instead of throwing; for call sites that only ask "is this an arXiv id?".
    public static func parse(_ input: String) -> ArxivID? {
        try? ArxivID(parsing: input)
    }

    /// The id with its version when it has one, e.g. `2101.11408v2`.
    public var description: String {
        if let version { return "\(self.base)v\(version)" }
        return self.base
    }

    /// This id without its version.
    public var unversioned: ArxivID { ArxivID(base: self.base, version: nil) }

    /// True for ids of the `archive/YYMMNNN` scheme.
    public var isOldStyle: Bool { self.base.contains("/") }

    /// The year and month the id was given out in (`2501.01234` → 2025, 1; `hep-th/9901001` →
    /// 1999, 1): arXiv numbers papers by the month of submission.
    public var yearAndMonth: (year: Int, month: Int) {
        let digits = self.isOldStyle ? self.base.split(separator: "/").last.map(String.init) ?? "" : self.base
        let yy = Int(digits.prefix(2)) ?? 0
        let mm = Int(digits.dropFirst(2).prefix(2)) ?? 0
        return (self.isOldStyle && yy >= 91 ? 1900 + yy : 2000 + yy, mm)
    }

    /// The abstract page on arxiv.org.
    public var abstractURL: String { "https://arxiv.org/abs/\(self.description)" }

    /// The PDF on arxiv.org.
    public var pdfURL: String { "https://arxiv.org/pdf/\(self.description)" }

    public static func < (lhs: ArxivID, rhs: ArxivID) -> Bool {
        if lhs.base != rhs.base { return lhs.base < rhs.base }
        return (lhs.version ?? 0) < (rhs.version ?? 0)
    }

    private init(base: String, version: Int?) {
        self.base = base
        self.version = version
    }

    /// Archives of the old scheme (1991–2007), including the ones later merged into others.
    static let oldArchives: Set<String> = [
        "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn",
        "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex",
        "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th",
        "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "q-fin", "quant-ph", "solv-int", "stat",
        "supr-con",
    ]

    /// Reduces an arxiv.org abstract or PDF URL to the id it names; other text passes unchanged.
    private static func strippingURL(_ text: Substring, _ original: String) throws(ModelError) -> Substring {
        var rest = text
        if text.hasCaseInsensitivePrefix("https://") {
            rest = rest.dropFirst(8)
        } else if text.hasCaseInsensitivePrefix("http://") {
            rest = rest.dropFirst(7)
        }
        guard
            let host = ["www.arxiv.org/", "export.arxiv.org/", "arxiv.org/"].first(where: {
                rest.hasCaseInsensitivePrefix($0)
            })
        else {
            if rest != text { throw invalid(original, "only arxiv.org URLs name arXiv papers") }
            return text
        }
        rest = rest.dropFirst(host.count)
        guard let path = ["abs/", "pdf/"].first(where: { rest.hasCaseInsensitivePrefix($0) }) else {
            throw invalid(original, "expected an arxiv.org/abs/… or arxiv.org/pdf/… URL")
        }
        var id = rest.dropFirst(path.count)
        if let end = id.firstIndex(where: { $0 == "?" || $0 == "#" }) { id = id[..<end] }
        while id.hasSuffix("/") { id = id.dropLast() }
        return id
    }

    private static func parseNewStyle(_ text: Substring, _ original: String) throws(ModelError) -> String {
        guard let dot = text.firstIndex(of: ".") else {
            throw invalid(original, "expected YYMM.NNNNN (new style) or archive/YYMMNNN (old style)")
        }
        let yymm = text[..<dot]
        let number = text[text.index(after: dot)...]
        guard yymm.count == 4, yymm.allSatisfy(\.isASCIIDigit) else {
            throw invalid(original, "expected four digits YYMM before the dot")
        }
        let year = Int(yymm.prefix(2))!
        let month = Int(yymm.suffix(2))!
        guard (1...12).contains(month) else {
            throw invalid(original, "month \(yymm.suffix(2)) is not 01–12")
        }
        guard year > 7 || (year == 7 && month >= 4) else {
            throw invalid(original, "new-style ids start in April 2007 (0704)")
        }
        guard number.allSatisfy(\.isASCIIDigit), !number.isEmpty else {
            throw invalid(original, "expected digits after the dot")
        }
        let expected = year >= 15 ? 5 : 4
        guard number.count == expected else {
            throw invalid(
                original,
                "ids from \(yymm.prefix(2) >= "15" ? "2015 on" : "before 2015") have \(expected) digits after the dot, not \(number.count)"
            )
        }
        return String(text)
    }

    private static func parseOldStyle(
        archive: Substring, number: Substring, _ original: String
    ) throws(ModelError) -> String {
        var name = archive.lowercased()
        if let dot = name.firstIndex(of: ".") {
            let subject = name[name.index(after: dot)...]
            guard !subject.isEmpty, subject.allSatisfy({ $0.isLetter || $0 == "-" }) else {
                throw invalid(original, "the subject class after '\(name[..<dot]).' is not letters")
            }
            name = String(name[..<dot])
        }
        guard oldArchives.contains(name) else {
            throw invalid(original, "'\(archive)' is not an arXiv archive")
        }
        guard number.count == 7, number.allSatisfy(\.isASCIIDigit) else {
            throw invalid(original, "expected seven digits YYMMNNN after '\(archive)/'")
        }
        let year = Int(number.prefix(2))!
        let month = Int(number.dropFirst(2).prefix(2))!
        guard (1...12).contains(month) else {
            throw invalid(original, "month \(number.dropFirst(2).prefix(2)) is not 01–12")
        }
        guard year >= 91 || year <= 7 else {
            throw invalid(original, "old-style ids run from 1991 to 2007, not '\(number.prefix(2))'")
        }
        return "\(name)/\(number)"
    }

    private static func invalid(_ input: String, _ reason: String) -> ModelError {
        ModelError(.invalidArxivID, "\"\(input)\" is not an arXiv id: \(reason)")
    }
}

extension ArxivID: TextCodable {
    public init(parsingText text: String) throws {
        try self.init(parsing: text)
    }

    public var text: String { self.description }
}

extension Character {
    var isASCIIDigit: Bool { self.isASCII && self.isNumber }
}

extension StringProtocol {
    /// Whether the text starts with `prefix` (ASCII), ignoring case, without allocating.
    func hasCaseInsensitivePrefix(_ prefix: String) -> Bool {
        var mine = self.utf8.makeIterator()
        for expected in prefix.utf8 {
            guard let byte = mine.next() else { return false }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte
            if lower != expected { return false }
        }
        return true
    }

    /// The text without leading and trailing white space and newlines.
    func trimmingWhitespace() -> SubSequence {
        guard let first = self.firstIndex(where: { !$0.isWhitespace }) else { return self[self.endIndex...] }
        let last = self.lastIndex(where: { !$0.isWhitespace })!
        return self[first...last]
    }
}
