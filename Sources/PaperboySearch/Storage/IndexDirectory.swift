import Foundation

/// The folder that holds an index: segment files, deletion files and `manifest.json`, the
/// record of the last commit. Files are written whole and synced before the manifest that
/// names them is replaced, and the manifest is replaced by an atomic rename: a crash at any
/// moment leaves the last commit readable.
public final class IndexDirectory: Sendable {
    /// The folder.
    public let path: String

    /// Opens the folder, creating it if needed.
    public init(path: String) throws(SearchError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw SearchError(.indexUnreadable, "cannot create the index folder \(path): \(error.localizedDescription)")
        }
    }

    func filePath(_ name: String) -> String { self.path + "/" + name }

    /// The names of the files in the folder.
    func fileNames() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: self.path)) ?? []
    }

    func fileExists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: self.filePath(name))
    }

    /// Writes a new file and syncs it to disk.
    func writeFile(_ name: String, _ bytes: [UInt8]) throws(SearchError) {
        let path = self.filePath(name)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw SearchError(.indexUnreadable, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let result = write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return nil
        }
        if let failure {
            throw SearchError(.indexUnreadable, "cannot write \(path): \(String(cString: strerror(failure)))")
        }
        guard fsync(descriptor) == 0 else {
            throw SearchError(.indexUnreadable, "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Replaces `name` atomically: write a temporary file, sync it, rename it over, sync the folder.
    func replaceFile(_ name: String, _ bytes: [UInt8]) throws(SearchError) {
        let temporary = name + ".tmp"
        try self.writeFile(temporary, bytes)
        guard rename(self.filePath(temporary), self.filePath(name)) == 0 else {
            throw SearchError(
                .indexUnreadable, "cannot replace \(self.filePath(name)): \(String(cString: strerror(errno)))")
        }
        self.syncFolder()
    }

    /// Syncs the folder itself, so that renames and new names survive a crash.
    func syncFolder() {
        let descriptor = open(self.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    func readFile(_ name: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: self.filePath(name)) else { return nil }
        return [UInt8](data)
    }

    func removeFile(_ name: String) {
        unlink(self.filePath(name))
    }

    /// Takes the folder's write lock, which one writer holds at a time (across processes).
    func lockForWriting() throws(SearchError) -> IndexLock {
        let path = self.filePath("write.lock")
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw SearchError(.indexUnreadable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw SearchError(.indexLocked, "the index \(self.path) is being written by another process")
        }
        return IndexLock(descriptor: descriptor)
    }
}

/// A held write lock, released when the value is.
final class IndexLock: Sendable {
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(self.descriptor, LOCK_UN)
        close(self.descriptor)
    }
}
