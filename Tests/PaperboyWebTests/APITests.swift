import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyWeb
import Testing

@Suite("JSON API")
struct APITests {
    struct DailyPaper: Decodable {
        struct Paper: Decodable {
            struct Author: Decodable { var name: String }
            var id: String
            var title: String
            var summary: String
            var authors: [Author]
            var publishedAt: String
            var upvotes: Int
        }

        var paper: Paper
        var title: String
        var summary: String
        var publishedAt: String
        var numComments: Int
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var code: String
            var message: String
        }

        var error: Detail
    }

    static func get(_ uri: String, _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { try await check($0) }
        }
    }

    static var timestamp: Regex<Substring> { /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/ }

    @Test("daily_papers returns Hugging Face's shape with UTC millisecond timestamps")
    func dailyPapers() async throws {
        try await Self.get("/api/daily_papers?date=2025-03-12") { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let items = try JSONDecoder().decode([DailyPaper].self, from: Data(response.body.readableBytesView))
            #expect(items.map(\.paper.id) == ["2503.01001", "2503.01002"])
            let first = items[0]
            #expect(first.title == first.paper.title && first.summary == first.paper.summary)
            #expect(first.paper.authors.map(\.name) == ["Ada Lovelace", "Alan Turing"])
            #expect(first.publishedAt == "2025-03-12T00:00:00.000Z")
            #expect(first.paper.publishedAt == "2025-03-10T09:46:40.000Z", "the first version's submission time")
            #expect(items.allSatisfy { $0.publishedAt.wholeMatch(of: Self.timestamp) != nil })
            #expect(first.numComments == 0 && first.paper.upvotes == 0)
        }
        try await Self.get("/api/daily_papers") { response in
            let items = try JSONDecoder().decode([DailyPaper].self, from: Data(response.body.readableBytesView))
            #expect(items.count == 2, "the latest day by default")
        }
        try await Self.get("/api/daily_papers?date=2025-03-12&limit=1&p=1") { response in
            let items = try JSONDecoder().decode([DailyPaper].self, from: Data(response.body.readableBytesView))
            #expect(items.map(\.paper.id) == ["2503.01002"])
        }
    }

    @Test("a paper by id; an unknown or malformed id is 404 with an error body that says which")
    func paper() async throws {
        try await Self.get("/api/papers/2503.01001") { response in
            #expect(response.status == .ok)
            let paper = try JSONDecoder().decode(DailyPaper.Paper.self, from: Data(response.body.readableBytesView))
            #expect(paper.title == "Denoising Diffusion Models for Images")
        }
        try await Self.get("/api/papers/hep-th/9901001") { response in
            #expect(response.status == .ok)
        }
        try await Self.get("/api/papers/2503.09999") { response in
            #expect(response.status == .notFound)
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
            #expect(body.error.code == "not_found")
            #expect(body.error.message.contains("2503.09999"))
        }
        try await Self.get("/api/papers/2513.00001") { response in
            #expect(response.status == .notFound)
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
            #expect(body.error.code == "invalid_id")
            #expect(body.error.message.contains("month 13"))
        }
    }

    @Test("unknown query parameters are refused by name; a known path with another method is 405 with Allow")
    func strictness() async throws {
        try await Self.get("/api/daily_papers?limt=5") { response in
            #expect(response.status == .badRequest)
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
            #expect(body.error.code == "unknown_parameter" && body.error.message.contains("'limt'"))
        }
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/papers/2503.01001", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
            try await client.execute(uri: "/api/papers/2503.01001/upvote", method: .get) { response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/api/nothing", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("search returns ranked papers in the daily_papers shape, limited")
    func search() async throws {
        try await Self.get("/api/papers/search?q=diffusion&limit=1") { response in
            #expect(response.status == .ok)
            let items = try JSONDecoder().decode([DailyPaper].self, from: Data(response.body.readableBytesView))
            #expect(items.map(\.paper.id) == ["2503.01001"])
        }
        try await Self.get("/api/papers/search?q=") { response in
            #expect(response.status == .badRequest)
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
            #expect(body.error.code == "missing_query")
        }
        try await Self.get("/api/papers/search?q=%22unclosed") { response in
            #expect(response.status == .badRequest)
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
            #expect(body.error.code == "invalid_query")
            #expect(body.error.message == "unclosed quote at column 1")
        }
        try await Self.get("/api/papers/search?q=diffusion+graph&mode=and") { response in
            let items = try JSONDecoder().decode([DailyPaper].self, from: Data(response.body.readableBytesView))
            #expect(items.isEmpty, "no paper has both words")
        }
        try await Self.get("/api/papers/search?q=x&limit=5000") { response in
            #expect(response.status == .badRequest)
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body.readableBytesView))
            #expect(body.error.message.contains("'limit'"))
        }
    }
}
