public import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of an XML document read whole: its local name, attributes, text and children.
///
/// The feeds and protocol pages Paperboy reads are small (a page of an OAI-PMH harvest is a few
/// megabytes), so a tree is simpler to walk than a stream of events, and costs little.
public struct MarkupElement: Sendable {
    /// The local name, without a namespace prefix (`entry`, `primary_category`).
    public var name: String
    /// The namespace URI, if any.
    public var namespace: String?
    /// The attributes by name as written.
    public var attributes: [String: String]
    /// The element's own text (character data and CDATA directly inside it), untrimmed.
    public var text: String
    /// The child elements in document order.
    public var children: [MarkupElement]
    /// The line the element starts on.
    public var line: Int

    /// The first child called `name`.
    public func child(_ name: String) -> MarkupElement? {
        self.children.first { $0.name == name }
    }

    /// Every child called `name`.
    public func children(_ name: String) -> [MarkupElement] {
        self.children.filter { $0.name == name }
    }

    /// The text of the first child called `name`, white space collapsed; `nil` when there is no
    /// such child or its text is empty.
    public func text(of name: String) -> String? {
        guard let child = self.child(name) else { return nil }
        let text = TextCleaner.collapseWhitespace(child.text)
        return text.isEmpty ? nil : text
    }

    /// Reads a document.
    ///
    /// - Parameter source: the file or URL named in errors.
    /// - Throws: ``ParseError`` with code ``ParseError/Code/invalidXML`` and the line and column
    ///   where the XML breaks (a truncated page ends early, for example).
    public static func parse(_ data: Data, source: String) throws(ParseError) -> MarkupElement {
        let data = Self.validUTF8(data)
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let ok = parser.parse()
        if !ok || builder.root == nil || !builder.stack.isEmpty {
            let line = parser.lineNumber
            let column = parser.columnNumber
            let reason: String
            if let error = parser.parserError ?? builder.error {
                let detail = (error as NSError).localizedDescription
                reason = "not well-formed XML at column \(column): \(detail)"
            } else if data.isEmpty {
                reason = "the document is empty"
            } else {
                reason = "the XML ends early (unclosed <\(builder.stack.last?.name ?? "?")>)"
            }
            throw ParseError(.invalidXML, source: source, line: max(line, 1), reason: reason)
        }
        return builder.root!
    }

    /// The document in the one shape Foundation's parser is safe with. It force-unwraps every
    /// element name, processing-instruction target and comment as UTF-8, and so traps (found by
    /// fuzzing) where libxml2 hands it bytes that are not: from a document that is not UTF-8, or
    /// that switches encoding in a second `<?xml … encoding=…?>` mid-way. So the document becomes
    /// UTF-8 (a byte-order mark dropped; UTF-16 and the Latin-1 family converted; anything else
    /// with broken sequences replaced by U+FFFD), its declaration says UTF-8, and every other
    /// processing instruction (`<?xml-stylesheet …?>` and the like, which no format read here
    /// uses) is left out.
    static func validUTF8(_ data: Data) -> Data {
        var data = data
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = Data(data.dropFirst(3)) }
        let declared = Self.declaredEncoding(data)
        let isUTF8 = String(validating: data, as: UTF8.self) != nil
        let hasDeclaration = Self.hasDeclaration(data.prefix(6))
        let laterInstruction = Self.firstInstruction(in: data, after: hasDeclaration ? 2 : 0) != nil
        if isUTF8, declared == nil || declared == "utf-8" || declared == "utf8", !laterInstruction {
            return data
        }
        var text: String
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            text = String(data: data, encoding: .utf16) ?? String(decoding: data, as: UTF8.self)
        } else if !isUTF8, let declared, ["iso-8859-1", "latin1", "latin-1", "windows-1252"].contains(declared) {
            text = String(data: data, encoding: .windowsCP1252) ?? String(decoding: data, as: UTF8.self)
        } else {
            text = String(decoding: data, as: UTF8.self)
        }
        text = Self.declaringUTF8(text)
        let start =
            Self.hasDeclaration(Data(text.utf8.prefix(6))) ? text.index(text.startIndex, offsetBy: 2) : text.startIndex
        return Data((String(text[..<start]) + Self.withoutInstructions(text[start...])).utf8)
    }

    /// `text` without its processing instructions; a `<?` that never closes is escaped.
    private static func withoutInstructions(_ text: Substring) -> String {
        var out = ""
        var rest = text
        while let open = rest.range(of: "<?") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "?>") else {
                out += "&lt;?"
                rest = rest[open.upperBound...]
                continue
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// Whether the bytes start with an XML declaration (`<?xml` and white space).
    private static func hasDeclaration(_ head: Data) -> Bool {
        head.count == 6 && head.starts(with: Array("<?xml".utf8)) && [0x20, 0x09, 0x0A, 0x0D].contains(head.last!)
    }

    /// The encoding an XML declaration at the start names, lower case.
    private static func declaredEncoding(_ data: Data) -> String? {
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>"),
            let name = head[..<end.lowerBound].range(of: "encoding")
        else { return nil }
        let value = head[name.upperBound..<end.lowerBound].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = value.first, quote == "\"" || quote == "'" else { return nil }
        return value.dropFirst().prefix { $0 != quote }.lowercased()
    }

    /// Where `<?` appears at or after byte `offset`, if anywhere.
    private static func firstInstruction(in data: Data, after offset: Int) -> Int? {
        data.withUnsafeBytes { raw -> Int? in
            guard raw.count >= 2 else { return nil }
            var index = offset
            while index < raw.count - 1 {
                if raw[index] == UInt8(ascii: "<"), raw[index + 1] == UInt8(ascii: "?") { return index }
                index += 1
            }
            return nil
        }
    }

    /// `text` with the encoding of its XML declaration, if it has one, set to UTF-8.
    private static func declaringUTF8(_ text: String) -> String {
        guard text.hasPrefix("<?xml"), let end = text.range(of: "?>"),
            let encoding = text[..<end.lowerBound].range(of: "encoding")
        else { return text }
        let afterName = text[encoding.upperBound..<end.lowerBound]
        guard let quote = afterName.first(where: { $0 == "\"" || $0 == "'" }),
            let opening = afterName.firstIndex(of: quote),
            let close = afterName[afterName.index(after: opening)...].firstIndex(of: quote)
        else { return text }
        return String(text[..<encoding.lowerBound]) + "encoding=\"UTF-8\"" + String(text[text.index(after: close)...])
    }

    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [MarkupElement] = []
        var root: MarkupElement?
        var error: (any Error)?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            self.stack.append(
                MarkupElement(
                    name: elementName, namespace: namespaceURI, attributes: attributeDict, text: "", children: [],
                    line: parser.lineNumber))
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            guard let element = self.stack.popLast() else { return }
            if self.stack.isEmpty {
                self.root = element
            } else {
                self.stack[self.stack.count - 1].children.append(element)
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !self.stack.isEmpty else { return }
            self.stack[self.stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !self.stack.isEmpty else { return }
            self.stack[self.stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
        }

        private var errors = 0

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            // The first error is the one reported. libxml2 recovers and reports on, and each
            // report costs Foundation memory it never gives back (found by fuzzing), so a
            // document this broken is given up on.
            if self.error == nil { self.error = parseError }
            self.errors += 1
            if self.errors >= 20 { parser.abortParsing() }
        }
    }
}
