import NIOCore

/// Writes the API's list answers straight into a byte buffer: the daily-papers shape is what every
/// list and search sends, and Foundation's `JSONEncoder` took a sixth of a search request's time.
/// Output matches what `JSONEncoder` with sorted keys and unescaped slashes writes.
struct JSONWriter {
    private(set) var buffer: ByteBuffer

    init(capacity: Int = 16_384) {
        self.buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// `[{"numComments", "paper": {…}, "publishedAt", "submittedBy"?, "summary", "title"}, …]`.
    static func dailyPapers(_ items: [HFDailyPaper]) -> ByteBuffer {
        var writer = JSONWriter(capacity: 1_024 + items.reduce(0) { $0 + $1.summary.utf8.count * 2 + 512 })
        writer.raw("[")
        for (index, item) in items.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"numComments\":")
            writer.number(item.numComments)
            writer.raw(",\"paper\":")
            writer.paper(item.paper)
            writer.raw(",\"publishedAt\":")
            writer.string(item.publishedAt)
            if let submitter = item.submittedBy {
                writer.raw(",\"submittedBy\":{\"fullname\":")
                writer.string(submitter.fullname)
                writer.raw(",\"name\":")
                writer.string(submitter.name)
                writer.raw("}")
            }
            writer.raw(",\"summary\":")
            writer.string(item.summary)
            writer.raw(",\"title\":")
            writer.string(item.title)
            writer.raw("}")
        }
        writer.raw("]")
        return writer.buffer
    }

    /// `{"authors": [{"name"}], "categories", "id", "publishedAt", "summary", "title", "upvotes"}`.
    mutating func paper(_ paper: HFPaper) {
        self.raw("{\"authors\":[")
        for (index, author) in paper.authors.enumerated() {
            self.raw(index == 0 ? "{\"name\":" : ",{\"name\":")
            self.string(author.name)
            self.raw("}")
        }
        self.raw("],\"categories\":[")
        for (index, category) in paper.categories.enumerated() {
            if index > 0 { self.raw(",") }
            self.string(category)
        }
        self.raw("],\"id\":")
        self.string(paper.id)
        self.raw(",\"publishedAt\":")
        self.string(paper.publishedAt)
        self.raw(",\"summary\":")
        self.string(paper.summary)
        self.raw(",\"title\":")
        self.string(paper.title)
        self.raw(",\"upvotes\":")
        self.number(paper.upvotes)
        self.raw("}")
    }

    mutating func raw(_ text: StaticString) {
        self.buffer.writeStaticString(text)
    }

    mutating func number(_ value: Int) {
        self.buffer.writeString(String(value))
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`… or `\u00XX`;
    /// everything else as UTF-8.
    mutating func string(_ text: String) {
        self.buffer.writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                self.buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<index]))
                switch byte {
                case UInt8(ascii: "\""): self.buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): self.buffer.writeStaticString("\\\\")
                case 0x0A: self.buffer.writeStaticString("\\n")
                case 0x0D: self.buffer.writeStaticString("\\r")
                case 0x09: self.buffer.writeStaticString("\\t")
                case 0x08: self.buffer.writeStaticString("\\b")
                case 0x0C: self.buffer.writeStaticString("\\f")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    self.buffer.writeStaticString("\\u00")
                    self.buffer.writeInteger(hex[Int(byte >> 4)])
                    self.buffer.writeInteger(hex[Int(byte & 0x0F)])
                }
                start = index + 1
            }
            self.buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start..<bytes.count]))
        }
        self.buffer.writeInteger(UInt8(ascii: "\""))
    }
}
