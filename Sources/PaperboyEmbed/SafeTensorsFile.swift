import Foundation

/// A safetensors file mapped into memory: an 8-byte little-endian header length, a JSON header
/// naming each tensor's type, shape and byte range, then the raw tensors. Only the header is
/// parsed when the file is opened; a tensor's bytes are read from the mapping when it is asked for
/// (so a model loads only the tensors it uses, and the mapping goes when the file object does).
public final class SafeTensorsFile: @unchecked Sendable {
    // Unchecked: the mapping is read-only and lives as long as the object; nothing mutates.

    /// One tensor's entry in the header.
    public struct Tensor: Sendable, Hashable {
        /// The element type as the file names it (`F32`, `I64`, …).
        public let dtype: String
        /// The dimensions, outermost first.
        public let shape: [Int]
        /// The byte range within the data that follows the header.
        public let byteRange: Range<Int>
    }

    /// The file's path, for messages.
    public let path: String
    /// Every tensor, by name.
    public let tensors: [String: Tensor]
    private let base: UnsafeMutableRawPointer
    private let length: Int
    private let dataStart: Int

    /// Maps the file at `path` and reads its header.
    public init(path: String) throws(EmbedError) {
        self.path = path
        let name = (path as NSString).lastPathComponent
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw EmbedError(.fileUnreadable, "\(path): cannot open (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw EmbedError(.fileUnreadable, "\(path): cannot stat (\(String(cString: strerror(errno))))")
        }
        let length = Int(status.st_size)
        guard length >= 8 else { throw EmbedError(.fileMalformed, "\(name): \(length) bytes, too short for a header") }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw EmbedError(.fileUnreadable, "\(path): cannot map (\(String(cString: strerror(errno))))")
        }
        self.base = mapped
        self.length = length
        var headerLength = 0
        for index in 0..<8 { headerLength |= Int(mapped.load(fromByteOffset: index, as: UInt8.self)) << (8 * index) }
        guard headerLength > 1, headerLength <= length - 8, headerLength < 100_000_000 else {
            munmap(mapped, length)
            throw EmbedError(
                .fileMalformed, "\(name): header length \(headerLength) does not fit a \(length)-byte file")
        }
        self.dataStart = 8 + headerLength
        let header = Data(bytes: mapped + 8, count: headerLength)
        do {
            self.tensors = try Self.parseHeader(header, dataLength: length - 8 - headerLength, name: name)
        } catch {
            munmap(mapped, length)
            throw error
        }
    }

    deinit { munmap(self.base, self.length) }

    private static func parseHeader(
        _ header: Data, dataLength: Int, name: String
    ) throws(EmbedError) -> [String: Tensor] {
        guard let object = (try? JSONSerialization.jsonObject(with: header)) as? [String: Any] else {
            throw EmbedError(.fileMalformed, "\(name): the header is not a JSON object")
        }
        var tensors: [String: Tensor] = [:]
        for (key, value) in object where key != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw EmbedError(.fileMalformed, "\(name): tensor '\(key)' lacks dtype, shape or data_offsets") }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataLength else {
                throw EmbedError(
                    .fileMalformed, "\(name): tensor '\(key)' spans bytes \(offsets[0])–\(offsets[1]) of \(dataLength)")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw EmbedError(.fileMalformed, "\(name): tensor '\(key)' has a negative dimension \(shape)")
            }
            tensors[key] = Tensor(dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
        }
        return tensors
    }

    /// The float32 tensor `name`, checked to have `shape`, copied out of the mapping (any alignment).
    public func floats(_ name: String, shape: [Int]) throws(EmbedError) -> [Float] {
        let file = (self.path as NSString).lastPathComponent
        guard let tensor = self.tensors[name] else {
            throw EmbedError(.unsupportedModel, "\(file): no tensor '\(name)'")
        }
        guard tensor.dtype == "F32" else {
            throw EmbedError(.unsupportedModel, "\(file): tensor '\(name)' is \(tensor.dtype), expected F32")
        }
        guard tensor.shape == shape else {
            throw EmbedError(.unsupportedModel, "\(file): tensor '\(name)' is \(tensor.shape), expected \(shape)")
        }
        let count = shape.reduce(1, *)
        guard tensor.byteRange.count == count * MemoryLayout<Float>.size else {
            throw EmbedError(
                .fileMalformed, "\(file): tensor '\(name)' has \(tensor.byteRange.count) bytes for \(count) floats")
        }
        let start = UnsafeRawPointer(self.base + self.dataStart + tensor.byteRange.lowerBound)
        // safetensors is little-endian, as is every machine this runs on.
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
                from: UnsafeRawBufferPointer(start: start, count: count * 4))
            initialized = count
        }
    }
}
