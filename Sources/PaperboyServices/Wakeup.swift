import Synchronization

/// A wake-up call for a loop that otherwise polls: ``wait(upTo:)`` returns at the first
/// ``signal()`` or when the time is up, whichever comes first. A signal given while nobody waits
/// is kept for the next wait, so none is lost between two waits.
public final class Wakeup: Sendable {
    private struct State {
        /// A signal came while nobody waited.
        var pending = false
        /// The current wait's time ran out before it began waiting.
        var expired = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates a wake-up call with no signal pending.
    public init() {}

    /// Wakes the waiter, or the next one.
    public func signal() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Ends the current wait because its time is up (kept for no later wait).
    private func expire() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.expired = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Waits for a signal, at most `duration`. One waiter at a time.
    public func wait(upTo duration: Duration) async {
        self.state.withLock { $0.expired = false }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: duration)
            guard !Task.isCancelled else { return }
            self?.expire()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = self.state.withLock { state -> Bool in
                if state.pending || state.expired {
                    state.pending = false
                    state.expired = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
        timer.cancel()
    }
}
