import Glibc

/// The process's CPU time, for benchmarks that report CPU rather than wall time.
enum ProcessCPUTime {
    /// CPU time used so far, in milliseconds.
    static func milliseconds() -> Double {
        Double(clock()) * 1_000 / Double(CLOCKS_PER_SEC)
    }
}
