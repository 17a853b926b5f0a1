/// The key of a paper, one of three kinds:
///
/// - its arXiv id without version: `2101.11408`, `hep-th/9901001`;
/// - another registry's id, written `scheme:value`: `openalex:W7159160036`, `s2:01e1f5…`, `doi:10.1/x`;
/// - for a paper known only by its title, a stable id derived from the normalised title: `t-` and
///   sixteen hex digits.
///
/// The kinds never collide: arXiv ids have no colon and do not start with `t-`.
public struct PaperID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The id as text, e.g. `2101.11408`, `hep-th/9901001` or `t-5f0c9a2b41d3e677`.
    public let rawValue: String

    /// The id of an arXiv paper; the version is dropped.
    public init(_ arxiv: ArxivID) {
        self.rawValue = arxiv.base
    }

    /// The stable id of a paper known only by its title.
    public init(title: String) {
        let hash = Self.fnv1a64(TitleNormalizer.normalize(title))
        let hex = String(hash, radix: 16)
        self.rawValue = Self.titlePrefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Parses an id as written in a URL or a file: an arXiv id (with or without version, or an
    /// arxiv.org URL), a `scheme:value` id of another registry, or a title-derived id.
    ///
    /// - Throws: ``ModelError`` with code ``ModelError/Code/invalidPaperID``.
    public init(parsing text: String) throws(ModelError) {
        if let colon = text.firstIndex(of: ":"), !text.hasCaseInsensitivePrefix("arxiv:"), !text.contains("://") {
            let scheme = text[..<colon]
            let value = text[text.index(after: colon)...]
            guard (1...16).contains(scheme.utf8.count),
                scheme.utf8.allSatisfy({ Self.isLowerAlphanumeric($0) }),
                scheme.utf8.first.map({ $0 >= UInt8(ascii: "a") }) == true
            else {
                throw ModelError(
                    .invalidPaperID,
                    "\"\(text)\" is not a paper id: the scheme before ':' must be lower-case letters and digits")
            }
            guard (1...256).contains(value.utf8.count), value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw ModelError(
                    .invalidPaperID,
                    "\"\(text)\" is not a paper id: the value after '\(scheme):' must be 1–256 visible ASCII characters"
                )
            }
            // The id is a path of the site's links: nothing that ends a path, escapes it or
            // climbs out of it.
            if let bad = value.first(where: { "?#%\\\"<>`{}|^".contains($0) }) {
                throw ModelError(
                    .invalidPaperID,
                    "\"\(text)\" is not a paper id: '\(bad)' may not appear in the value after '\(scheme):'")
            }
            if value.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }
            ) {
                throw ModelError(
                    .invalidPaperID, "\"\(text)\" is not a paper id: '.' and '..' may not be parts of its path")
            }
            self.init(trusted: text)
            return
        }
        if text.hasPrefix(Self.titlePrefix) {
            let hex = text.utf8.dropFirst(Self.titlePrefix.utf8.count)
            guard hex.count == 16, hex.allSatisfy({ Self.isLowerHex($0) }) else {
                throw ModelError(
                    .invalidPaperID, "\"\(text)\" is not a paper id: 't-' must be followed by 16 hex digits")
            }
            self.init(trusted: text)
            return
        }
        do {
            self.init(try ArxivID(parsing: text))
        } catch {
            let looksLikeArxiv =
                text.first?.isNumber == true || text.contains("/") || text.lowercased().contains("arxiv")
            if looksLikeArxiv { throw ModelError(.invalidPaperID, error.message) }
            throw ModelError(
                .invalidPaperID,
                "\"\(text)\" is not a paper id: expected an arXiv id (2101.11408, hep-th/9901001), a registry id (openalex:W123) or a title id (t-…)"
            )
        }
    }

    /// The arXiv id this paper id is, or `nil` for the other kinds.
    public var arxivID: ArxivID? {
        self.isTitleDerived || self.scheme != nil ? nil : ArxivID.parse(self.rawValue)
    }

    /// The registry of a `scheme:value` id (`openalex`, `s2`, `doi`…), or `nil` for the other kinds.
    public var scheme: String? {
        guard let colon = self.rawValue.firstIndex(of: ":") else { return nil }
        return String(self.rawValue[..<colon])
    }

    /// The page of a `scheme:value` id at its registry, for the registries Paperboy knows.
    public var registryURL: String? {
        guard let scheme = self.scheme else { return nil }
        let value = self.rawValue.dropFirst(scheme.count + 1)
        switch scheme {
        case "openalex": return "https://openalex.org/\(value)"
        case "s2": return "https://www.semanticscholar.org/paper/\(value)"
        case "doi": return "https://doi.org/\(value)"
        case "pubmed", "pmid": return "https://pubmed.ncbi.nlm.nih.gov/\(value)/"
        default: return nil
        }
    }

    /// True for ids derived from a title.
    public var isTitleDerived: Bool { self.rawValue.hasPrefix(Self.titlePrefix) }

    public var description: String { self.rawValue }

    /// The id as the path of a link (`/papers/` + this): percent-encoded wherever a character
    /// is not plainly part of a path, so that no id can end a link, start a query or climb out.
    public var pathComponent: String {
        var out = ""
        for byte in self.rawValue.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: ":"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    public static func < (lhs: PaperID, rhs: PaperID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Wraps text already known to be a valid id, such as one read back from a store.
    public init(trusted rawValue: String) {
        self.rawValue = rawValue
    }

    static let titlePrefix = "t-"

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// FNV-1a, 64 bits (Fowler, Noll, Vo): small, stable across runs and platforms.
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}

extension PaperID: TextCodable {
    public init(parsingText text: String) throws {
        try self.init(parsing: text)
    }

    public var text: String { self.rawValue }
}
