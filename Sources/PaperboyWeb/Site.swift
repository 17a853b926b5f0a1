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
    /// The page templates.
    let templates: MustacheLibrary
    /// The stylesheet, served from memory.
    let stylesheet: String

    /// Creates a site over a store and its index, loading the bundled templates.
    public init(store: any PaperStore, index: PaperIndex) async throws {
        self.store = store
        self.index = index
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
