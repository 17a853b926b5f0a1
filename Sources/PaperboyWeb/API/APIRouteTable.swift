import Foundation

/// The API's paths and methods as the OpenAPI document lists them, to answer a known path asked
/// with another method by 405 and an `Allow` header rather than 404.
struct APIRouteTable: Sendable {
    private let routes: [(segments: [String], methods: [String])]

    /// Reads the `paths` of an OpenAPI document.
    init(openAPI: String) throws {
        let document = try JSONSerialization.jsonObject(with: Data(openAPI.utf8)) as? [String: Any]
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        self.routes = paths.map { path, operations in
            (path.split(separator: "/").map(String.init), operations.keys.map { $0.uppercased() }.sorted())
        }
    }

    /// The methods the document allows on `path`, or `nil` when it lists no such path.
    func methods(for path: String) -> [String]? {
        let parts = path.split(separator: "/").map(String.init)
        var allowed = Set<String>()
        for route in self.routes where Self.matches(route.segments[...], parts[...]) {
            allowed.formUnion(route.methods)
        }
        return allowed.isEmpty ? nil : allowed.sorted()
    }

    /// Whether `parts` fit `segments`; `{paperId}` may take two parts (old-style ids have a slash).
    private static func matches(_ segments: ArraySlice<String>, _ parts: ArraySlice<String>) -> Bool {
        guard let segment = segments.first else { return parts.isEmpty }
        guard let part = parts.first else { return false }
        if segment == "{paperId}" {
            // An old-style id's archive has no digits ("hep-th/9901001").
            let archive = !part.contains(where: \.isNumber)
            return Self.matches(segments.dropFirst(), parts.dropFirst())
                || (archive && parts.count > 1 && Self.matches(segments.dropFirst(), parts.dropFirst(2)))
        }
        guard segment.hasPrefix("{") || segment == part else { return false }
        return Self.matches(segments.dropFirst(), parts.dropFirst())
    }
}
