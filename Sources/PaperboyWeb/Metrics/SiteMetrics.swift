import Foundation
public import Prometheus

/// What `/metrics` reports, in Prometheus's text format: requests by route, method and status
/// with latency histograms, search latency by mode, and, read when scraped, the index lag, the
/// outbox by state, subscriptions by status and the papers stored. Anything else the process
/// records through swift-metrics lands in the same registry when the executable bootstraps
/// `MetricsSystem` with it.
public struct SiteMetrics: Sendable {
    /// Where every metric of this site is kept.
    public let registry: PrometheusCollectorRegistry

    /// Seconds: from a cached answer (under a millisecond) to the slowest page.
    static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    /// Creates the metrics over `registry` (a new one by default).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Counts an answered request and its latency. `route` is the route's pattern
    /// (`/papers/{id}`), never the raw path, so that the label set stays small.
    func request(route: String, method: String, status: Int, duration: Duration) {
        self.registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "paperboy", metricName: "http_requests", unitName: "total",
                helpText: "HTTP requests answered, by route pattern, method and status."),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        self.registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "paperboy", metricName: "http_request_duration", unitName: "seconds",
                helpText: "Time from a request's head to its answer, by route pattern and method."),
            labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Records one search's latency.
    func search(mode: String, duration: Duration) {
        self.registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "paperboy", metricName: "search_duration", unitName: "seconds",
                helpText: "Time a search took in the engine and the store, by mode."),
            labels: [("mode", mode)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Sets a gauge read when scraped.
    func gauge(_ name: String, unit: String = "", help: String, labels: [(String, String)] = [], _ value: Double) {
        self.registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "paperboy", metricName: name, unitName: unit, helpText: help),
            labels: labels
        ).set(to: value)
    }

    /// The text of every metric.
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        self.registry.emit(into: &buffer)
        return buffer
    }
}
