public import PaperboyModel

/// Reads a plain-text listing page of a daily-papers site:
///
/// ```text
/// Get trending papers in your email inbox!
/// Daily Papers
/// byAK and the research community
/// Mar 12
///
/// A Title
///
/// Its abstract, on one line.
/// ```
///
/// Header lines come first; the first line that reads as a date (`Mar 12`, `March 12, 2025`,
/// `2025-03-12`) gives the announcement day, taking `year` when the line has none. After it,
/// non-blank lines alternate: a title, then its abstract. Entries have no arXiv id, so each paper
/// gets the id derived from its title.
public struct ListingPageParser: Sendable {
    /// The file name used in errors.
    public let source: String
    /// The year of date lines that give none.
    public let year: Int

    /// The longest line still taken for a title; a longer one is an abstract out of place.
    public static let longestTitle = 250

    /// Creates a parser.
    public init(source: String, year: Int) {
        self.source = source
        self.year = year
    }

    /// What a page held: its day, the papers read and the entries that were not.
    public struct Result: Sendable {
        /// The announcement day from the date line.
        public var day: CalendarDay
        /// Papers in page order.
        public var papers: [Paper]
        /// Entries that could not be read, each with its line.
        public var errors: [ParseError]
        /// How many entries the page had, good and bad.
        public var recordCount: Int { self.papers.count + self.errors.count }
    }

    /// Parses a whole page.
    ///
    /// - Throws: ``ParseError`` when no date line is found; bad entries are reported in the result.
    public func parse(_ text: String) throws(ParseError) -> Result {
        var lines: [(number: Int, text: String)] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let cleaned = TextCleaner.collapseWhitespace(String(line))
            if !cleaned.isEmpty { lines.append((number, cleaned)) }
        }
        guard let dateIndex = lines.prefix(20).firstIndex(where: { Self.day(from: $0.text, year: self.year) != nil })
        else {
            throw ParseError(
                .invalidListing, source: self.source, line: lines.first?.number,
                reason: "no date line (like 'Mar 12' or '2025-03-12') among the first lines of the page"
            )
        }
        let day = Self.day(from: lines[dateIndex].text, year: self.year)!
        var result = Result(day: day, papers: [], errors: [])
        var index = dateIndex + 1
        while index < lines.count {
            let title = lines[index]
            if title.text.count > Self.longestTitle {
                result.errors.append(
                    ParseError(
                        .invalidListing, source: self.source, line: title.number, field: "title",
                        reason:
                            "expected a title, found a paragraph of \(title.text.count) characters (an abstract without its title?)"
                    )
                )
                index += 1
                continue
            }
            // Titles and abstracts alternate; a missing abstract shows as a short line followed by
            // a paragraph too long to be a title.
            var abstract = ""
            let next = index + 1 < lines.count ? lines[index + 1].text : nil
            let afterNext = index + 2 < lines.count ? lines[index + 2].text : nil
            if let next, next.count > Self.longestTitle || (afterNext?.count ?? 0) <= Self.longestTitle {
                abstract = next
                index += 2
            } else {
                index += 1
            }
            result.papers.append(
                Paper(id: PaperID(title: title.text), title: title.text, abstract: abstract, announced: day))
        }
        return result
    }

    static let monthAbbreviations = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// The day a date line names: `Mar 12`, `March 12`, `Mar 12, 2025`, `12 March 2025`, `2025-03-12`.
    public static func day(from line: String, year defaultYear: Int) -> CalendarDay? {
        if let day = try? CalendarDay(parsing: line), line.count == 10 { return day }
        let words = line.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard (2...3).contains(words.count) else { return nil }
        func month(_ word: String) -> Int? {
            guard word.count >= 3 else { return nil }
            let prefix = String(word.prefix(3))
            guard let index = monthAbbreviations.firstIndex(of: prefix) else { return nil }
            let full = CalendarDay.monthNames[index].lowercased()
            let trimmed = word.hasSuffix(".") ? String(word.dropLast()) : word
            return full.hasPrefix(trimmed) || trimmed == "sept" ? index + 1 : nil
        }
        let year = words.count == 3 ? Int(words[2]) : defaultYear
        guard let year, (1900...9999).contains(year) else { return nil }
        if let m = month(words[0]), let d = Int(words[1]) { return CalendarDay(year: year, month: m, day: d) }
        if let d = Int(words[0]), let m = month(words[1]) { return CalendarDay(year: year, month: m, day: d) }
        return nil
    }
}
