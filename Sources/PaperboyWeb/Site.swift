import Foundation
import Hummingbird
import Mustache
public import PaperboyServices
public import PaperboyStore

/// Everything the web layer needs to answer requests: the store, the search, the templates.
public struct Site: Sendable {
    /// The paper store.
    public let store: any PaperStore
    /// The search index.
    public let index: PaperIndex
    /// Paper search over ``index`` and ``store``.
    public let search: PaperSearch
    /// Accounts and sessions.
    public let accounts: AccountService
    /// Upvotes.
    public let votes: any VoteStore
    /// The key that signs CSRF tokens (and later links in mails).
    let secret: [UInt8]
    /// The page templates.
    let templates: MustacheLibrary
    /// The stylesheet, served from memory.
    let stylesheet: String

    /// Creates a site over a store and its index, loading the bundled templates.
    ///
    /// - Parameters:
    ///   - members: where accounts live (default: the paper store when it is also a member store,
    ///     else memory).
    ///   - secret: the signing key (default: a random one, so forms rendered before a restart
    ///     must be reloaded).
    ///   - bcryptCost: bcrypt's cost for new passwords (tests lower it).
    public init(
        store: any PaperStore, index: PaperIndex, members: (any MemberStore)? = nil, votes: (any VoteStore)? = nil,
        secret: [UInt8]? = nil, bcryptCost: UInt8 = 12
    ) async throws {
        self.votes = votes ?? (store as? any VoteStore) ?? MemoryVoteStore()
        self.store = store
        self.index = index
        let memberStore = members ?? (store as? any MemberStore) ?? MemoryMemberStore()
        self.accounts = AccountService(store: memberStore, cost: bcryptCost)
        var generator = SystemRandomNumberGenerator()
        self.secret = secret ?? (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        self.search = PaperSearch(index: index, store: store)
        guard let templates = Bundle.module.url(forResource: "templates", withExtension: nil),
            let stylesheet = Bundle.module.url(forResource: "static/style", withExtension: "css")
        else {
            throw WebError(.internalServerError, code: "missing_resources", "the bundled templates are missing")
        }
        self.templates = try await MustacheLibrary(directory: templates.path)
        self.stylesheet = try String(contentsOf: stylesheet, encoding: .utf8)
    }

    /// Renders a template with a view.
    func render(_ template: String, _ view: Any) throws -> String {
        guard let html = self.templates.render(view, withTemplate: template) else {
            throw WebError(.internalServerError, code: "missing_template", "no template named \(template)")
        }
        return html
    }
}
