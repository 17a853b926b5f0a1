import Foundation

/// Shows the progress of a long job on standard error: one line rewritten in place on a
/// terminal, plain lines every ten seconds otherwise (logs, CI). Safe to call from any thread.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var last: ContinuousClock.Instant
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var shown = false
    private let noun: String

    /// Creates a progress line counting `noun` (`records`, `papers`).
    init(noun: String) {
        self.noun = noun
        self.start = self.clock.now
        self.last = self.start
    }

    /// Seconds since the job started.
    var elapsed: Double { (self.clock.now - self.start).seconds }

    /// Reports `count` done and, when known, the fraction of the whole job done.
    func update(_ count: Int, fraction: Double? = nil, detail: String = "") {
        self.lock.lock()
        defer { self.lock.unlock() }
        let now = self.clock.now
        let interval: Duration = self.isTerminal ? .milliseconds(200) : .seconds(10)
        guard now - self.last >= interval else { return }
        self.last = now
        let seconds = (now - self.start).seconds
        let rate = seconds > 0 ? Double(count) / seconds : 0
        var line = "\(count) \(self.noun), \(Int(rate))/s"
        if let fraction, fraction > 0.001, fraction < 1 {
            let remaining = seconds / fraction - seconds
            line += ", \(Int(fraction * 100))%, ETA \(Self.format(remaining))"
        }
        if !detail.isEmpty { line += ", " + detail }
        if self.isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            self.shown = true
        } else {
            FileHandle.standardError.write(Data("… \(line)\n".utf8))
        }
    }

    /// Clears the line before other output or at the end.
    func finish() {
        self.lock.lock()
        defer { self.lock.unlock() }
        self.clear()
    }

    private func clear() {
        if self.shown {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            self.shown = false
        }
    }

    /// Prints a message above the progress line.
    func message(_ text: String) {
        self.lock.lock()
        defer { self.lock.unlock() }
        self.clear()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func format(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total)s"
    }
}
