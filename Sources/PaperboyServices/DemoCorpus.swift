import Foundation
public import PaperboyModel
import PaperboyParsers
public import PaperboyStore

/// The demo papers bundled with Paperboy: five listing pages of a daily-papers site, about 310
/// papers over five days, loaded into an empty store so that a new site has something to show.
public enum DemoCorpus {
    /// The bundled listing pages.
    public static var files: [String] {
        guard let directory = Bundle.module.url(forResource: "demo", withExtension: nil) else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    /// Loads the demo papers when `store` is empty; dates without a year take `year`.
    ///
    /// - Returns: the ingest report, or `nil` when the store already had papers.
    public static func loadIfEmpty(
        into store: any PaperStore, year: Int = CalendarDay.today().year
    ) async throws
        -> Ingester.Report?
    {
        guard try await store.count() == 0 else { return nil }
        var problems: [String] = []
        let report = try await Ingester(store: store, options: .init(listingYear: year)).ingest(self.files) {
            problems.append($0.description)
        }
        if problems.isEmpty, report.added == 0, try await store.count() > 0 {
            // Another node sharing the database loaded them at the same moment.
            return nil
        }
        guard problems.isEmpty, report.added > 0 else {
            throw StoreError(.io, "the bundled demo corpus did not load: \(problems.first ?? "no papers found")")
        }
        return report
    }
}
