import Foundation
import Hummingbird
import NIOCore
import PaperboyModel

/// Reading and checking values from requests, with errors that name the parameter.
enum RequestValues {
    /// The query parameter `name` decoded as a form value (`+` is a space, `%2B` a plus), or `nil`.
    static func parameter(_ request: Request, _ name: String) -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.formDecode(parts[0]) == name else { continue }
            return parts.count > 1 ? Self.formDecode(parts[1]) : ""
        }
        return nil
    }

    /// `+` as space, then `%XX` escapes; malformed escapes are kept as written.
    static func formDecode(_ text: Substring) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Self.hexValue(bytes[index + 1]), let low = Self.hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The `date` query parameter as a day, or `nil` when absent.
    static func day(_ request: Request, parameter: String = "date") throws -> CalendarDay? {
        guard let text = Self.parameter(request, parameter) else { return nil }
        guard text.utf8.count == 10 else {
            throw WebError.badRequest(
                code: "invalid_date", "query parameter '\(parameter)': \"\(text)\" is not a date of the form YYYY-MM-DD"
            )
        }
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
        guard let text = Self.parameter(request, parameter) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw WebError.badRequest(
                code: "invalid_parameter",
                "query parameter '\(parameter)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\""
            )
        }
        return number
    }

    /// The request's body, at most 1 MiB (a 10,000-character comment, percent- or \u-escaped, is
    /// well under it); larger is a 413.
    static func body(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: 1_024 * 1_024)
        } catch is NIOTooManyBytesError {
            throw WebError(.contentTooLarge, code: "too_large", "the body is larger than 1 MiB")
        }
    }

    /// Refuses query parameters other than `allowed` (API requests, where a misspelt parameter
    /// would otherwise be silently ignored).
    static func checkParameters(_ request: Request, allowed: Set<String>) throws {
        guard let query = request.uri.query, !query.isEmpty else { return }
        for pair in query.split(separator: "&") {
            let name = Self.formDecode(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
            guard allowed.contains(name) else {
                let known = allowed.isEmpty ? "it takes none" : "it takes " + allowed.sorted().joined(separator: ", ")
                throw WebError.badRequest(
                    code: "unknown_parameter", "unknown query parameter '\(name)' (\(known))")
            }
        }
    }

    /// The paper id in a `/…/papers/**` path; old-style ids contain a slash, so it may span two segments.
    static func paperID(_ context: some RequestContext) throws -> PaperID {
        let joined = context.parameters.getCatchAll().joined(separator: "/")
        // Links percent-encode what is not plainly part of a path (PaperID.pathComponent).
        let text = joined.removingPercentEncoding ?? joined
        do {
            return try PaperID(parsing: text)
        } catch {
            throw WebError.badRequest(code: "invalid_id", error.message)
        }
    }

    /// Where to send the browser back to after a form post: the path and query of the `Referer`
    /// when it names a page of this site (a path with one leading slash, no backslash, no
    /// control characters), else `fallback`. `http://x//evil.com/`, `/\\evil.com` and
    /// `///evil.com` never lead off the site.
    static func returnPath(_ request: Request, fallback: String) -> String {
        guard let referer = request.headers[.referer], referer.utf8.count <= 2_048,
            let components = URLComponents(string: referer)
        else { return fallback }
        let path = components.percentEncodedPath
        guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
            !path.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else { return fallback }
        if let query = components.percentEncodedQuery, !query.isEmpty,
            !query.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        {
            return path + "?" + query
        }
        return path
    }
}
