import Foundation
import PaperboyParsers
import Testing

@Suite("Line reader")
struct LineReaderTests {
    static func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "lines-\(UUID().uuidString).txt"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    static func lines(_ path: String, chunkSize: Int) throws -> [String] {
        let reader = try LineReader(path: path, chunkSize: chunkSize)
        var lines: [String] = []
        try reader.forEachLine { lines.append($0.text) }
        return lines
    }

    @Test("CRLF, a missing final newline and lines longer than a chunk", arguments: [4, 7, 64, 1 << 20])
    func lines(chunkSize: Int) throws {
        let long = String(repeating: "x", count: 100)
        let path = Self.write("one\r\ntwo\n\n\(long)\nlast")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Self.lines(path, chunkSize: chunkSize) == ["one", "two", "", long, "last"])
    }

    @Test("line numbers count every line")
    func numbers() throws {
        let path = Self.write("a\n\nb\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try LineReader(path: path)
        var numbers: [Int] = []
        try reader.forEachLine { numbers.append($0.number) }
        #expect(numbers == [1, 2, 3])
    }
}
