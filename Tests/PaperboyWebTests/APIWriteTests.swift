import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyModel
import PaperboyServices
import PaperboyWeb
import Testing

@testable import PaperboyWeb

@Suite("The API's token-authenticated writes")
struct APIWriteTests {
    @Test("a token made on the account page upvotes, comments, submits and collects; without it, 401")
    func writes() async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            let token = try await ada.apiToken()
            #expect(token.hasPrefix("pb_"))

            let anonymous = try await apiRequest(client, .post, "/api/papers/2503.01001/upvote")
            #expect(anonymous.status == .unauthorized)
            #expect(
                ((anonymous.body as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            let wrong = try await apiRequest(client, .post, "/api/papers/2503.01001/upvote", token: "pb_nonsense")
            #expect(wrong.status == .unauthorized)

            let me = try await apiRequest(client, .get, "/api/me", token: token)
            #expect((me.body as? [String: Any])?["name"] as? String == "Ada")

            let upvote = try await apiRequest(client, .post, "/api/papers/2503.01001/upvote", token: token)
            #expect(upvote.status == .ok)
            #expect((upvote.body as? [String: Any])?["upvotes"] as? Int == 1)

            let comment = try await apiRequest(
                client, .post, "/api/papers/2503.01001/comments", token: token, json: #"{"body": "From a script"}"#)
            #expect(comment.status == .created)
            let commentID = try #require((comment.body as? [String: Any])?["id"] as? Int)
            let noBody = try await apiRequest(
                client, .post, "/api/papers/2503.01001/comments", token: token, json: #"{"text": "x"}"#)
            #expect(noBody.status == .badRequest)
            #expect(
                ((noBody.body as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
                    == "the JSON body lacks the field 'body'")
            let long = String(repeating: "\u{1F680}", count: 10_000)
            let big = try await apiRequest(
                client, .post, "/api/papers/2503.01001/comments", token: token,
                json: "{\"body\": \"\(long.unicodeScalars.map { _ in "\\ud83d\\ude80" }.joined())\"}")
            #expect(big.status == .created, "a 10,000-character comment, escaped, is 120 KB and fits")
            let huge = try await apiRequest(
                client, .post, "/api/papers/2503.01001/comments", token: token,
                json: "{\"body\": \"\(String(repeating: "x", count: 2_000_000))\"}")
            #expect(huge.status == .contentTooLarge)
            #expect(((huge.body as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "too_large")
            if let id = (big.body as? [String: Any])?["id"] as? Int {
                _ = try await apiRequest(client, .delete, "/api/comments/\(id)", token: token)
            }
            let edited = try await apiRequest(
                client, .put, "/api/comments/\(commentID)", token: token, json: #"{"body": "Edited"}"#)
            #expect((edited.body as? [String: Any])?["body"] as? String == "Edited")
            let thread = try await apiRequest(client, .get, "/api/papers/2503.01001/comments")
            #expect((thread.body as? [[String: Any]])?.first?["body"] as? String == "Edited")
            let daily = try await apiRequest(client, .get, "/api/daily_papers?date=2025-03-12")
            let entry = (daily.body as? [[String: Any]])?.first {
                ($0["paper"] as? [String: Any])?["id"] as? String == "2503.01001"
            }
            #expect(entry?["numComments"] as? Int == 1)

            let submitted = try await apiRequest(
                client, .post, "/api/submissions", token: token, json: #"{"paper": "hep-th/9901001"}"#)
            #expect(submitted.status == .created)
            #expect(((submitted.body as? [String: Any])?["submittedBy"] as? [String: Any])?["name"] as? String == "Ada")

            let made = try await apiRequest(
                client, .post, "/api/collections", token: token, json: #"{"name": "Private", "public": false}"#)
            #expect(made.status == .created)
            let collectionID = try #require((made.body as? [String: Any])?["id"] as? Int)
            let added = try await apiRequest(
                client, .post, "/api/collections/\(collectionID)/papers", token: token,
                json: #"{"paper": "2503.01002"}"#)
            #expect((added.body as? [String: Any])?["numPapers"] as? Int == 1)
            #expect(try await apiRequest(client, .get, "/api/collections/\(collectionID)").status == .notFound)

            // Another member's token cannot see or change Ada's private collection or her comment.
            let bob = try await TestBrowser.member(client, name: "Bob", email: "bob@example.org")
            let bobToken = try await bob.apiToken()
            #expect(
                try await apiRequest(client, .get, "/api/collections/\(collectionID)", token: bobToken).status
                    == .notFound)
            let steal = try await apiRequest(
                client, .put, "/api/collections/\(collectionID)", token: bobToken, json: #"{"name": "Bob's"}"#)
            #expect(steal.status == .notFound)
            let vandal = try await apiRequest(client, .delete, "/api/comments/\(commentID)", token: bobToken)
            #expect(vandal.status == .forbidden)

            let removed = try await apiRequest(
                client, .delete, "/api/collections/\(collectionID)/papers/2503.01002", token: token)
            #expect((removed.body as? [String: Any])?["numPapers"] as? Int == 0)
            #expect(
                try await apiRequest(client, .delete, "/api/comments/\(commentID)", token: token).status == .noContent)
            #expect(
                try await apiRequest(client, .delete, "/api/collections/\(collectionID)", token: token).status
                    == .noContent)

            // A revoked token stops working.
            let account = String(buffer: try await ada.get("/account").body)
            let revoke = try #require(account.range(of: "/account/tokens/")).upperBound
            let tokenID = String(account[revoke...].prefix { $0.isNumber })
            #expect(try await ada.post("/account/tokens/\(tokenID)/delete").status == .found)
            #expect(try await apiRequest(client, .get, "/api/me", token: token).status == .unauthorized)
        }
    }

    @Test("a member posting past the limit gets 429 with what and when; others post on")
    func postingLimit() async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make(postsPerMinute: 2)))
        try await app.test(.router) { client in
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            let token = try await ada.apiToken()
            var statuses: [HTTPResponse.Status] = []
            for number in 1...4 {
                let comment = try await apiRequest(
                    client, .post, "/api/papers/2503.01001/comments", token: token,
                    json: #"{"body": "Note \#(number)"}"#)
                statuses.append(comment.status)
            }
            let collection = try await apiRequest(
                client, .post, "/api/collections", token: token, json: #"{"name": "Too many", "public": false}"#)
            statuses.append(collection.status)
            #expect(
                statuses == [.created, .created, .created, .created, .tooManyRequests], "two a minute, four at once")
            let error = (collection.body as? [String: Any])?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "rate_limited")
            let message = error?["message"] as? String ?? ""
            #expect(message.contains("2 comments, edits, submissions or collections a minute"), "\(message)")
            let thread = try await apiRequest(client, .get, "/api/papers/2503.01001/comments")
            #expect((thread.body as? [Any])?.count == 4, "the refused post left nothing behind")

            let grace = try await TestBrowser.member(client, name: "Grace", email: "grace@example.org")
            let other = try await apiRequest(
                client, .post, "/api/papers/2503.01001/comments", token: try await grace.apiToken(),
                json: #"{"body": "Mine"}"#)
            #expect(other.status == .created, "the limit is per member")
        }
    }

    @Test("a password-reset link sets a new password once, ends other sessions, and cannot be forged")
    func passwordReset() async throws {
        let site = try await TestSite.make()
        let app = Application(router: buildRouter(site: site))
        try await app.test(.router) { client in
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            let made = try #require(
                try await site.accounts.passwordResetToken(for: EmailAddress(parsing: "ADA@example.org")))
            #expect(
                try await site.accounts.passwordResetToken(for: EmailAddress(parsing: "nobody@example.org")) == nil)
            let browser = try await TestBrowser.open(client)
            let form = try await browser.get("/reset/\(made.token)")
            #expect(form.status == .ok && String(buffer: form.body).contains("Choose a new password"))
            let forged = try await browser.post("/reset/\(made.token.dropLast(2))xx", ["password": "another long one"])
            #expect(forged.status == .unauthorized)
            let done = try await browser.post("/reset/\(made.token)", ["password": "another long one"])
            #expect(done.status == .ok && String(buffer: done.body).contains("Your new password is set"))
            let reused = try await browser.post("/reset/\(made.token)", ["password": "a third long one"])
            #expect(reused.status == .unauthorized, "the link works once")
            let account = try await ada.get("/account")
            #expect(account.status == .found, "the old session ended")
            let signIn = try await browser.post(
                "/signin", ["email": "ada@example.org", "password": "another long one"])
            #expect(signIn.status == .found && signIn.headers[.location] == "/account")
        }
    }
}

@Suite("The API's micro-cache")
struct ResponseCacheTests {
    @Test("a list answer is reused until something is written or it is a second old")
    func invalidation() async throws {
        let app = Application(router: buildRouter(site: try await TestSite.make()))
        try await app.test(.router) { client in
            let uri = "/api/daily_papers?date=2025-03-12"
            func upvotes() async throws -> [Int?] {
                let list = try await apiRequest(client, .get, uri)
                return (list.body as? [[String: Any]] ?? []).map { ($0["paper"] as? [String: Any])?["upvotes"] as? Int }
            }
            #expect(try await upvotes() == [0, 0])
            let ada = try await TestBrowser.member(client, name: "Ada", email: "ada@example.org")
            let token = try await ada.apiToken()
            _ = try await apiRequest(client, .post, "/api/papers/2503.01001/upvote", token: token)
            #expect(try await upvotes() == [1, 0], "the write emptied the cache")
            #expect(try await upvotes() == [1, 0], "and the new answer is served again")
        }
    }

    @Test("an entry expires after its lifetime and a write drops answers computed across it")
    func expiry() async throws {
        let cache = ResponseCache(lifetime: .milliseconds(50))
        let generation = cache.currentGeneration
        cache.store(ByteBuffer(string: "a"), for: "k", computedAt: generation)
        #expect(cache.answer(for: "k") == ByteBuffer(string: "a"))
        try await Task.sleep(for: .milliseconds(80))
        #expect(cache.answer(for: "k") == nil, "expired")
        let before = cache.currentGeneration
        cache.invalidate()
        cache.store(ByteBuffer(string: "b"), for: "k", computedAt: before)
        #expect(cache.answer(for: "k") == nil, "computed before a write: not kept")
    }
}
