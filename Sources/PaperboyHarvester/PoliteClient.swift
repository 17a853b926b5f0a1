public import Foundation
import PaperboyParsers

/// How a harvester waits between requests and retries failures.
public struct RetryPolicy: Sendable {
    /// The least time between the starts of two requests (arXiv asks for 3 s).
    public var delay: Duration
    /// How many times one request is retried before the harvest gives up.
    public var maxRetries: Int
    /// The first backoff after a failure without `Retry-After`; doubled each time.
    public var backoff: Duration
    /// The longest wait accepted, whatever `Retry-After` says.
    public var maxWait: Duration

    /// Creates a policy.
    public init(
        delay: Duration = .seconds(3), maxRetries: Int = 8, backoff: Duration = .seconds(5),
        maxWait: Duration = .seconds(600)
    ) {
        self.delay = delay
        self.maxRetries = max(0, maxRetries)
        self.backoff = backoff
        self.maxWait = maxWait
    }
}

/// Fetches pages politely: waits ``RetryPolicy/delay`` between requests, honours `Retry-After` on
/// 503 and 429, backs off exponentially on other 5xx and on network errors, and retries a page
/// whose body its reader rejects as broken (a truncated transfer).
public struct PoliteClient: Sendable {
    /// The network.
    public let fetcher: any HTTPFetcher
    /// Waits and retries.
    public let policy: RetryPolicy
    /// How to wait (tests pass a recorder).
    public let sleep: @Sendable (Duration) async throws -> Void
    /// Called with each retry: the URL, the attempt and why.
    public let onRetry: @Sendable (String, Int, String) -> Void
    private let lastRequest = LastRequest()

    private final class LastRequest: @unchecked Sendable {
        let lock = NSLock()
        var instant: ContinuousClock.Instant?
    }

    /// Creates a client.
    public init(
        fetcher: any HTTPFetcher,
        policy: RetryPolicy = RetryPolicy(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        onRetry: @escaping @Sendable (String, Int, String) -> Void = { _, _, _ in }
    ) {
        self.fetcher = fetcher
        self.policy = policy
        self.sleep = sleep
        self.onRetry = onRetry
    }

    /// GETs `url` and reads it with `read`, retrying as the policy says.
    ///
    /// - Parameter read: turns a 200 body into a value; a ``ParseError`` with code `invalidXML`
    ///   (a page cut short) is retried, any other error is thrown at once.
    /// - Throws: ``HarvestError`` when retries run out or the server refuses the request.
    public func fetch<T>(_ url: String, read: (Data) throws -> T) async throws -> T {
        var attempt = 0
        while true {
            try await self.waitForTurn()
            let failure: String
            var wait: Duration?
            do {
                let page = try await self.fetcher.get(url)
                switch page.status {
                case 200..<300:
                    do {
                        return try read(page.body)
                    } catch let error as ParseError where error.code == .invalidXML {
                        failure = "a broken page (\(error.reason))"
                    }
                case 429, 503:
                    failure = "HTTP \(page.status)"
                    wait = page.headers["retry-after"].flatMap(Self.retryAfter)
                case 500..<600:
                    failure = "HTTP \(page.status)"
                default:
                    let text = String(decoding: page.body.prefix(300), as: UTF8.self)
                    throw HarvestError(.refused, "\(url): HTTP \(page.status): \(text)")
                }
            } catch let error as HarvestError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as ParseError {
                throw error
            } catch {
                failure = "a network error (\(error))"
            }
            attempt += 1
            guard attempt <= self.policy.maxRetries else {
                throw HarvestError(
                    .unavailable, "\(url): gave up after \(attempt) attempts; last failure: \(failure)")
            }
            let backoff = self.policy.backoff * (1 << min(attempt - 1, 16))
            let delay = min(wait ?? backoff, self.policy.maxWait)
            self.onRetry(url, attempt, failure + ", retrying in \(delay)")
            try await self.sleep(delay)
        }
    }

    /// Waits until ``RetryPolicy/delay`` has passed since the previous request started.
    private func waitForTurn() async throws {
        let now = ContinuousClock.now
        let previous = self.lastRequest.lock.withLock { self.lastRequest.instant }
        if let previous, now - previous < self.policy.delay {
            try await self.sleep(self.policy.delay - (now - previous))
        }
        self.lastRequest.lock.withLock { self.lastRequest.instant = ContinuousClock.now }
    }

    /// `Retry-After` as seconds or as an HTTP date.
    static func retryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return .seconds(max(0, seconds)) }
        guard let date = SourceDates.instant(trimmed) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSinceNow.rounded(.up))))
    }
}
