import Hummingbird
import PaperboyModel

/// Reading and checking values from requests, with errors that name the parameter.
enum RequestValues {
    /// The `date` query parameter as a day, or `nil` when absent.
    static func day(_ request: Request, parameter: String = "date") throws -> CalendarDay? {
        guard let text = request.uri.queryParameters.get(parameter), !text.isEmpty else { return nil }
        do {
            return try CalendarDay(parsing: text)
        } catch {
            throw WebError.badRequest(code: "invalid_date", "query parameter '\(parameter)': \(error.message)")
        }
    }

    /// An integer query parameter within `range`, or `default` when absent.
    static func integer(
        _ request: Request, _ parameter: String, default value: Int, in range: ClosedRange<Int>
    ) throws -> Int {
        guard let text = request.uri.queryParameters.get(parameter), !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw WebError.badRequest(
                code: "invalid_parameter",
                "query parameter '\(parameter)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\""
            )
        }
        return number
    }

    /// The paper id in a `/…/papers/**` path; old-style ids contain a slash, so it may span two segments.
    static func paperID(_ context: some RequestContext) throws -> PaperID {
        let text = context.parameters.getCatchAll().joined(separator: "/")
        do {
            return try PaperID(parsing: text)
        } catch {
            throw WebError.badRequest(code: "invalid_id", error.message)
        }
    }
}
