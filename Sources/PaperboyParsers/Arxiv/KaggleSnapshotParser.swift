import Foundation
public import PaperboyModel

/// Reads one line of the arXiv metadata snapshot published on Kaggle
/// (`arxiv-metadata-oai-snapshot.json`, JSON Lines):
///
/// ```json
/// {"id": "0704.0001", "submitter": "…", "authors": "C. Bal\\'azs, E. L. Berger", "title": "…",
///  "comments": "37 pages", "journal-ref": "Phys.Rev.D76:013009,2007", "doi": "10.1103/…",
///  "report-no": "…", "categories": "hep-ph", "license": null, "abstract": "…",
///  "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
///  "update_date": "2008-11-13", "authors_parsed": [["Balázs", "C.", ""]]}
/// ```
///
/// Built for the 2.7-million-line file: one pass over the bytes, no `Codable`. The announcement
/// day is estimated from the first version's date.
public struct KaggleSnapshotParser: Sendable {
    /// The file named in errors.
    public let source: String

    /// Creates a parser whose errors name `source`.
    public init(source: String) {
        self.source = source
    }

    /// Reads one line.
    ///
    /// - Throws: ``ParseError`` naming the file, line, column or field, and the record id.
    public func parse(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws(ParseError) -> Paper {
        var id: String?
        var title: String?
        var abstract: String?
        // The authors as one string are only needed when `authors_parsed` is missing.
        var authorsRange: Range<Int>?
        var parsedAuthors: [String] = []
        var categories: String?
        var comment: String?
        var journalReference: String?
        var doi: String?
        var license: String?
        var versions: [PaperVersion] = []
        var badVersion: String?
        var scanner = JSONScanner(line)
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: line.count)
        defer { scratch.deallocate() }
        do {
            try scanner.object { key, value throws(JSONScanner.Failure) in
                switch key.count {
                case 2 where keyEquals(key, "id"): id = try value.optionalString()
                case 5 where keyEquals(key, "title"): title = try value.optionalCollapsedString(scratch: scratch)
                case 8 where keyEquals(key, "abstract"): abstract = try value.optionalCollapsedString(scratch: scratch)
                case 7 where keyEquals(key, "authors"): authorsRange = try value.skipValueReturningRange()
                case 10 where keyEquals(key, "categories"): categories = try value.optionalString()
                case 8 where keyEquals(key, "comments"): comment = try value.optionalCollapsedString(scratch: scratch)
                case 11 where keyEquals(key, "journal-ref"):
                    journalReference = try value.optionalCollapsedString(scratch: scratch)
                case 3 where keyEquals(key, "doi"): doi = try value.optionalString()
                case 7 where keyEquals(key, "license"): license = try value.optionalString()
                case 8 where keyEquals(key, "versions"):
                    if value.null() { return }
                    try value.array { element throws(JSONScanner.Failure) in
                        var label: String?
                        var created: Date?
                        var createdText: String?
                        try element.object { key, field throws(JSONScanner.Failure) in
                            if keyEquals(key, "version") {
                                label = try field.optionalString()
                            } else if keyEquals(key, "created") {
                                if let bytes = try field.optionalRawString() {
                                    created = SourceDates.instant(bytes)
                                    if created == nil { createdText = String(decoding: bytes, as: UTF8.self) }
                                }
                            } else {
                                try field.skipValue()
                            }
                        }
                        guard let label, label.first == "v", let number = Int(label.dropFirst()), number > 0,
                            let date = created
                        else {
                            badVersion = badVersion ?? "\(label ?? "?") \(createdText ?? "without a date")"
                            return
                        }
                        versions.append(PaperVersion(number: number, submitted: date))
                    }
                case 14 where keyEquals(key, "authors_parsed"):
                    if value.null() { return }
                    try value.array { element throws(JSONScanner.Failure) in
                        var last = ""
                        var first = ""
                        var suffix = ""
                        var position = 0
                        try element.array { part throws(JSONScanner.Failure) in
                            let text = try part.optionalString() ?? ""
                            switch position {
                            case 0: last = text
                            case 1: first = text
                            case 2: suffix = text
                            default: break
                            }
                            position += 1
                        }
                        let name = AuthorList.name(last: last, first: first, suffix: suffix)
                        if !name.isEmpty { parsedAuthors.append(name) }
                    }
                default: try value.skipValue()
                }
            }
            try scanner.end()
        } catch {
            throw ParseError(
                .invalidJSON, source: self.source, line: lineNumber, recordID: id,
                reason: "not valid JSON at column \(error.offset + 1): \(error.reason)")
        }
        func fail(_ code: ParseError.Code, _ field: String, _ reason: String) -> ParseError {
            ParseError(code, source: self.source, line: lineNumber, field: field, recordID: id, reason: reason)
        }
        guard let rawID = id, !rawID.isEmpty else { throw fail(.missingField, "id", "is missing") }
        let arxivID: ArxivID
        do {
            arxivID = try ArxivID(parsing: rawID)
        } catch {
            throw fail(.invalidField, "id", error.message)
        }
        let cleanTitle = title ?? ""
        guard !cleanTitle.isEmpty else { throw fail(.missingField, "title", "is missing or empty") }
        if let badVersion { throw fail(.invalidField, "versions", "a version without a readable date: \(badVersion)") }
        versions.sort()
        guard let first = versions.first?.submitted else { throw fail(.missingField, "versions", "no version") }
        var authors = parsedAuthors
        if authors.isEmpty, let authorsRange {
            var authorsValue = JSONScanner(UnsafeBufferPointer(rebasing: line[authorsRange]))
            authors = ((try? authorsValue.optionalString()) ?? nil).map(AuthorList.split) ?? []
        }
        return Paper(
            id: PaperID(arxivID),
            title: cleanTitle,
            abstract: abstract ?? "",
            authors: authors.map { Author(name: $0) },
            categories: (categories ?? "").split(separator: " ").map(String.init),
            announced: CalendarDay(first),
            announcedIsEstimate: true,
            versions: versions,
            links: (doi ?? "").split(separator: " ").map { .doi(String($0)) },
            comment: comment.flatMap { $0.isEmpty ? nil : $0 },
            journalReference: journalReference.flatMap { $0.isEmpty ? nil : $0 },
            license: license
        )
    }
}
