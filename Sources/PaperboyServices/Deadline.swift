import Synchronization

/// Runs work that must not take longer than a limit: past it, the caller gets ``Exceeded`` at
/// once and the work is cancelled (work that ignores cancellation runs on, but nobody waits).
enum Deadline {
    /// The limit passed before the work finished.
    struct Exceeded: Error {}

    static func run<T: Sendable>(
        _ limit: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = Outcome<T>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.wait(continuation)
            let work = Task {
                do {
                    outcome.finish(.success(try await operation()))
                } catch {
                    outcome.finish(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                guard !Task.isCancelled else { return }
                work.cancel()
                outcome.finish(.failure(Exceeded()))
            }
            outcome.onFinish { timer.cancel() }
        }
    }

    /// The first result wins; later ones are dropped.
    private final class Outcome<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var done = false
            var cleanup: (@Sendable () -> Void)?
        }
        private let state = Mutex(State())

        func wait(_ continuation: CheckedContinuation<T, any Error>) {
            self.state.withLock { $0.continuation = continuation }
        }

        func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
            let runNow = self.state.withLock { state -> Bool in
                if state.done { return true }
                state.cleanup = cleanup
                return false
            }
            if runNow { cleanup() }
        }

        func finish(_ result: Result<T, any Error>) {
            let (continuation, cleanup) = self.state.withLock {
                state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
                guard !state.done else { return (nil, nil) }
                state.done = true
                defer {
                    state.continuation = nil
                    state.cleanup = nil
                }
                return (state.continuation, state.cleanup)
            }
            cleanup?()
            continuation?.resume(with: result)
        }
    }
}
