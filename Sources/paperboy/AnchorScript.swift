import ArgumentParser
import Foundation

/// A benchmark's anchor: a script of `scripts/bench` run from the repository's root, its
/// standard output (a JSON report) returned once it exits with 0.
enum AnchorScript {
    /// Runs `interpreter script arguments…` and returns what it printed.
    ///
    /// - Throws: when the script is not there (not run from the root) or exits with another status.
    static func run(_ script: String, interpreter: [String], arguments: [String]) throws -> Data {
        guard FileManager.default.fileExists(atPath: script) else {
            throw ValidationErrorText("run the benchmark from the repository's root (\(script) is needed)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = interpreter + [script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationErrorText("the anchor \(script) failed (exit \(process.terminationStatus))")
        }
        return data
    }
}
