import Foundation

/// A read-only file mapped into memory, unmapped when released. Searchers read segments through
/// it, so the operating system's page cache holds the index and no copy is made.
final class MappedFile: @unchecked Sendable {
    // Safe to share: the mapping is read-only and lives until deinit; nothing mutates it.
    let path: String
    let base: UnsafeRawPointer
    let count: Int

    init(path: String) throws(SearchError) {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw SearchError(.indexUnreadable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw SearchError(.indexUnreadable, "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        guard size > 0 else { throw SearchError(.indexCorrupt, "\(path) is empty") }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw SearchError(.indexUnreadable, "cannot map \(path): \(String(cString: strerror(errno)))")
        }
        self.base = UnsafeRawPointer(mapped)
        self.count = size
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: self.base), self.count)
    }
}
