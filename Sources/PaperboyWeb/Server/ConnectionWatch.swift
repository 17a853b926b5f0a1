import NIOCore

/// Where one connection stands, for its timeouts: waiting for a request, reading a head,
/// reading a body, or waiting for the site's answer. Two handlers keep it, one on each side of
/// the HTTP decoder (``RawBytesWatchHandler`` sees bytes arrive, ``RequestPhaseHandler`` sees
/// requests and responses), and a timer on the connection's event loop checks it.
///
/// Belongs to one connection and is used only on its event loop.
final class ConnectionWatch {
    let limits: ConnectionLimits
    /// Between a request's head and its end.
    var readingRequest = false
    /// Requests whose response has not ended.
    var awaitingResponses = 0
    /// When the connection last became idle (no request in flight, nothing read since).
    var idleSince = NIODeadline.now()
    /// When the first byte of a head not yet complete arrived.
    var headStarted: NIODeadline?
    /// When the body being read last gave bytes.
    var lastBodyRead = NIODeadline.now()
    /// When the request being read began, and the bytes read since.
    var requestStarted = NIODeadline.now()
    var requestBytes = 0
    /// Since when the client has not been taking the bytes sent to it (the channel is not
    /// writable), if it is not.
    var unwritableSince: NIODeadline?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    /// What has run out at `now`, if anything.
    func expired(at now: NIODeadline) -> Expiry? {
        if let since = self.unwritableSince, now - since > TimeAmount(self.limits.sendTimeout) { return .send }
        if self.readingRequest {
            if now - self.lastBodyRead > TimeAmount(self.limits.bodyTimeout) { return .body }
            let elapsed = now - self.requestStarted
            guard elapsed > TimeAmount(self.limits.bodyTimeout), self.limits.minBodyBytesPerSecond > 0 else {
                return nil
            }
            let seconds = Double(elapsed.nanoseconds) / 1e9
            return Double(self.requestBytes) / seconds < Double(self.limits.minBodyBytesPerSecond) ? .body : nil
        }
        guard self.awaitingResponses == 0 else { return nil }
        if let started = self.headStarted {
            return now - started > TimeAmount(self.limits.headerTimeout) ? .head : nil
        }
        return now - self.idleSince > TimeAmount(self.limits.idleTimeout) ? .idle : nil
    }

    enum Expiry { case idle, head, body, send }

    /// How often the timer looks: a quarter of the shortest timeout, between 50 ms and 5 s.
    var tick: TimeAmount {
        let shortest = min(
            self.limits.idleTimeout, self.limits.headerTimeout, self.limits.bodyTimeout, self.limits.sendTimeout)
        return min(max(TimeAmount(shortest / 4), .milliseconds(50)), .seconds(5))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
