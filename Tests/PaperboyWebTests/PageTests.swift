import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyServices
import PaperboyStore
import PaperboyWeb
import Testing

@Suite("HTML pages")
struct PageTests {
    static func get(_ uri: String, _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { try await check($0) }
        }
    }

    @Test("/ shows the latest day with its date header, papers and a link to the day before")
    func latestDay() async throws {
        try await Self.get("/") { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: response.body)
            #expect(html.contains("<h1>Mar 12, 2025</h1>"))
            #expect(html.contains("Wednesday, March 12, 2025"))
            #expect(html.contains("Denoising Diffusion Models for Images"))
            #expect(html.contains("Ada Lovelace, Alan Turing"))
            #expect(html.contains(#"href="/?date=2025-03-10""#))
            #expect(!html.contains("An Old String Theory Paper"), "papers of other days are not listed")
        }
    }

    @Test("?date= shows that day; a day without papers says so and still links to its neighbours")
    func otherDays() async throws {
        try await Self.get("/?date=2025-03-10") { response in
            let html = String(buffer: response.body)
            #expect(html.contains("An Old String Theory Paper"))
            #expect(html.contains(#"href="/?date=2025-03-12""#))
        }
        try await Self.get("/?date=2025-03-11") { response in
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("No papers were announced in this period."))
            #expect(html.contains(#"href="/?date=2025-03-10""#) && html.contains(#"href="/?date=2025-03-12""#))
        }
    }

    @Test("a malformed date is a 400 page naming the parameter")
    func badDate() async throws {
        try await Self.get("/?date=2025-02-30") { response in
            #expect(response.status == .badRequest)
            let html = String(buffer: response.body)
            #expect(html.contains("query parameter &#39;date&#39;: &quot;2025-02-30&quot; is not a real date"))
        }
    }

    @Test("a paper page shows the paper; old-style ids with a slash work")
    func paperPages() async throws {
        try await Self.get("/papers/2503.01001") { response in
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("<h1>Denoising Diffusion Models for Images</h1>"))
            #expect(html.contains("https://arxiv.org/abs/2503.01001"))
            #expect(html.contains("v1 — submitted 2025-03-10"))
            #expect(html.contains("v2 — submitted 2025-03-11"))
            #expect(html.contains("What v2 changed"))
            #expect(html.contains("Denoising Diffusion <ins>Models</ins> for Images"), "the new word is marked")
            #expect(html.contains("<del>&lt;i&gt;v1&lt;/i&gt;</del>"), "removed words are marked and escaped")
            #expect(html.contains("12 pages, 4 figures"))
            #expect(html.contains("J. Imaging 3 (2025) 1-12"))
            #expect(html.contains("href=\"https://doi.org/10.1000/diffusion.1\""))
        }
        try await Self.get("/papers/hep-th/9901001") { response in
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("An Old String Theory Paper"))
        }
        try await Self.get("/papers/2503.09999") { response in
            #expect(response.status == .notFound)
            #expect(String(buffer: response.body).contains("No paper with id 2503.09999"))
        }
        try await Self.get("/nowhere") { response in
            #expect(response.status == .notFound)
        }
    }

    @Test("search ranks papers and marks the matched words")
    func search() async throws {
        try await Self.get("/search?q=diffusion") { response in
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains("2 papers for “diffusion”"))
            let first = try #require(html.range(of: "Denoising"))
            let second = try #require(html.range(of: "An Old String Theory Paper"))
            #expect(first.lowerBound < second.lowerBound, "the paper about diffusion comes first")
            #expect(html.contains("<mark>Diffusion</mark>"))
        }
        try await Self.get("/search?q=denoising+images") { response in
            let html = String(buffer: response.body)
            #expect(html.contains(#"value="denoising images""#), "a form's + is a space")
            #expect(html.contains("1 paper for “denoising images”"))
        }
        try await Self.get("/search?q=c%2B%2B%20code") { response in
            #expect(String(buffer: response.body).contains(#"value="c++ code""#), "%2B is a plus")
        }
        try await Self.get("/search") { response in
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("Search titles, abstracts and authors"))
        }
    }

    @Test("a malformed query keeps the search page, says what is wrong and where, with status 400")
    func malformedQuery() async throws {
        try await Self.get("/search?q=%22unclosed+phrase") { response in
            #expect(response.status == .badRequest)
            let html = String(buffer: response.body)
            #expect(html.contains("This search could not be read: unclosed quote at column 1"))
            #expect(html.contains(#"value="&quot;unclosed phrase""#))
        }
    }

    @Test("filters and phrases work from the search box")
    func filters() async throws {
        try await Self.get("/search?q=cat%3Ahep-th") { response in
            let html = String(buffer: response.body)
            #expect(html.contains("1 paper for"))
            #expect(html.contains("An Old String Theory Paper"))
        }
        try await Self.get("/search?q=%22denoising+diffusion%22+year%3A2025") { response in
            let html = String(buffer: response.body)
            #expect(html.contains("1 paper for"))
            #expect(html.contains("<mark>Denoising</mark> <mark>Diffusion</mark> Models for Images"))
            #expect(!html.contains("An Old String Theory Paper"))
        }
    }

    @Test("script and markup in titles and abstracts come back escaped, in lists, pages and search")
    func escaping() async throws {
        for uri in ["/", "/papers/2503.01002", "/search?q=graph+networks"] {
            try await Self.get(uri) { response in
                let html = String(buffer: response.body)
                #expect(!html.contains("<script>alert"), "\(uri)")
                #expect(
                    html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") || html.contains("&lt;script&gt;"),
                    "\(uri)")
                #expect(!html.contains("<b>not bold</b>"), "\(uri)")
            }
        }
        try await Self.get("/search?q=%3Cscript%3E") { response in
            let html = String(buffer: response.body)
            #expect(!html.contains("<script>"))
            #expect(html.contains("value=\"&lt;script&gt;\""))
        }
    }

    @Test("the stylesheet and the health check are served")
    func assets() async throws {
        try await Self.get("/static/style.css") { response in
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("prefers-color-scheme: dark"))
        }
        try await Self.get("/health") { response in
            #expect(response.status == .ok)
            let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            #expect(body?["status"] as? String == "ok")
            #expect(body?["papers"] as? Int == 4)
            #expect(body?["indexed"] as? Int == 4)
            #expect(body?["index"] as? String == "ready")
            #expect(body?["index_lag"] as? Int == 0)
            #expect((body?["node"] as? String)?.isEmpty == false)
        }
    }
}

@Suite("An empty site")
struct EmptySiteTests {
    @Test("/ on an empty database says how to add papers; the API returns an empty list")
    func empty() async throws {
        let site = try await Site(storage: .memory(), index: PaperIndex(path: TestSite.indexFolder()))
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("paperboy ingest FILE"))
            }
            try await client.execute(uri: "/api/daily_papers", method: .get) { response in
                #expect(String(buffer: response.body) == "[]")
            }
        }
    }
}
