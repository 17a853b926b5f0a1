import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyHarvester
import PaperboyModel
import PaperboyServices
import PaperboyStore
import PaperboyTesting
import PaperboyWeb
import Testing

@Suite("Comments, collections and submissions on the site, and who may do what")
struct CommunityTests {
    static func withSite(
        base: TestSite.Fixture? = nil, source: (any PaperSource)? = nil,
        _ body: @escaping @Sendable (Site, any TestClientProtocol) async throws -> Void
    ) async throws {
        let base = try await { if let base { return base } else { return try await TestSite.fixture() } }()
        let site = try await Site(
            storage: base.storage, index: base.index, paperSource: source, bcryptCost: 4,
            mailTransport: TestSite.mailbox)
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router) { client in try await body(site, client) }
    }

    @Test("comment, reply, edit your own; script comes back escaped; others cannot edit or delete it")
    func comments() async throws {
        try await Self.withSite { _, client in
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            let bob = try await TestBrowser.member(client, name: "Bob <b>", email: "bob@example.org")
            let posted = try await ada.post(
                "/papers/2503.01001/comments",
                ["body": "Nice *result* <script>alert(1)</script> [code](https://github.com/x)"])
            #expect(posted.status == .found)
            let location = try #require(posted.headers[.location])
            #expect(location.hasPrefix("/papers/2503.01001#comment-"))
            let commentID = String(location.split(separator: "-").last!)
            let reply = try await bob.post("/papers/2503.01001/comments", ["body": "Agreed", "parent": commentID])
            #expect(reply.status == .found)

            let page = String(buffer: try await bob.get("/papers/2503.01001").body)
            #expect(page.contains("Nice <em>result</em> &lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.contains("<a href=\"https://github.com/x\" rel=\"nofollow ugc noopener\">code</a>"))
            #expect(!page.contains("<script>alert(1)"))
            #expect(page.contains("<strong>Bob &lt;b&gt;</strong>"), "names are escaped too")
            #expect(page.contains("Comments (2)"))
            #expect(page.contains("class=\"comment reply"), "the reply is threaded")

            // Bob cannot edit or delete Ada's comment.
            let edit = try await bob.post("/comments/\(commentID)/edit", ["body": "hijacked"])
            #expect(edit.status == .forbidden)
            let delete = try await bob.post("/comments/\(commentID)/delete")
            #expect(delete.status == .forbidden)
            let hide = try await bob.post("/comments/\(commentID)/hide", ["hidden": "1"])
            #expect(hide.status == .forbidden, "members cannot hide")
            // Without the form token, even Ada cannot.
            let forged = try await ada.post("/comments/\(commentID)/edit", ["body": "forged"], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(String(buffer: try await ada.get("/papers/2503.01001").body).contains("Nice <em>result</em>"))

            let edited = try await ada.post("/comments/\(commentID)/edit", ["body": "Edited text"])
            #expect(edited.status == .found)
            let after = String(buffer: try await ada.get("/papers/2503.01001").body)
            #expect(after.contains("Edited text") && after.contains("· edited"))
            let list = String(buffer: try await ada.get("/?date=2025-03-12").body)
            #expect(list.contains("2 comments"))

            _ = try await ada.post("/comments/\(commentID)/delete")
            let gone = String(buffer: try await ada.get("/papers/2503.01001").body)
            #expect(gone.contains("[deleted]") && !gone.contains("Edited text"), "the text went")
            #expect(gone.contains("Agreed"), "Bob's reply stayed")
            #expect(gone.contains("Comments (1)"))
        }
    }

    @Test("a moderator hides a comment: others see that it was hidden, not its text")
    func moderation() async throws {
        let base = try await TestSite.fixture()
        try await Self.withSite(base: base) { site, client in
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            var mod = try await TestBrowser.member(client, name: "Mod", email: "mod@example.org")
            let members = base.storage.members
            let member = try #require(try await members.member(email: try EmailAddress(parsing: "mod@example.org")))
            try await members.setRole(.moderator, memberID: member.id)
            mod = try await TestBrowser(
                client: client, csrfCookie: mod.csrfCookie, token: mod.token, session: mod.session)
            let posted = try await ada.post("/papers/2503.01002/comments", ["body": "Buy cheap pills"])
            let id = String(try #require(posted.headers[.location]).split(separator: "-").last!)
            let hidden = try await mod.post("/comments/\(id)/hide", ["hidden": "1"])
            #expect(hidden.status == .found)
            let anonymous = String(
                buffer: try await client.execute(uri: "/papers/2503.01002", method: .get) { $0 }.body)
            #expect(
                !anonymous.contains("Buy cheap pills") && anonymous.contains("This comment was hidden by a moderator."))
            let asModerator = String(buffer: try await mod.get("/papers/2503.01002").body)
            #expect(asModerator.contains("Buy cheap pills") && asModerator.contains(">Show</button>"))
        }
    }

    @Test("collections: private ones are invisible to others, nobody else can change one, public ones share by URL")
    func collections() async throws {
        try await Self.withSite { _, client in
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            let bob = try await TestBrowser.member(client, name: "Bob", email: "bob@example.org")
            let made = try await ada.post("/collections", ["name": "Secret <list>"])
            #expect(made.status == .found)
            let url = try #require(made.headers[.location])
            let id = String(url.split(separator: "/").last!)
            #expect(try await ada.post("/collections/add", ["collection": id, "paper": "2503.01001"]).status == .found)
            #expect(
                try await ada.post("/collections/add", ["collection": id, "paper": "hep-th/9901001"]).status == .found)
            let own = String(buffer: try await ada.get(url).body)
            #expect(own.contains("<h1>Secret &lt;list&gt;</h1>") && own.contains("private"))
            #expect(own.contains("Denoising Diffusion") && own.contains("An Old String Theory Paper"))

            #expect(try await bob.get(url).status == .notFound, "a private collection does not exist for others")
            #expect(try await client.execute(uri: url, method: .get) { $0 }.status == .notFound)
            #expect(try await client.execute(uri: url + ".atom", method: .get) { $0 }.status == .notFound)
            #expect(
                try await bob.post("/collections/add", ["collection": id, "paper": "2503.01002"]).status == .notFound)
            #expect(
                try await bob.post("/collections/\(id)/update", ["name": "Mine now", "public": "1"]).status == .notFound
            )

            #expect(
                try await ada.post("/collections/\(id)/update", ["name": "Reading group", "public": "1"]).status
                    == .found)
            let shared = String(buffer: try await bob.get(url).body)
            #expect(shared.contains("<h1>Reading group</h1>") && shared.contains("public"))
            #expect(!shared.contains("Remove from collection"), "only the owner gets the buttons")
            #expect(try await bob.post("/collections/\(id)/delete").status == .forbidden)
            #expect(try await bob.post("/collections/\(id)/remove", ["paper": "2503.01001"]).status == .forbidden)
            let feed = try await client.execute(uri: url + ".atom", method: .get) { $0 }
            #expect(String(buffer: feed.body).contains("<title>Paperboy · Collection: Reading group</title>"))

            #expect(try await ada.post("/collections/\(id)/remove", ["paper": "2503.01001"]).status == .found)
            #expect(!String(buffer: try await ada.get(url).body).contains("Denoising Diffusion"))
            #expect(try await ada.post("/collections/\(id)/delete").status == .found)
            #expect(try await ada.get(url).status == .notFound)
        }
    }

    @Test("submitting a stored paper puts it on today's list with its submitter; bad ids and repeats are refused")
    func submitStored() async throws {
        try await Self.withSite { _, client in
            let ada = try await TestBrowser.member(client, name: "Ada Submitter", email: "ada@example.org")
            let done = try await ada.post("/submit", ["paper": "https://arxiv.org/abs/hep-th/9901001v2"])
            #expect(done.status == .found && done.headers[.location] == "/papers/hep-th/9901001")
            let today = String(buffer: try await ada.get("/?date=\(CalendarDay.today())").body)
            #expect(today.contains("An Old String Theory Paper") && today.contains("Submitted by Ada Submitter"))
            let again = try await ada.post("/submit", ["paper": "hep-th/9901001"])
            #expect(again.status == .conflict && String(buffer: again.body).contains("already been submitted"))
            let bad = try await ada.post("/submit", ["paper": "not a paper"])
            #expect(bad.status == .badRequest)
            let unknown = try await ada.post("/submit", ["paper": "2503.09999"])
            #expect(unknown.status == .badGateway)
            #expect(String(buffer: unknown.body).contains("cannot fetch papers from arXiv"))
            let anonymous = try await client.execute(uri: "/submit", method: .get) { $0 }
            #expect(anonymous.status == .found && anonymous.headers[.location] == "/signin")
        }
    }

    @Test("an unknown paper is fetched from the arXiv API (a local server) through the ingest path")
    func submitFetched() async throws {
        let atom = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
            <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
            <entry><id>http://arxiv.org/abs/2501.00007v1</id><updated>2025-01-02T10:00:00Z</updated>
            <published>2025-01-02T10:00:00Z</published><title>Fetched On Demand</title><summary>Fresh.</summary>
            <author><name>Ada Lovelace</name></author>
            <arxiv:primary_category term="cs.LG"/><category term="cs.LG"/></entry></feed>
            """
        let server = try ScriptedHTTPServer { request in
            request.query("id_list") == "2501.00007"
                ? .response(status: 200, body: Data(atom.utf8))
                : .response(
                    status: 200,
                    body: Data(
                        atom.replacingOccurrences(of: "<entry>", with: "<!--").replacingOccurrences(
                            of: "</entry>", with: "-->"
                        ).utf8))
        }
        defer { server.stop() }
        let base = try await TestSite.fixture()
        let fetcher = ArxivAPIFetcher(
            store: base.storage.papers,
            client: PoliteClient(fetcher: NetworkFetcher(), policy: RetryPolicy(delay: .zero, maxRetries: 0)),
            endpoint: server.baseURL + "/api/query")
        try await Self.withSite(base: base, source: fetcher) { site, client in
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            let done = try await ada.post("/submit", ["paper": "2501.00007"])
            #expect(
                done.status == .found && done.headers[.location] == "/papers/2501.00007",
                "\(String(buffer: done.body).prefix(3000))")
            #expect(try await site.catalog.paper(id: try PaperID(parsing: "2501.00007"))?.title == "Fetched On Demand")
            let missing = try await ada.post("/submit", ["paper": "2501.00008"])
            #expect(missing.status == .notFound && String(buffer: missing.body).contains("arXiv has no paper"))
        }
    }
}
