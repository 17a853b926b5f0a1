import Foundation

/// A directory under the system's temporary folder, removed when the value is released.
public final class TemporaryDirectory {
    /// The directory's path.
    public let path: String

    /// Creates a new, empty directory.
    public init() throws {
        self.path = NSTemporaryDirectory() + "paperboy-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
