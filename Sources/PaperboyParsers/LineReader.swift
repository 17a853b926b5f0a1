import CZlib
import Foundation

/// Reads a text file line by line, in large chunks, decompressing gzip on the fly when the file
/// starts with gzip's magic bytes. Lines end at `\n`; a trailing `\r` is dropped.
///
/// Pull lines with ``next()``; the bytes of a line are valid until the following call.
public final class LineReader {
    /// A line: its 1-based number and its bytes, without the line break.
    public struct Line {
        /// The 1-based line number.
        public let number: Int
        /// The bytes; valid until the next call to ``LineReader/next()``.
        public let bytes: UnsafeBufferPointer<UInt8>

        /// The line as text.
        public var text: String { String(decoding: self.bytes, as: UTF8.self) }
    }

    /// The file being read.
    public let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var inflater: Inflater?
    /// Decoded bytes; `buffer[start..<end]` is not yet handed out.
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var lineNumber = 0
    private var fileSize: Int64 = 0

    /// Opens `path`.
    ///
    /// - Throws: ``ParseError`` with code `unreadable` when the file cannot be opened.
    public init(path: String, chunkSize: Int = 1 << 20) throws(ParseError) {
        self.path = path
        guard let file = fopen(path, "rb") else {
            throw ParseError(.unreadable, source: path, reason: String(cString: strerror(errno)))
        }
        self.file = file
        self.buffer = .allocate(capacity: max(chunkSize, 16))
        var status = stat()
        if fstat(fileno(file), &status) == 0 { self.fileSize = Int64(status.st_size) }
        let magic = (getc(file), getc(file))
        rewind(file)
        if magic == (0x1F, 0x8B) {
            do {
                self.inflater = try Inflater(source: path, file: file, chunkSize: chunkSize)
            } catch {
                fclose(file)
                self.buffer.deallocate()
                throw error
            }
        }
    }

    deinit {
        self.inflater?.end()
        fclose(self.file)
        self.buffer.deallocate()
    }

    /// How much of the file has been read, from 0 to 1 (compressed bytes for gzip), or `nil` when
    /// the size is unknown (a pipe).
    public var fractionRead: Double? {
        guard self.fileSize > 0 else { return nil }
        return min(1, Double(ftello(self.file)) / Double(self.fileSize))
    }

    /// The next line, or `nil` at the end of the file.
    ///
    /// - Throws: ``ParseError`` when reading fails or the compressed data is damaged.
    public func next() throws(ParseError) -> Line? {
        while true {
            let base = self.buffer.baseAddress!
            if self.start < self.end, let found = memchr(base + self.start, 0x0A, self.end - self.start) {
                let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let line = self.line(from: self.start, to: newline)
                self.start = newline + 1
                return line
            }
            if self.atEOF {
                guard self.start < self.end else { return nil }
                let line = self.line(from: self.start, to: self.end)
                self.start = self.end
                return line
            }
            try self.refill()
        }
    }

    /// Calls `body` with every remaining line.
    public func forEachLine(_ body: (Line) throws -> Void) throws {
        while let line = try self.next() { try body(line) }
    }

