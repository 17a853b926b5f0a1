import Foundation
public import PaperboyModel
public import PaperboyParsers
public import PaperboyStore

/// Reads files of papers into a store: the use case behind `paperboy ingest`.
///
/// Files are read in batches; each batch is one store transaction, so a failure never leaves a
/// batch half written. Bad records are reported (file, line, reason) and skipped; the rest land.
/// Reading the next batch overlaps writing the previous one.
public struct Ingester: Sendable {
    /// How to read files.
    public struct Options: Sendable {
        /// The year of listing-page dates that give none.
        public var listingYear: Int
        /// Records per store transaction.
        /// `nil`: what suits the format (measured: 5,000 for the Kaggle snapshot, whose large
        /// records make the database the bottleneck; 2,000 otherwise, where reading is).
        public var batchSize: Int?

        /// Creates options; the listing year defaults to the current one (UTC).
        public init(listingYear: Int = CalendarDay.today().year, batchSize: Int? = nil) {
            self.listingYear = listingYear
            self.batchSize = batchSize.map { max(1, $0) }
        }
    }

    /// What an ingest did.
    public struct Report: Hashable, Sendable {
        /// Records read, good and bad.
        public var records = 0
        /// Papers new to the store.
        public var added = 0
        /// Stored papers that changed.
        public var updated = 0
        /// Stored papers that stayed as they were.
        public var unchanged = 0
        /// Papers removed because the source reported them deleted.
        public var removed = 0
        /// Records rejected.
        public var bad = 0
        /// Files that could not be read to the end.
        public var failedFiles = 0

        /// Creates an empty report.
        public init() {}

        mutating func add(_ summary: UpsertSummary) {
            self.added += summary.added
            self.updated += summary.updated
            self.unchanged += summary.unchanged
            self.removed += summary.removed
        }

        /// How far through all the files the ingest is, from 0 to 1, when the sizes are known.
        public var fractionDone: Double?

        /// `added 3, updated 0, unchanged 1, bad 2`.
        public var summary: String {
            Self.describe(
                UpsertSummary(
                    added: self.added, updated: self.updated, unchanged: self.unchanged, removed: self.removed),
                bad: self.bad)
        }

        /// `added 3, updated 0, unchanged 1, removed 1, bad 2` (removed only when there were any).
        public static func describe(_ summary: UpsertSummary, bad: Int) -> String {
            "added \(summary.added), updated \(summary.updated), unchanged \(summary.unchanged), "
                + (summary.removed > 0 ? "removed \(summary.removed), " : "") + "bad \(bad)"
        }
    }

    /// The store written to.
    public let store: any PaperStore
    /// How files are read.
    public let options: Options

    /// Creates an ingester.
    public init(store: any PaperStore, options: Options = Options()) {
        self.store = store
        self.options = options
    }

    /// Ingests `paths` in order.
    ///
    /// - Parameters:
    ///   - problem: called with each rejected record and each file that fails part-way.
    ///   - progress: called after each batch with the running totals.
    /// - Throws: the store's error when a write fails; the batches before it have landed.
    public func ingest(
        _ paths: [String],
        problem: (ParseError) -> Void,
        progress: (Report) -> Void = { _ in }
    ) async throws -> Report {
        var report = Report()
        for (index, path) in paths.enumerated() {
            try await self.ingest(path, into: &report, problem: problem) { report, fraction in
                var report = report
                report.fractionDone = fraction.map { (Double(index) + $0) / Double(paths.count) }
                progress(report)
            }
        }
        return report
    }

    private func ingest(
        _ path: String,
        into report: inout Report,
        problem: (ParseError) -> Void,
        progress: (Report, Double?) -> Void
    ) async throws {
        let reader: PaperFileReader
        do {
            reader = try PaperFileReader(path: path, listingYear: self.options.listingYear)
        } catch {
            problem(error)
            report.failedFiles += 1
            return
        }
        let store = self.store
        var pending: Task<UpsertSummary, any Error>?
        var pendingRecords = 0
        defer { pending?.cancel() }
        while true {
            let batch: PaperFileReader.Batch?
            do {
                batch = try reader.nextBatch(
                    size: self.options.batchSize ?? (reader.format == .kaggleSnapshot ? 5_000 : 2_000))
            } catch {
                problem(error)
                report.failedFiles += 1
                break
            }
            guard let batch else { break }
            for error in batch.errors { problem(error) }
            report.bad += batch.errors.count
            // Write this batch while the next one is read; wait for the previous write first.
            if let previous = pending {
                report.add(try await previous.value)
                report.records += pendingRecords
                progress(report, reader.fractionRead)
            }
            let changes = StoreBatch(papers: batch.papers, removals: batch.deletions)
            pending = Task { try await store.write(changes) }
            pendingRecords = batch.recordCount
        }
        if let previous = pending {
            pending = nil
            report.add(try await previous.value)
            report.records += pendingRecords
            progress(report, 1)
        }
    }
}
