import Foundation
import PaperboyModel
import PaperboyParsers

/// Writes a file in the format of Kaggle's arXiv metadata snapshot from real papers, repeated
/// with new ids (`1501.00001`, `1501.00002`, …) and made-up versions, comments and DOIs, for
/// benchmarks. Never committed: generated where it is used.
struct KaggleSnapshotGenerator {
    let source: String

    /// Writes `lines` lines to `path`; returns the bytes written.
    func write(lines: Int, to path: String) throws -> Int {
        let reader = try PaperFileReader(path: self.source, listingYear: 2025)
        var papers: [Paper] = []
        while let batch = try reader.nextBatch(size: 10_000) { papers += batch.papers }
        guard !papers.isEmpty else { throw ParseError(.unknownFormat, source: self.source, reason: "no papers") }
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw ParseError(.unreadable, source: path, reason: "cannot create the file") }
        defer { try? handle.close() }
        var out: [UInt8] = []
        out.reserveCapacity(8 << 20)
        var written = 0
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for line in 0..<lines {
            let paper = papers[line % papers.count]
            // Unique five-digit new-style ids: 99,999 per month from January 2015.
            let month = line / 99_999
            let id = String(format: "%02d%02d.%05d", 15 + month / 12, 1 + month % 12, line % 99_999 + 1)
            let day = CalendarDay(year: 2015 + month / 12, month: 1 + month % 12, day: 1 + line % 28)!
            let versionCount = 1 + line % 3
            var versions: [String] = []
            for v in 0..<versionCount {
                let date = day.adding(days: v * 30)
                versions.append(
                    "{\"version\":\"v\(v + 1)\",\"created\":\"\(weekdays[(date.isoWeekday + 6) % 7]), \(date.day) \(months[date.month - 1]) \(date.year) 1\(v):18:42 GMT\"}"
                )
            }
            let names = paper.authors.map(\.name)
            let parsed = names.map { name -> String in
                let parts = name.split(separator: " ")
                let last = parts.last.map(String.init) ?? name
                let first = parts.dropLast().joined(separator: " ")
                return "[\(Self.quote(last)),\(Self.quote(first)),\"\"]"
            }
            let fields: [String] = [
                "\"id\":\(Self.quote(id))",
                "\"submitter\":\(Self.quote(names.first ?? "Anonymous"))",
                "\"authors\":\(Self.quote(names.joined(separator: ", ")))",
                "\"title\":\(Self.quote(paper.title))",
                "\"comments\":" + (line % 4 == 0 ? "null" : Self.quote("\(8 + line % 30) pages, \(line % 9) figures")),
                "\"journal-ref\":"
                    + (line % 5 == 0 ? Self.quote("J. Bench. \(line % 90) (\(day.year)) \(line % 997)") : "null"),
                "\"doi\":" + (line % 3 == 0 ? Self.quote("10.1000/bench.\(line)") : "null"),
                "\"report-no\":null",
                "\"categories\":\(Self.quote(paper.categories.joined(separator: " ")))",
                "\"license\":" + (line % 2 == 0 ? "\"http://creativecommons.org/licenses/by/4.0/\"" : "null"),
                "\"abstract\":\(Self.quote("  " + paper.abstract + "\n"))",
                "\"versions\":[\(versions.joined(separator: ","))]",
                "\"update_date\":\"\(day.adding(days: (versionCount - 1) * 30))\"",
                "\"authors_parsed\":[\(parsed.joined(separator: ","))]",
            ]
            out += Array(("{" + fields.joined(separator: ",") + "}\n").utf8)
            if out.count > 8 << 20 {
                handle.write(Data(out))
                written += out.count
                out.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(out))
        written += out.count
        return written
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
