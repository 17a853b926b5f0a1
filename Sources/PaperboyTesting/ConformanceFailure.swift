/// A conformance check that did not hold: what was expected and where in the suite.
public struct ConformanceFailure: Error, CustomStringConvertible {
    /// What was expected and what was found.
    public let message: String
    /// The file of the suite that checked it.
    public let file: String
    /// The line of the suite that checked it.
    public let line: UInt

    public var description: String { "\(self.file):\(self.line): \(self.message)" }
}

/// Throws a ``ConformanceFailure`` unless `condition` holds.
func expect(
    _ condition: Bool, _ message: @autoclosure () -> String, file: String = #fileID, line: UInt = #line
) throws {
    if !condition { throw ConformanceFailure(message: message(), file: file, line: line) }
}

/// Throws a ``ConformanceFailure`` unless the two values are equal.
func expectEqual<T: Equatable>(
    _ actual: T, _ expected: T, _ what: String, file: String = #fileID, line: UInt = #line
) throws {
    if actual != expected {
        throw ConformanceFailure(message: "\(what): expected \(expected), got \(actual)", file: file, line: line)
    }
}
