import Foundation
import Logging

/// Log lines as JSON objects, one per line on standard error (`serve --log-format json`), for log
/// collectors: `time` (ISO 8601, UTC, milliseconds), `level`, `label`, `node`, `message`, `source`
/// and the metadata as strings.
struct JSONLogHandler: LogHandler {
    /// The label of the logger.
    let label: String
    /// The node every line names.
    let node: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    /// One writer at a time, so that lines of two threads never interleave.
    private static let writing = NSLock()

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        var fields: [String: String] = [:]
        for (key, value) in self.metadata.merging(metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = value.description
        }
        fields["time"] = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
        fields["level"] = level.rawValue
        fields["label"] = self.label
        fields["node"] = self.node
        fields["message"] = message.description
        fields["source"] = source
        guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        Self.writing.withLock { FileHandle.standardError.write(line) }
    }
}
