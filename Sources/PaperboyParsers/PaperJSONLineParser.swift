import Foundation
public import PaperboyModel

/// Reads Paperboy's paper JSON Lines format, one paper per line:
///
/// ```json
/// {"id": "2101.11408", "title": "…", "abstract": "…", "authors": ["…"], "categories": ["cs.LG"], "date": "2021-01-28"}
/// ```
///
/// `id`, `title` and `date` (the announcement day) are required; `abstract`, `authors` and
/// `categories` (primary first) may be missing. The id is an arXiv id, which may carry a version
/// (`2101.11408v2`, recorded as a known version), or another registry's `scheme:value` id
/// (`openalex:W7159160036`, `s2:…`) for papers not on arXiv.
public struct PaperJSONLineParser: Sendable {
    /// The file name used in errors.
    public let source: String

    /// Creates a parser whose errors name `source`.
    public init(source: String) {
        self.source = source
    }

    private struct Record: Decodable {
        var id: String?
        var title: String?
        var abstract: String?
        var authors: [String]?
        var categories: [String]?
        var date: String?
    }

    /// Parses one line.
    ///
    /// - Throws: ``ParseError`` naming the file, the line, the field and the record id.
    public func parse(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws(ParseError) -> Paper {
        let record: Record
        do {
            record = try JSONDecoder().decode(Record.self, from: Data(buffer: line))
        } catch let error as DecodingError {
            throw self.error(for: error, lineNumber: lineNumber)
        } catch {
            throw ParseError(.invalidJSON, source: self.source, line: lineNumber, reason: "\(error)")
        }
        return try self.paper(from: record, lineNumber: lineNumber)
    }

    /// Parses one line given as text.
    public func parse(_ line: String, lineNumber: Int) throws(ParseError) -> Paper {
        var line = line
        let result = line.withUTF8 { bytes in
            Result { () throws(ParseError) in try self.parse(bytes, lineNumber: lineNumber) }
        }
        return try result.get()
    }

    private func paper(from record: Record, lineNumber: Int) throws(ParseError) -> Paper {
        func fail(_ code: ParseError.Code, _ field: String, _ reason: String, id: String? = record.id) -> ParseError {
            ParseError(code, source: self.source, line: lineNumber, field: field, recordID: id, reason: reason)
        }
        guard let rawID = record.id, !rawID.isEmpty else {
            throw fail(.missingField, "id", "is missing", id: nil)
        }
        let id: PaperID
        do {
            id = try PaperID(parsing: rawID)
        } catch {
            throw fail(.invalidField, "id", error.message, id: nil)
        }
        let version = id.arxivID == nil ? nil : ArxivID.parse(rawID)?.version
        let title = TextCleaner.collapseWhitespace(record.title ?? "")
        guard !title.isEmpty else { throw fail(.missingField, "title", "is missing or empty") }
        guard let rawDate = record.date else { throw fail(.missingField, "date", "is missing") }
        let announced: CalendarDay
        do {
            announced = try CalendarDay(parsing: rawDate)
        } catch {
            throw fail(.invalidField, "date", error.message)
        }
        let authors = (record.authors ?? []).map(TextCleaner.collapseWhitespace).filter { !$0.isEmpty }
        let categories = (record.categories ?? []).map(TextCleaner.collapseWhitespace).filter { !$0.isEmpty }
        return Paper(
            id: id,
            title: title,
            abstract: TextCleaner.collapseWhitespace(record.abstract ?? ""),
            authors: authors.map { Author(name: $0) },
            categories: categories,
            announced: announced,
            versions: version.map { [PaperVersion(number: $0)] } ?? []
        )
    }

    private func error(for error: DecodingError, lineNumber: Int) -> ParseError {
        func field(_ path: [any CodingKey]) -> String? {
            path.isEmpty ? nil : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            let name = "\(type)"
            let expected =
                name.hasPrefix("Array") ? "an array of strings" : name.hasPrefix("String") ? "a string" : name
            return ParseError(
                .invalidField, source: self.source, line: lineNumber, field: field(context.codingPath),
                reason: "expected \(expected)"
            )
        case .valueNotFound(_, let context):
            return ParseError(
                .invalidField, source: self.source, line: lineNumber, field: field(context.codingPath),
                reason: "is null"
            )
        case .dataCorrupted(let context):
            let detail = (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
            return ParseError(
                .invalidJSON, source: self.source, line: lineNumber, reason: "not valid JSON: \(Self.shorten(detail))")
        case .keyNotFound(let key, _):
            return ParseError(
                .missingField, source: self.source, line: lineNumber, field: key.stringValue, reason: "is missing")
        @unknown default:
            return ParseError(.invalidJSON, source: self.source, line: lineNumber, reason: "\(error)")
        }
    }

    private static func shorten(_ text: String) -> String {
        text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}
