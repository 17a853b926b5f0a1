import Hummingbird
import PaperboyModel
import PaperboyServices

/// What a list page, its feed or the list API was asked for: a period (`date`, `week` or
/// `month`; when several are given the most specific wins: date, then week, then month), a sort
/// and a category filter.
struct ListRequest {
    /// The period asked for, or `nil` for the latest announcement day.
    var period: Period?
    /// The order.
    var sort: PaperLists.Sort
    /// Only papers listed in this category.
    var category: String?

    /// Reads the parameters of `request`; `sortNames` maps accepted `sort` values.
    static func of(_ request: Request) throws -> ListRequest {
        var periods: [Period] = []
        if let day = try RequestValues.day(request) { periods.append(.day(day)) }
        for (name, parse) in [("week", Period.week(parsing:)), ("month", Period.month(parsing:))]
            as [(String, (String) throws(ModelError) -> Period)]
        {
            guard let text = RequestValues.parameter(request, name) else { continue }
            do {
                periods.append(try parse(text))
            } catch {
                throw WebError.badRequest(code: "invalid_period", "query parameter '\(name)': \(error.message)")
            }
        }
        return ListRequest(
            period: periods.first, sort: try Self.sort(request), category: try Self.category(request, "cat"))
    }

    /// The `sort` parameter: `publishedAt` (or `date`, `new`) or `trending`.
    static func sort(_ request: Request) throws -> PaperLists.Sort {
        switch RequestValues.parameter(request, "sort") {
        case nil, "publishedAt": return .date
        case "trending": return .trending
        case let other?:
            throw WebError.badRequest(
                code: "invalid_parameter",
                "query parameter 'sort' must be 'publishedAt' or 'trending', not \"\(other)\"")
        }
    }

    /// A category parameter (`cs.LG`, `hep-th`, `physics.comp-ph`), or `nil` when absent or empty
    /// (an emptied filter form).
    static func category(_ request: Request, _ name: String) throws -> String? {
        guard let text = RequestValues.parameter(request, name), !text.isEmpty else { return nil }
        return try Self.checkedCategory(text, source: "query parameter '\(name)'")
    }

    /// `text` when it can be an arXiv category name.
    static func checkedCategory(_ text: String, source: String) throws -> String {
        let allowed = text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "-")
        }
        guard allowed, (1...40).contains(text.utf8.count) else {
            throw WebError.badRequest(
                code: "invalid_category", "\(source): \"\(text)\" is not a category name such as cs.LG or hep-th")
        }
        return text
    }

    /// The query string for these values plus `extra`, e.g. `?week=2025-W09&sort=trending`.
    func query(sort: PaperLists.Sort? = nil, category: String?? = nil, period: Period?? = nil) -> String {
        var pairs: [String] = []
        switch period ?? self.period {
        case .day(let day)?: pairs.append("date=\(day)")
        case .week?: pairs.append("week=\((period ?? self.period)!)")
        case .month?: pairs.append("month=\((period ?? self.period)!)")
        case nil: break
        }
        if (sort ?? self.sort) == .trending { pairs.append("sort=trending") }
        if let category = category ?? self.category { pairs.append("cat=\(category.addingPercentEncodingForQuery())") }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }
}
