import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyModel
import PaperboyServices
import PaperboyStore
import PaperboyWeb
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Week, month and trending views, category and author pages, feeds")
struct ListPageTests {
    static func get(_ uri: String, _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        let site = try await TestSite.make()
        // Two upvotes on the graph paper, one on the diffusion paper: trending order follows.
        let graph = try PaperID(parsing: "2503.01002")
        _ = try await site.catalog.toggleUpvote(graph, by: 1)
        _ = try await site.catalog.toggleUpvote(graph, by: 2)
        _ = try await site.catalog.toggleUpvote(try PaperID(parsing: "2503.01001"), by: 1)
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { try check($0) }
        }
    }

    static func titles(in html: String) -> [String] {
        html.components(separatedBy: "<h3><a href=\"").dropFirst().map { part in
            String(part.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
        }
    }

    @Test("a week lists every day's papers, newest day first, with links to the weeks around it")
    func week() async throws {
        try await Self.get("/?week=2025-W11") { response in
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("<h1>Week 11, 2025</h1>"))
            #expect(
                Self.titles(in: html) == [
                    "Denoising Diffusion Models for Images",
                    "Graph Networks &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
                    "An Old String Theory Paper", "A Listing Page Paper",
                ])
            #expect(html.contains("Monday, March 10, 2025 – Sunday, March 16, 2025 · 4 papers"))
            #expect(!html.contains("rel=\"prev\" href=\"/?week"), "no earlier week has papers")
        }
    }

    @Test("a month sorted by trending puts upvoted papers first and draws its categories")
    func monthTrending() async throws {
        try await Self.get("/?month=2025-03&sort=trending") { response in
            let html = String(buffer: response.body)
            #expect(html.contains("<h1>March 2025</h1>"))
            #expect(Self.titles(in: html).prefix(2).map { $0.prefix(5) } == ["Graph", "Denoi"])
            #expect(html.contains("<svg class=\"bars\""), "the category chart")
            #expect(html.contains(">cs.LG</text>") && html.contains(">hep-th</text>"))
            #expect(html.contains("aria-current=\"true\">Trending</a>"))
        }
    }

    @Test("a category filter keeps cross-listed papers and drops the rest")
    func categoryFilter() async throws {
        try await Self.get("/?week=2025-W11&cat=cs.LG") { response in
            let titles = Self.titles(in: String(buffer: response.body))
            #expect(titles.count == 2 && titles.allSatisfy { !$0.contains("String Theory") })
        }
        try await Self.get("/?week=2025-W11&cat=%3Cscript%3E") { response in
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("is not a category name"))
        }
        try await Self.get("/?week=2025-W11&month=2025-03") { response in
            #expect(String(buffer: response.body).contains("<h1>Week 11, 2025</h1>"), "the more specific period wins")
        }
        try await Self.get("/?week=2021-W53") { response in
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("2021 has weeks W01–W52"))
        }
    }

    @Test("the trending page shows only upvoted papers, best first; the about page publishes the formula")
    func trendingAndAbout() async throws {
        try await Self.get("/trending") { response in
            let titles = Self.titles(in: String(buffer: response.body))
            #expect(titles.count == 2 && titles[0].hasPrefix("Graph") && titles[1].hasPrefix("Denoising"))
        }
        try await Self.get("/about") { response in
            let html = String(buffer: response.body)
            #expect(html.contains("score = upvotes / (age + 2)<sup>1.5</sup>"))
        }
    }

    @Test("author and category pages")
    func authorAndCategory() async throws {
        try await Self.get("/authors/ada%20lovelace") { response in
            let html = String(buffer: response.body)
            #expect(Self.titles(in: html) == ["Denoising Diffusion Models for Images"])
            #expect(html.contains("1 paper"))
        }
        try await Self.get("/categories/hep-th") { response in
            #expect(Self.titles(in: String(buffer: response.body)) == ["An Old String Theory Paper"])
        }
        try await Self.get("/papers/2503.01001") { response in
            let html = String(buffer: response.body)
            #expect(html.contains("href=\"/authors/Ada%20Lovelace\""))
            #expect(html.contains("href=\"/categories/cs.CV\""))
            #expect(html.contains("<svg class=\"sparkline\""), "the upvote sparkline")
        }
    }

    @Test(
        "feeds: Atom that parses, with escaped titles, and JSON Feed 1.1",
        arguments: [
            "/feed.atom?week=2025-W11", "/trending.atom", "/categories/cs.LG.atom", "/authors/Grace%20Hopper.atom",
            "/search.atom?q=graph",
        ])
    func atom(_ uri: String) async throws {
        try await Self.get(uri) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
            let data = Data(response.body.readableBytesView)
            let parser = XMLParser(data: data)
            #expect(parser.parse(), "well-formed XML: \(String(decoding: data, as: UTF8.self).prefix(400))")
            let xml = String(decoding: data, as: UTF8.self)
            #expect(xml.contains("<title>Graph Networks &lt;script&gt;alert('x')&lt;/script&gt;</title>"))
            #expect(xml.contains("<id>http://localhost:8080/papers/2503.01002</id>") || uri.contains("hep"))
        }
    }

    @Test("a JSON Feed lists the papers with absolute links")
    func jsonFeed() async throws {
        try await Self.get("/feed.json?date=2025-03-12") { response in
            #expect(response.headers[.contentType] == "application/feed+json; charset=utf-8")
            let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            #expect(json?["version"] as? String == "https://jsonfeed.org/version/1.1")
            let items = json?["items"] as? [[String: Any]] ?? []
            #expect(items.count == 2)
            #expect(items.first?["url"] as? String == "http://localhost:8080/papers/2503.01001")
            #expect((items.first?["authors"] as? [[String: Any]])?.first?["name"] as? String == "Ada Lovelace")
        }
    }

    @Test("the daily-papers API takes week, month, sort and a category")
    func api() async throws {
        try await Self.get("/api/daily_papers?month=2025-03&sort=trending&limit=2") { response in
            let items =
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]
            #expect(items?.map { ($0["paper"] as? [String: Any])?["upvotes"] as? Int } == [2, 1])
        }
        try await Self.get("/api/daily_papers?week=2025-W11&cat=hep-th") { response in
            let items =
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]
            #expect(items?.map { $0["title"] as? String } == ["An Old String Theory Paper"])
        }
        try await Self.get("/api/authors/grace%20hopper") { response in
            let items =
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]
            #expect(items?.map { ($0["paper"] as? [String: Any])?["id"] as? String } == ["2503.01002"])
        }
        try await Self.get("/api/categories/cs.LG?sort=trending") { response in
            let items =
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]]
            #expect(items?.map { ($0["paper"] as? [String: Any])?["id"] as? String } == ["2503.01002", "2503.01001"])
        }
        try await Self.get("/api/categories/cs%20LG") { response in
            #expect(response.status == .badRequest)
        }
        try await Self.get("/api/daily_papers?sort=best") { response in
            #expect(response.status == .badRequest)
            let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            #expect((json?["error"] as? [String: Any])?["code"] as? String == "invalid_parameter")
        }
    }
}
