import Foundation

/// Splits text into ``Word``s, working on UTF-8 bytes:
///
/// - a word is a run of letters, digits and combining marks, lower-cased and folded (NFKD with
///   marks dropped, ß as ss, Greek letters by name: "Über" → `uber`, "ﬁ" → `fi`, "α" → `alpha`);
/// - a hyphen or en dash between word characters joins parts: `self-supervised` gives `self` and
///   `supervised` at consecutive positions and their joined form `selfsupervised` as a synonym
///   at the first part's position (so "selfsupervised" and "self supervised" both find it);
/// - an apostrophe between letters stays in the word (`don't`, `model's`), as does a dot between
///   digits (`2.5`, `v1.2`);
/// - a leftover LaTeX command names a word (`\alpha` → `alpha`, `\ell` → `ell`) unless it only
///   styles text (`\mathcal`, `\textbf`…), which is dropped;
/// - words longer than ``maxWordBytes`` are dropped (hashes, encodings).
public enum Tokenizer {
    /// The longest word kept, in bytes.
    public static let maxWordBytes = 64

    /// Calls `body` with each word of `text`.
    public static func words(in text: String, _ body: (Word) -> Void) {
        var text = text
        text.withUTF8 { source in
            var state = State()
            state.run(source, body)
        }
    }

    enum Class {
        case word, foreignWord, hyphen, apostrophe, dot, backslash, other
    }

    private struct Part {
        var start: Int  // in scratch
        var end: Int
        var sourceStart: Int
        var sourceEnd: Int
        var foreign: Bool
    }

    private struct State {
        var scratch: [UInt8] = []
        var parts: [Part] = []
        var position = 0

        init() {
            self.scratch.reserveCapacity(256)
            self.parts.reserveCapacity(8)
        }

        mutating func run(_ source: UnsafeBufferPointer<UInt8>, _ body: (Word) -> Void) {
            var index = 0
            let count = source.count
            while index < count {
                let byte = source[index]
                if byte == 0x20 || byte == 0x2C || byte == 0x28 || byte == 0x29 {
                    index += 1  // the commonest separators: space, comma, parentheses
                    continue
                }
                let (kind, length) = Tokenizer.classify(source, index)
                switch kind {
                case .word, .foreignWord:
                    index = self.readChunk(source, from: index, body)
                case .backslash:
                    index = self.readCommand(source, from: index, body)
                default:
                    index += length
                }
            }
        }

        /// Reads a chunk of joined parts starting at a word character; returns where it ended.
        mutating func readChunk(_ source: UnsafeBufferPointer<UInt8>, from start: Int, _ body: (Word) -> Void) -> Int {
            self.scratch.removeAll(keepingCapacity: true)
            self.parts.removeAll(keepingCapacity: true)
            var part = Part(start: 0, end: 0, sourceStart: start, sourceEnd: start, foreign: false)
            var index = start
            let count = source.count
            var previousByte: UInt8 = 0
            while index < count {
                // Fast path: a run of ASCII letters and digits.
                var byte = source[index]
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) {
                    repeat {
                        self.scratch.append(byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte)
                        previousByte = byte
                        index += 1
                        guard index < count else { break }
                        byte = source[index]
                    } while (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                        || (byte >= 0x41 && byte <= 0x5A)
                    continue
                }
                let (kind, length) = Tokenizer.classify(source, index)
                switch kind {
                case .word:
                    let byte = source[index]
                    self.scratch.append(byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte)
                    previousByte = byte
                    index += length
                    continue
                case .foreignWord:
                    self.scratch.append(contentsOf: UnsafeBufferPointer(rebasing: source[index..<(index + length)]))
                    part.foreign = true
                    previousByte = 0xFF
                    index += length
                    continue
                case .hyphen:
                    guard index + length < count, Tokenizer.isWordStart(source, index + length) else { break }
                    part.end = self.scratch.count
                    part.sourceEnd = index
                    self.parts.append(part)
                    part = Part(
                        start: self.scratch.count, end: 0, sourceStart: index + length, sourceEnd: 0, foreign: false)
                    index += length
                    continue
                case .apostrophe:
                    guard Tokenizer.isLetter(previousByte), index + length < count,
                        Tokenizer.isLetterStart(source, index + length)
                    else { break }
                    self.scratch.append(0x27)
                    previousByte = 0x27
                    index += length
                    continue
                case .dot:
                    guard Tokenizer.isDigit(previousByte), index + 1 < count, Tokenizer.isDigit(source[index + 1])
                    else { break }
                    self.scratch.append(0x2E)
                    previousByte = 0x2E
                    index += length
                    continue
                default:
                    break
                }
                break
            }
            part.end = self.scratch.count
            part.sourceEnd = index
            self.parts.append(part)
            self.emitParts(body)
            return index
        }

        /// Reads `\name`: a symbol's name is a word, a style command is dropped.
        mutating func readCommand(_ source: UnsafeBufferPointer<UInt8>, from start: Int, _ body: (Word) -> Void) -> Int
        {
            var index = start + 1
            while index < source.count, Tokenizer.isASCIILetter(source[index]) { index += 1 }
            let name = Array(source[(start + 1)..<index])
            guard !name.isEmpty else { return start + 1 }
            if Tokenizer.styleCommands.contains(name) { return index }
            self.scratch.removeAll(keepingCapacity: true)
            self.scratch.append(contentsOf: name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 })
            self.parts = [Part(start: 0, end: self.scratch.count, sourceStart: start, sourceEnd: index, foreign: false)]
            self.emitParts(body)
            return index
        }

