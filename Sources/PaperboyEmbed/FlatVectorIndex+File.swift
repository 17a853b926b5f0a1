import Foundation

/// The vector file: `PBVECTR1`, the dimension and count (little-endian UInt32, UInt64), a length
/// (UInt32) and that many bytes of user data (e.g. the store sequence reached), then each key as
/// a UInt32 length and UTF-8, then the float32 vectors in slot order. Written to a temporary file,
/// flushed and renamed over the old one, so a reader sees the old file or the new, whole.
extension FlatVectorIndex {
    static let magic = Array("PBVECTR1".utf8)

    /// Writes the index and `userData` to `path`, replacing what was there in one step.
    ///
    /// - Throws: ``EmbedError`` when the file cannot be written.
    public func write(to path: String, userData: [String: String]) throws(EmbedError) {
        var data = Data(Self.magic)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        append(UInt32(self.dimension))
        append(UInt64(self.count))
        let user = (try? JSONEncoder().encode(userData)) ?? Data("{}".utf8)
        append(UInt32(user.count))
        data.append(user)
        for key in self.keys {
            append(UInt32(key.utf8.count))
            data.append(contentsOf: key.utf8)
        }
        data.reserveCapacity(data.count + self.count * self.dimension * 4)
        for slot in 0..<self.count {
            for value in self.vector(at: slot) { append(value.bitPattern) }
        }
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw EmbedError(.fileUnreadable, "\(temporary): cannot be created") }
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary, path) != 0 {
                throw EmbedError(.fileUnreadable, "\(path): cannot be replaced (errno \(errno))")
            }
        } catch let error as EmbedError {
            unlink(temporary)
            throw error
        } catch {
            unlink(temporary)
            throw EmbedError(.fileUnreadable, "\(temporary): \(error)")
        }
    }

    /// Reads a vector file written by ``write(to:userData:)``; nil when there is none.
    ///
    /// - Throws: ``EmbedError`` (`fileMalformed`, with the offset) for a file that is cut short or
    ///   not a vector file.
    public static func read(path: String) throws(EmbedError) -> (index: FlatVectorIndex, userData: [String: String])? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EmbedError(.fileUnreadable, "\(path): cannot be read")
        }
        var offset = 0
        func bad(_ what: String) -> EmbedError {
            EmbedError(.fileMalformed, "\(path): \(what) at byte \(offset)")
        }
        func take(_ count: Int) throws(EmbedError) -> Data {
            guard count >= 0, offset + count <= data.count else { throw bad("cut short") }
            defer { offset += count }
            return data.subdata(in: offset..<offset + count)
        }
        func integer<T: FixedWidthInteger>(_: T.Type) throws(EmbedError) -> T {
            let bytes = try take(MemoryLayout<T>.size)
            return T(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) })
        }
        guard Array(try take(Self.magic.count)) == Self.magic else { throw bad("not a vector file") }
        let dimension = Int(try integer(UInt32.self))
        let count = try integer(UInt64.self)
        guard dimension > 0, dimension <= 65_536, count <= UInt64(data.count) else { throw bad("impossible sizes") }
        let user = try take(Int(try integer(UInt32.self)))
        guard let userData = try? JSONDecoder().decode([String: String].self, from: user) else {
            throw bad("user data is not a JSON object of strings")
        }
        var keys: [String] = []
        keys.reserveCapacity(Int(count))
        for _ in 0..<count {
            let length = Int(try integer(UInt32.self))
            guard let key = String(data: try take(length), encoding: .utf8) else { throw bad("a key is not UTF-8") }
            keys.append(key)
        }
        let floats = try take(Int(count) * dimension * 4)
        guard offset == data.count else { throw bad("trailing bytes") }
        var index = FlatVectorIndex(dimension: dimension)
        floats.withUnsafeBytes { raw in
            for (slot, key) in keys.enumerated() {
                let vector = (0..<dimension).map {
                    Float(
                        bitPattern: UInt32(
                            littleEndian: raw.loadUnaligned(
                                fromByteOffset: (slot * dimension + $0) * 4, as: UInt32.self)))
                }
                index.set(key, vector)
            }
        }
        return (index, userData)
    }
}
