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
}