        /// Emits the parts of a chunk in order, with their joined form (when there are several)
        /// right after the first part, at the same position.
        mutating func emitParts(_ body: (Word) -> Void) {
            if self.parts.count == 1, !self.parts[0].foreign {
                // The common case: one plain word, handed out straight from the scratch buffer.
                let part = self.parts[0]
                if part.end > part.start, part.end - part.start <= Tokenizer.maxWordBytes {
                    let position = self.position
                    self.scratch.withUnsafeBufferPointer { buffer in
                        body(
                            Word(
                                bytes: UnsafeBufferPointer(rebasing: buffer[part.start..<part.end]), position: position,
                                range: part.sourceStart..<part.sourceEnd, isSynonym: false
                            )
                        )
                    }
                }
                self.position += 1
                return
            }
            var words: [[UInt8]] = []
            words.reserveCapacity(self.parts.count)
            for part in self.parts {
                let bytes = Array(self.scratch[part.start..<part.end])
                words.append(part.foreign ? Tokenizer.fold(bytes) : bytes)
            }
            let nonEmpty = words.filter { !$0.isEmpty }
            let joined = nonEmpty.count > 1 ? nonEmpty.flatMap { $0 } : []
            var first = true
            for (part, bytes) in zip(self.parts, words) where !bytes.isEmpty {
                if bytes.count <= Tokenizer.maxWordBytes {
                    bytes.withUnsafeBufferPointer { buffer in
                        body(
                            Word(
                                bytes: buffer, position: self.position, range: part.sourceStart..<part.sourceEnd,
                                isSynonym: false))
                    }
                }
                if first, !joined.isEmpty, joined.count <= Tokenizer.maxWordBytes {
                    let range = self.parts.first!.sourceStart..<self.parts.last!.sourceEnd
                    joined.withUnsafeBufferPointer { buffer in
                        body(Word(bytes: buffer, position: self.position, range: range, isSynonym: true))
                    }
                }
                first = false
                self.position += 1
            }
        }
    }

    // MARK: Character classes

    @inline(__always)
    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// A letter for the apostrophe rule: ASCII letters and any non-ASCII word character.
    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool { Self.isASCIILetter(byte) || byte == 0xFF }

    static func isWordStart(_ source: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        let kind = Self.classify(source, index).kind
        return kind == .word || kind == .foreignWord
    }

    static func isLetterStart(_ source: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        let byte = source[index]
        if byte < 0x80 { return Self.isASCIILetter(byte) }
        return Self.classify(source, index).kind == .foreignWord
    }

    /// What the scalar at `index` is, and its length in bytes.
    @inline(__always)
    static func classify(_ source: UnsafeBufferPointer<UInt8>, _ index: Int) -> (kind: Class, length: Int) {
        let byte = source[index]
        if byte < 0x80 {
            if Self.isASCIILetter(byte) || Self.isDigit(byte) { return (.word, 1) }
            switch byte {
            case 0x2D: return (.hyphen, 1)
            case 0x27: return (.apostrophe, 1)
            case 0x2E: return (.dot, 1)
            case 0x5C: return (.backslash, 1)
            default: return (.other, 1)
            }
        }
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        guard index + length <= source.count, length > 1 else { return (.other, 1) }
        var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | UInt32(source[index + offset] & 0x3F) }
        switch value {
        case 0x2010, 0x2011, 0x2013: return (.hyphen, length)
        case 0x2019: return (.apostrophe, length)
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { return (.other, length) }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return (.foreignWord, length) }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return (.foreignWord, length)
        default: return (.other, length)
        }
    }

    /// NFKD, marks dropped, lower case, ß as ss, Greek letters by name, typographic apostrophe as '.
    static func fold(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        var out = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            let category = scalar.properties.generalCategory
            if category == .nonspacingMark || category == .spacingMark || category == .enclosingMark { continue }
            if scalar.isASCII {
                let value = scalar.value
                if (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) || value == 0x27
                    || value == 0x2E
                {
                    out.append(scalar)
                } else if value >= 0x41 && value <= 0x5A {
                    out.append(Unicode.Scalar(value + 32)!)
                }
            } else if scalar == "\u{2019}" {
                out.append("'")
            } else if let name = Self.greekNames[scalar.value] {
                out.append(contentsOf: name.unicodeScalars)
            } else if scalar == "ß" || scalar == "ẞ" {
                out.append(contentsOf: "ss".unicodeScalars)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return Array(String(out).utf8)
    }

    /// Greek letters, both cases and the variant forms, by their English names.
    static let greekNames: [UInt32: String] = {
        let names = [
            "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
            "xi", "omicron", "pi", "rho", "sigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
        ]
        var table: [UInt32: String] = [:]
        for (offset, name) in names.enumerated() {
            table[0x03B1 + UInt32(offset)] = name  // α…ω, with final sigma at 0x03C2
            if offset != 17 { table[0x0391 + UInt32(offset)] = name }  // Α…Ω (0x03A2 is unassigned)
        }
        for (value, name) in [
            (0x03D1, "theta"), (0x03D5, "phi"), (0x03D6, "pi"), (0x03F0, "kappa"), (0x03F1, "rho"), (0x03F5, "epsilon"),
        ] {
            table[UInt32(value)] = name
        }
        return table
    }()

    /// LaTeX commands that style text rather than name a symbol.
    static let styleCommands: Set<[UInt8]> = Set(
        [
            "mathcal", "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathbb", "mathfrak", "mathscr", "textbf",
            "textit", "textrm", "texttt", "textsc", "textsf", "emph", "text", "boldsymbol", "bm", "operatorname", "rm",
            "bf", "it", "tt", "sc", "sf", "em", "left", "right", "big", "Big", "bigg", "Bigg", "mathop", "hat",
            "tilde", "bar", "vec", "dot", "ddot", "widehat", "widetilde", "overline", "underline", "frac", "sqrt",
            "cite", "ref", "label", "url", "href",
        ].map { Array($0.utf8) }
    )
}
