import Foundation
import PaperboyModel
import PaperboyParsers
import Testing

@Suite("Reading paper files")
struct PaperFileReaderTests {
    static func readAll(_ path: String, batch: Int = 3) throws -> PaperFileReader.Batch {
        let reader = try PaperFileReader(path: path, listingYear: 2026)
        var all = PaperFileReader.Batch()
        while let next = try reader.nextBatch(size: batch) {
            #expect(next.recordCount <= batch || reader.format == .listingPage)
            all.papers += next.papers
            all.errors += next.errors
        }
        return all
    }

    @Test("every good line lands and every bad line is reported with its line number")
    func mixedFile() throws {
        let path = Fixture.path("papers-with-errors.jsonl")
        #expect(try PaperFileReader(path: path, listingYear: 2026).format == .jsonLines)
        let all = try Self.readAll(path)
        #expect(
            all.papers.map(\.id.rawValue) == [
                "2101.11408", "hep-th/9901001", "s2:01e1f514b9edba71552b025c2c8890fdf7717365", "2101.11414",
            ])
        #expect(all.errors.compactMap(\.line) == [2, 4, 5, 6, 7, 10, 11])
        #expect(all.errors.allSatisfy { $0.description.hasPrefix(path + ":") })
        let old = all.papers[1]
        #expect(old.title == "An Old Style Paper")
        #expect(old.abstract == "Spaces collapse.")
        #expect(old.authors.map(\.name) == ["Edward Witten"])
        #expect(old.versions.map(\.number) == [2])
        #expect(all.papers[3].abstract == "Ünïcödé and emoji 😀.")
    }

    @Test("gzip files read like plain ones, several members included")
    func gzip() throws {
        for name in ["two-papers.jsonl.gz", "two-members.jsonl.gz"] {
            let all = try Self.readAll(Fixture.path(name))
            #expect(all.papers.map(\.id.rawValue) == ["2101.11408", "2101.11414"], "\(name)")
            #expect(all.errors.isEmpty)
        }
    }

    @Test("a truncated gzip file fails with a clear error after what it could read")
    func truncatedGzip() throws {
        let reader = try PaperFileReader(path: Fixture.path("truncated.jsonl.gz"), listingYear: 2026)
        var papers: [Paper] = []
        do {
            while let batch = try reader.nextBatch(size: 1) { papers += batch.papers }
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .corruptCompression)
            #expect(error.description.contains("truncated.jsonl.gz: the gzip data ends early"))
        }
        #expect(papers.first?.id.rawValue == "2101.11408", "lines before the damage are read")
    }

    @Test("a missing file says so")
    func missing() {
        do {
            _ = try PaperFileReader(path: "/nonexistent/papers.jsonl", listingYear: 2026)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.description.hasPrefix("/nonexistent/papers.jsonl: "))
        }
    }

    @Test("an empty file is refused")
    func empty() throws {
        let path = NSTemporaryDirectory() + "empty-\(UUID().uuidString).jsonl"
        _ = FileManager.default.createFile(atPath: path, contents: Data("\n  \n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ParseError.self) { try PaperFileReader(path: path, listingYear: 2026) }
    }

    @Test("a listing page is detected and read")
    func listing() throws {
        let path = Fixture.path("listing.txt")
        let reader = try PaperFileReader(path: path, listingYear: 2026)
        #expect(reader.format == .listingPage)
        #expect(reader.listingDay?.description == "2026-03-12")
        let all = try Self.readAll(path)
        #expect(all.papers.count == 4)
    }
}
