import Foundation
public import PaperboyModel

/// The formats ``PaperFileReader`` recognises by content.
public enum PaperFileFormat: String, Sendable, CaseIterable {
    /// One JSON paper per line (see ``PaperJSONLineParser``).
    case jsonLines = "paper JSON lines"
    /// The arXiv metadata snapshot of Kaggle (see ``KaggleSnapshotParser``).
    case kaggleSnapshot = "arXiv snapshot JSON lines"
    /// A plain-text listing page (see ``ListingPageParser``).
    case listingPage = "listing page"
    /// An OAI-PMH `ListRecords` page (see ``OAIPMHParser``).
    case oaiPMH = "OAI-PMH ListRecords"
    /// An arXiv API Atom answer (see ``ArxivAPIParser``).
    case arxivAPI = "arXiv API Atom"
    /// An arXiv announcement feed, RSS or Atom (see ``ArxivFeedParser``).
    case announcementFeed = "arXiv announcement feed"
    /// A Hugging Face daily-papers list (see ``DailyPapersParser``).
    case dailyPapers = "Hugging Face daily papers"
}

/// Reads a file of papers in batches, plain or gzip, detecting its format from its content:
/// JSON lines (Paperboy's own or the Kaggle snapshot, told apart by their keys), a JSON array
/// (Hugging Face daily papers), XML (OAI-PMH, the arXiv API, announcement feeds, told apart by
/// their root and namespaces), or else a listing page.
///
/// JSON lines are streamed; the other formats are small and read whole.
public final class PaperFileReader {
    /// Papers read, papers reported deleted, and records rejected, in file order.
    public struct Batch: Sendable {
        /// The papers read.
        public var papers: [Paper] = []
        /// Papers the source reports as deleted.
        public var deletions: [PaperID] = []
        /// The records that could not be read, each saying where and why.
        public var errors: [ParseError] = []
        /// How many records the batch covered, good, deleted and bad.
        public var recordCount: Int { self.papers.count + self.deletions.count + self.errors.count }

        /// Creates a batch.
        public init(papers: [Paper] = [], deletions: [PaperID] = [], errors: [ParseError] = []) {
            self.papers = papers
            self.deletions = deletions
            self.errors = errors
        }
    }

    /// The file.
    public let path: String
    /// The file's format.
    public let format: PaperFileFormat
    private let lines: LineReader
    private let parseLine: (UnsafeBufferPointer<UInt8>, Int) throws(ParseError) -> Paper
    private var whole: Batch?
    private var pendingFirstLine: (number: Int, text: String)?
    /// The announcement day of a listing page or feed (`nil` for other formats).
    public private(set) var listingDay: CalendarDay?

    /// Opens `path` and detects its format.
    ///
    /// - Parameter listingYear: the year of listing-page dates that give none.
    /// - Throws: ``ParseError`` when the file cannot be read, is empty, or (for the formats read
    ///   whole) is broken as a whole: malformed XML, not a JSON array.
    public init(path: String, listingYear: Int) throws(ParseError) {
        self.path = path
        self.lines = try LineReader(path: path)
        var first: LineReader.Line?
        while let line = try self.lines.next() {
            if line.bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                first = line
                break
            }
        }
        guard let first else {
            throw ParseError(.unknownFormat, source: path, reason: "the file is empty")
        }
        let firstByte = first.bytes.first { $0 != 0x20 && $0 != 0x09 } ?? 0
        let firstText = first.text
        switch firstByte {
        case UInt8(ascii: "{"):
            let kaggle = ["\"authors_parsed\"", "\"update_date\"", "\"submitter\"", "\"journal-ref\""]
            if kaggle.contains(where: { firstText.contains($0) }) {
                self.format = .kaggleSnapshot
                let parser = KaggleSnapshotParser(source: path)
                self.parseLine = { bytes, number throws(ParseError) in try parser.parse(bytes, lineNumber: number) }
            } else {
                self.format = .jsonLines
                let parser = PaperJSONLineParser(source: path)
                self.parseLine = { bytes, number throws(ParseError) in try parser.parse(bytes, lineNumber: number) }
            }
            self.pendingFirstLine = (first.number, firstText)
            return
        default:
            self.parseLine = { _, _ throws(ParseError) in fatalError("not a line format") }
        }
        let rest = try self.lines.readAll()
        let text = String(repeating: "\n", count: first.number - 1) + firstText + "\n" + rest
        let data = Data(text.utf8)
        switch firstByte {
        case UInt8(ascii: "["):
            self.format = .dailyPapers
            let page = try DailyPapersParser(source: path).parse(data)
            self.whole = Batch(papers: page.items.map(\.paper), errors: page.errors)
        case UInt8(ascii: "<"):
            let head = text.prefix(4_000)
            if head.contains("<OAI-PMH") {
                self.format = .oaiPMH
                let page = try OAIPMHParser(source: path).parse(data)
                self.whole = Batch(papers: page.papers, deletions: page.deletions, errors: page.errors)
            } else if head.contains("opensearch") || head.contains("arxiv.org/api") {
                self.format = .arxivAPI
                let page = try ArxivAPIParser(source: path).parse(data)
                self.whole = Batch(papers: page.papers, errors: page.errors)
            } else if head.contains("<rss") || head.contains("<feed") {
                self.format = .announcementFeed
                let page = try ArxivFeedParser(source: path).parse(data)
                self.listingDay = page.day
                self.whole = Batch(papers: page.entries.map(\.paper), errors: page.errors)
            } else {
                throw ParseError(
                    .unknownFormat, source: path, line: first.number,
                    reason: "an XML document that is not OAI-PMH, an arXiv API answer or an arXiv feed")
            }
        default:
            self.format = .listingPage
            let listing = try ListingPageParser(source: path, year: listingYear).parse(text)
            self.listingDay = listing.day
            self.whole = Batch(papers: listing.papers, errors: listing.errors)
        }
    }

    /// How much of the file has been read, from 0 to 1, when known.
    public var fractionRead: Double? {
        self.whole != nil ? 0 : self.lines.fractionRead
    }

    /// The next batch of up to `size` records, or `nil` at the end of the file. Formats read whole
    /// come as one batch.
    ///
    /// - Throws: ``ParseError`` when the file itself fails (a read error, damaged compression);
    ///   bad records are returned in the batch instead.
    public func nextBatch(size: Int) throws(ParseError) -> Batch? {
        if let whole = self.whole {
            self.whole = nil
            return whole
        }
        guard self.format == .jsonLines || self.format == .kaggleSnapshot else { return nil }
        var batch = Batch()
        if let first = self.pendingFirstLine {
            self.pendingFirstLine = nil
            var text = first.text
            let result = text.withUTF8 { bytes in
                Result { () throws(ParseError) in try self.parseLine(bytes, first.number) }
            }
            self.add(result, to: &batch)
        }
        while batch.recordCount < size, let line = try self.lines.next() {
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            self.add(Result { () throws(ParseError) in try self.parseLine(line.bytes, line.number) }, to: &batch)
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
