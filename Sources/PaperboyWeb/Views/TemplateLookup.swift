import Mustache
import PaperboyModel

// Templates look names up on view models. Without these, swift-mustache reflects every view with
// `Mirror` on every lookup, which was nine tenths of the time of a 100-paper list. The names are
// the properties' names; `nil` sends the lookup up the context stack, as with reflection.

extension PaperItemView: MustacheParent {
    func child(named name: String) -> Any? { name == "html" ? self.html : nil }
}

extension ListPageView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "query": self.query
        case "kicker": self.kicker
        case "heading": self.heading
        case "subheading": self.subheading
        case "isoDate": self.isoDate
        case "previous": self.previous
        case "next": self.next
        case "hasPeriodNavigation": self.hasPeriodNavigation
        case "views": self.views
        case "sorts": self.sorts
        case "hasViews": self.hasViews
        case "hasSorts": self.hasSorts
        case "filter": self.filter
        case "feedAtom": self.feedAtom
        case "feedJSON": self.feedJSON
        case "chartSVG": self.chartSVG
        case "empty": self.empty
        case "emptyMessage": self.emptyMessage
        case "papers": self.papers
        // The items written in Swift, joined once: a section over 100 items cost Mustache a
        // lookup walk per item.
        case "papersHTML": self.papers.map(\.html).joined()
        case "previousPage": self.previousPage
        case "nextPage": self.nextPage
        default: nil
        }
    }
}

extension ListPageView.LinkView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "url": self.url
        case "label": self.label
        case "current": self.current
        default: nil
        }
    }
}

extension SearchPageView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "query": self.query
        case "error": self.error
        case "indexing": self.indexing
        case "partial": self.partial
        case "queryURL": self.queryURL
        case "totalLabel": self.totalLabel
        case "empty": self.empty
        case "results": self.results
        case "resultsHTML": self.results.map(\.html).joined()
        case "previousPage": self.previousPage
        case "nextPage": self.nextPage
        case "modes": self.modes
        case "modeNote": self.modeNote
        case "pageSuffix": self.pageSuffix
        default: nil
        }
    }
}

extension SearchPageView.ModeLink: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "mode": self.mode
        case "url": self.url
        case "current": self.current
        case "available": self.available
        default: nil
        }
    }
}
