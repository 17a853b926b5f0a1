public import Foundation

/// The read-only data folder beside the repository (`../shared`, or `$PAPERBOY_SHARED`), present
/// on the development machines and in CI but not in every clone.
public enum SharedData {
    /// The file at `relativePath` under the shared folder, or `nil` when it is absent.
    public static func url(_ relativePath: String) -> URL? {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shared =
            ProcessInfo.processInfo.environment["PAPERBOY_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? repository.deletingLastPathComponent().appendingPathComponent("shared")
        let url = shared.appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
