import Foundation

/// The read-only data folder beside the repository (`../shared`), present on the development
/// machines and in CI but not in every clone.
enum SharedData {
    /// The file at `relativePath` under `../shared`, or `nil` when it is absent.
    static func url(_ relativePath: String) -> URL? {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("shared").appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
