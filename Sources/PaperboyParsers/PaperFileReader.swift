public import PaperboyModel

/// The formats ``PaperFileReader`` recognises by content.
public enum PaperFileFormat: String, Sendable, CaseIterable {
    /// One JSON paper per line (see ``PaperJSONLineParser``).
    case jsonLines = "paper JSON lines"
    /// A plain-text listing page (see ``ListingPageParser``).
    case listingPage = "listing page"
}

/// Reads a file of papers in batches, plain or gzip, detecting its format from its first line:
/// a line starting with `{` means JSON lines, anything else a listing page.
public final class PaperFileReader {
    /// Papers read and records rejected, in file order.
    public struct Batch: Sendable {
        /// The papers read.
        public var papers: [Paper] = []
        /// The records that could not be read, each saying where and why.
        public var errors: [ParseError] = []
        /// How many records the batch covered, good and bad.
        public var recordCount: Int { self.papers.count + self.errors.count }

        /// Creates a batch.
        public init(papers: [Paper] = [], errors: [ParseError] = []) {
            self.papers = papers
            self.errors = errors
        }
    }

    /// The file.
    public let path: String
    /// The file's format.
    public let format: PaperFileFormat
    private let lines: LineReader
    private let jsonParser: PaperJSONLineParser
    private var listing: ListingPageParser.Result?
    private var pendingFirstLine: (number: Int, text: String)?

    /// Opens `path` and detects its format.
    ///
    /// - Parameter listingYear: the year of listing-page dates that give none.
    /// - Throws: ``ParseError`` when the file cannot be read, or is empty.
    public init(path: String, listingYear: Int) throws(ParseError) {
        self.path = path
        self.lines = try LineReader(path: path)
        self.jsonParser = PaperJSONLineParser(source: path)
        var first: LineReader.Line?
        while let line = try self.lines.next() {
            if line.bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                first = line
                break
            }
        }
        guard let first else {
            throw ParseError(.unknownFormat, source: path, reason: "the file is empty")
        }
        let firstByte = first.bytes.first { $0 != 0x20 && $0 != 0x09 }
        if firstByte == UInt8(ascii: "{") {
            self.format = .jsonLines
            self.pendingFirstLine = (first.number, first.text)
        } else {
            self.format = .listingPage
            let rest = try self.lines.readAll()
            let text = String(repeating: "\n", count: first.number - 1) + first.text + "\n" + rest
            self.listing = try ListingPageParser(source: path, year: listingYear).parse(text)
        }
    }

    /// The announcement day of a listing page (`nil` for other formats).
    public var listingDay: CalendarDay? { self.listing?.day }

    /// The next batch of up to `size` records, or `nil` at the end of the file.
    ///
    /// - Throws: ``ParseError`` when the file itself fails (a read error, damaged compression);
    ///   bad records are returned in the batch instead.
    public func nextBatch(size: Int) throws(ParseError) -> Batch? {
        if let listing = self.listing {
            self.listing = nil
            return Batch(papers: listing.papers, errors: listing.errors)
        }
        guard self.format == .jsonLines else { return nil }
        var batch = Batch()
        if let first = self.pendingFirstLine {
            self.pendingFirstLine = nil
            self.add(
                Result { () throws(ParseError) in try self.jsonParser.parse(first.text, lineNumber: first.number) },
                to: &batch)
        }
        while batch.recordCount < size, let line = try self.lines.next() {
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            self.add(
                Result { () throws(ParseError) in try self.jsonParser.parse(line.bytes, lineNumber: line.number) },
                to: &batch)
        }
        return batch.recordCount == 0 ? nil : batch
    }

    private func add(_ result: Result<Paper, ParseError>, to batch: inout Batch) {
        switch result {
        case .success(let paper): batch.papers.append(paper)
        case .failure(let error): batch.errors.append(error)
        }
    }
}
