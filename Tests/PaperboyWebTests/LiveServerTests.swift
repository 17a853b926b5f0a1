import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyWeb
import Testing

@Suite("Live server")
struct LiveServerTests {
    @Test("over a real socket: the daily page, search and the API")
    func live() async throws {
        let app = Application(
            router: buildRouter(site: try await TestSite.make()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        try await app.test(.live) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Denoising Diffusion Models for Images"))
            }
            try await client.execute(uri: "/api/papers/search?q=string+theory", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"id\":\"hep-th/9901001\""))
            }
        }
    }

    @Test(
        "/metrics over a real socket: requests by route and status, search latency, index lag, the outbox; not for the forwarded"
    )
    func metrics() async throws {
        let app = Application(
            router: buildRouter(site: try await TestSite.make()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        try await app.test(.live) { client in
            for uri in ["/", "/", "/papers/2503.01001", "/papers/2503.99999", "/api/papers/search?q=graph"] {
                _ = try await client.execute(uri: uri, method: .get) { $0 }
            }
            let text = try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                return String(buffer: response.body)
            }
            let lines = text.split(separator: "\n").map(String.init)
            func value(_ prefix: String) -> Double? {
                lines.first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last!) }
            }
            #expect(value("paperboy_http_requests_total{route=\"/\",method=\"GET\",status=\"200\"}") == 2)
            #expect(
                lines.contains { $0.hasPrefix("paperboy_http_requests_total{") && $0.contains("status=\"404\"") },
                "the unknown paper counted with its status")
            #expect(lines.contains { $0.hasPrefix("paperboy_http_request_duration_seconds_bucket{route=\"/\"") })
            #expect(value("paperboy_search_duration_seconds_count{mode=\"keyword\"}") == 1)
            #expect(value("paperboy_index_lag_changes") == 0)
            #expect(value("paperboy_papers") == 4)
            #expect(value("paperboy_outbox_digests{state=\"queued\"}") == 0)
            #expect(value("paperboy_subscriptions{status=\"active\"}") == 0)
            // Through a proxy (a forwarded request): no metrics for the outside world.
            try await client.execute(
                uri: "/metrics", method: .get, headers: [.init("X-Forwarded-For")!: "203.0.113.9"]
            ) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
