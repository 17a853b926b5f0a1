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

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            self.error = parseError
        }
    }
}