    /// The rest of the file as text (decompressed), for formats read in one piece.
    public func readAll() throws(ParseError) -> String {
        var bytes: [UInt8] = []
        while let line = try self.next() {
            bytes.append(contentsOf: line.bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func line(from lower: Int, to upper: Int) -> Line {
        self.lineNumber += 1
        var upper = upper
        if upper > lower, self.buffer[upper - 1] == 0x0D { upper -= 1 }
        return Line(number: self.lineNumber, bytes: UnsafeBufferPointer(rebasing: self.buffer[lower..<upper]))
    }

    /// Moves the unread bytes to the front, grows the buffer if one line fills it, and reads more.
    private func refill() throws(ParseError) {
        if self.start > 0 {
            let remaining = self.end - self.start
            if remaining > 0 {
                memmove(self.buffer.baseAddress!, self.buffer.baseAddress! + self.start, remaining)
            }
            self.start = 0
            self.end = remaining
        }
        if self.end == self.buffer.count {
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: self.buffer.count * 2)
            _ = larger.initialize(fromContentsOf: self.buffer)
            self.buffer.deallocate()
            self.buffer = larger
        }
        let space = UnsafeMutableBufferPointer(rebasing: self.buffer[self.end...])
        let produced: Int
        if self.inflater != nil {
            produced = try self.inflater!.inflate(into: space)
        } else {
            produced = fread(space.baseAddress, 1, space.count, self.file)
            if produced == 0, ferror(self.file) != 0 {
                throw ParseError(.unreadable, source: self.path, reason: String(cString: strerror(errno)))
            }
        }
        if produced == 0 { self.atEOF = true }
        self.end += produced
    }
}

/// A zlib inflate stream over a file that accepts gzip (several members too) and zlib data.
///
/// The `z_stream` lives at a fixed heap address: zlib keeps a pointer back to it, so it must
/// never move once initialised.
struct Inflater {
    private let streamPointer: UnsafeMutablePointer<z_stream>
    private var stream: z_stream {
        get { self.streamPointer.pointee }
        nonmutating _modify { yield &self.streamPointer.pointee }
    }
    private let source: String
    private let file: UnsafeMutablePointer<FILE>
    private var input: UnsafeMutableBufferPointer<UInt8>
    private var atMemberEnd = false
    private var fileEnded = false

    init(source: String, file: UnsafeMutablePointer<FILE>, chunkSize: Int) throws(ParseError) {
        self.source = source
        self.file = file
        self.input = .allocate(capacity: chunkSize)
        self.streamPointer = .allocate(capacity: 1)
        self.streamPointer.initialize(to: z_stream())
        // 15 + 32: the largest window, and detect a gzip or a zlib header automatically.
        let status = inflateInit2_(self.streamPointer, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            self.input.deallocate()
            self.streamPointer.deallocate()
            throw ParseError(.corruptCompression, source: source, reason: "zlib would not start (status \(status))")
        }
    }

    /// Fills `output` with as many decompressed bytes as are available; 0 means the end.
    mutating func inflate(into output: UnsafeMutableBufferPointer<UInt8>) throws(ParseError) -> Int {
        self.stream.next_out = output.baseAddress
        self.stream.avail_out = UInt32(output.count)
        while self.stream.avail_out > 0 {
            if self.stream.avail_in == 0 && !self.fileEnded {
                let count = fread(self.input.baseAddress, 1, self.input.count, self.file)
                if count == 0 {
                    if ferror(self.file) != 0 {
                        throw ParseError(.unreadable, source: self.source, reason: String(cString: strerror(errno)))
                    }
                    self.fileEnded = true
                }
                self.stream.next_in = self.input.baseAddress
                self.stream.avail_in = UInt32(count)
            }
            if self.stream.avail_in == 0 && self.fileEnded {
                // Hand out what was decoded first; the next call reports a cut-off stream.
                guard self.atMemberEnd || Int(self.stream.avail_out) < output.count else {
                    throw ParseError(
                        .corruptCompression, source: self.source, reason: "the gzip data ends early (truncated file?)")
                }
                break
            }
            if self.atMemberEnd {
                // Another gzip member follows the one that ended.
                inflateReset(self.streamPointer)
                self.atMemberEnd = false
            }
            let status = CZlib.inflate(self.streamPointer, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR: break
            case Z_STREAM_END: self.atMemberEnd = true
            default:
                let message = self.stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw ParseError(.corruptCompression, source: self.source, reason: "damaged gzip data: \(message)")
            }
        }
        return output.count - Int(self.stream.avail_out)
    }

    mutating func end() {
        inflateEnd(self.streamPointer)
        self.streamPointer.deallocate()
        self.input.deallocate()
    }
}
