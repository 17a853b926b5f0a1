import Hummingbird
import PaperboyServices

/// The search parameters every search route reads: `mode=keyword|semantic|hybrid` (absent: the
/// site's default) and `match=any|all` (how the words combine). The old `mode=or|and` still
/// means `match=any|all`.
enum SearchParameters {
    static func read(_ request: Request) throws -> (mode: SearchMode?, match: SearchMatch) {
        var mode: SearchMode?
        var match = SearchMatch.any
        switch RequestValues.parameter(request, "mode") {
        case nil: break
        case "or": match = .any
        case "and": match = .all
        case let value?:
            guard let known = SearchMode(rawValue: value) else {
                throw WebError.badRequest(
                    code: "invalid_parameter",
                    "query parameter 'mode' must be 'keyword', 'semantic' or 'hybrid', not \"\(value.prefix(40))\"")
            }
            mode = known
        }
        switch RequestValues.parameter(request, "match") {
        case nil: break
        case let value?:
            guard let known = SearchMatch(rawValue: value) else {
                throw WebError.badRequest(
                    code: "invalid_parameter",
                    "query parameter 'match' must be 'any' or 'all', not \"\(value.prefix(40))\"")
            }
            match = known
        }
        return (mode, match)
    }
}
