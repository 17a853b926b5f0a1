import ArgumentParser
import Foundation
import PaperboyModel
import PaperboyParsers
import PaperboySQLite
import PaperboyServices

/// `paperboy ingest FILE…`: read papers from files into the database.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read papers from files (paper JSON lines, plain or gzip; listing pages) into the database.",
        discussion: """
            The format of each file is detected from its content. Running the same files again adds \
            nothing. Each bad record is reported as file:line: reason and skipped; the rest land.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The year of listing-page dates that give none (default: this year).")
    var year: Int?

    @Option(help: "Records per transaction.")
    var batchSize = 2_000

    @Argument(help: "The files to read.")
    var files: [String]

    func validate() throws {
        if let year, !(1900...9999).contains(year) { throw ValidationError("--year must be a four-digit year") }
        if self.batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        let store = try self.database.openStore()
        let options = Ingester.Options(listingYear: self.year ?? CalendarDay.today().year, batchSize: self.batchSize)
        let clock = ContinuousClock()
        let start = clock.now
        var lastProgress = start
        let report = try await Ingester(store: store, options: options).ingest(self.files) { problem in
            FileHandle.standardError.write(Data((problem.description + "\n").utf8))
        } progress: { report in
            let now = clock.now
            if now - lastProgress > .seconds(5) {
                lastProgress = now
                let seconds = (now - start).seconds
                FileHandle.standardError.write(
                    Data("… \(report.records) records, \(Int(Double(report.records) / seconds))/s\n".utf8)
                )
            }
        }
        let seconds = (clock.now - start).seconds
        let rate = seconds > 0 ? Int(Double(report.records) / seconds) : 0
        print(
            "\(report.records) records from \(self.files.count) file(s) in \(String(format: "%.2f", seconds)) s (\(rate) records/s)"
        )
        print(report.summary)
        print("database: \(store.path)")
        if report.failedFiles > 0 {
            throw ExitCode(2)
        }
        if report.bad > 0 {
            throw ExitCode(1)
        }
    }
}
