import Hummingbird
import PaperboyServices

/// The search parameters every search route reads: `mode=keyword|semantic|hybrid` (absent: the
/// site's default) and `match=any|all` (how the words combine). The old `mode=or|and` still
/// means `match=any|all`.
enum SearchParameters {
    static func read(_ request: Request) throws -> (mode: SearchMode?, match: SearchMatch) {
        switch RequestValues.parameter(request, "mode") {
        case "or": return (nil, try self.value(request, "match") ?? .any)
        case "and": return (nil, try self.value(request, "match") ?? .all)
        default: return (try self.value(request, "mode"), try self.value(request, "match") ?? .any)
        }
    }

    /// The parameter `name` as one of `Value`'s cases; nil when absent.
    private static func value<Value: RawRepresentable & CaseIterable>(
        _ request: Request, _ name: String
    ) throws -> Value? where Value.RawValue == String {
        guard let text = RequestValues.parameter(request, name) else { return nil }
        guard let value = Value(rawValue: text) else {
            let names = Value.allCases.map { "'\($0.rawValue)'" }
            throw WebError.badRequest(
                code: "invalid_parameter",
                "query parameter '\(name)' must be \(names.dropLast().joined(separator: ", ")) or \(names.last!), not \"\(text.prefix(40))\""
            )
        }
        return value
    }
}
