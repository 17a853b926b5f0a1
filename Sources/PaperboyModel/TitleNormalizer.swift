import Foundation

/// Reduces a title to the form used to recognise the same paper under different spellings:
/// lower case, accents folded, LaTeX markup and punctuation dropped, white space collapsed.
///
/// `"Feynman–Kac Correctors in $\mathcal{D}$iffusion"` and `"feynman kac correctors in diffusion"`
/// normalise to the same text.
public enum TitleNormalizer {
    /// The normalised form of `title`: words of lower-case letters and digits separated by one space.
    public static func normalize(_ title: String) -> String {
        if let ascii = Self.normalizeASCII(title) { return ascii }
        return Self.normalizeUnicode(title)
    }

    /// The same rules on bytes, for titles that are all ASCII (most of them): no Unicode property
    /// lookups. `nil` for other titles.
    static func normalizeASCII(_ title: String) -> String? {
        var title = title
        return title.withUTF8 { bytes -> String? in
            var output = [UInt8]()
            output.reserveCapacity(bytes.count)
            var pendingSpace = false
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                guard byte < 0x80 else { return nil }
                index += 1
                let lower = byte | 0x20
                if byte == UInt8(ascii: "\\") {
                    let start = index
                    while index < count, (bytes[index] | 0x20) >= 97, (bytes[index] | 0x20) <= 122 { index += 1 }
                    guard index > start else { continue }
                    let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    if !Self.styleCommands.contains(name) {
                        if pendingSpace, !output.isEmpty { output.append(0x20) }
                        for letter in bytes[start..<index] { output.append(letter | 0x20) }
                        pendingSpace = true
                    }
                } else if (lower >= 97 && lower <= 122) || (byte >= 48 && byte <= 57) {
                    if pendingSpace, !output.isEmpty { output.append(0x20) }
                    pendingSpace = false
                    output.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
                } else if byte == UInt8(ascii: "$") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") {
                    continue
                } else {
                    pendingSpace = true
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The rules on Unicode scalars, for any title.
    static func normalizeUnicode(_ title: String) -> String {
        var folded = title
        if !title.utf8.allSatisfy({ $0 < 0x80 }) {
            folded = title.decomposedStringWithCompatibilityMapping
        }
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        var scalars = folded.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\\" {
                // A LaTeX command: `\mathcal` is markup, `\ell` or `\alpha` is a word. Keep the
                // names of symbols, drop the names of styles.
                let name = scalars.prefix(while: { $0.properties.isAlphabetic && $0.isASCII })
                scalars = scalars.dropFirst(name.count)
                let command = String(String.UnicodeScalarView(name))
                if !Self.styleCommands.contains(command), !command.isEmpty {
                    if pendingSpace, !output.isEmpty { output.append(" ") }
                    pendingSpace = false
                    output.append(contentsOf: command.lowercased().unicodeScalars)
                    pendingSpace = true
                }
                continue
            }
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark || properties.generalCategory == .enclosingMark {
                continue
            }
            if properties.isAlphabetic || properties.numericType != nil {
                if pendingSpace, !output.isEmpty { output.append(" ") }
                pendingSpace = false
                if scalar.isASCII {
                    output.append(
                        scalar.value >= 65 && scalar.value <= 90 ? Unicode.Scalar(scalar.value + 32)! : scalar)
                } else {
                    output.append(contentsOf: properties.lowercaseMapping.unicodeScalars)
                }
            } else if scalar == "$" || scalar == "{" || scalar == "}" {
                // Math and grouping delimiters join what they wrap: `$\mathcal{D}$iffusion` → "diffusion".
                continue
            } else {
                pendingSpace = true
            }
        }
        return String(output)
    }

    /// LaTeX commands that style text rather than name a symbol.
    static let styleCommands: Set<String> = [
        "mathcal", "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathbb", "mathfrak", "mathscr",
        "textbf", "textit", "textrm", "texttt", "textsc", "textsf", "emph", "text", "boldsymbol", "bm",
        "operatorname", "rm", "bf", "it", "tt", "sc", "sf", "em", "left", "right", "big", "Big",
    ]
}
