import Foundation
import Hummingbird
import PaperboyModel

/// Atom (RFC 4287) and JSON Feed 1.1 documents for any list of papers.
struct FeedWriter {
    /// The feed's title, e.g. "Paperboy · Trending".
    var title: String
    /// The absolute URL of the page the feed mirrors.
    var pageURL: String
    /// The absolute URL of this feed.
    var feedURL: String
    /// The site's absolute base URL, without a trailing slash.
    var baseURL: String
    /// The papers, in list order.
    var papers: [Paper]

    /// The Atom document.
    func atom() -> String {
        let updated =
            self.papers.map(\.announced).max().map(Timestamp.iso8601)
            ?? Timestamp.iso8601(Date(timeIntervalSince1970: 0))
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>\(Self.xml(self.title))</title>
            <id>\(Self.xml(self.feedURL))</id>
            <updated>\(updated)</updated>
            <link rel="self" type="application/atom+xml" href="\(Self.xml(self.feedURL))"/>
            <link rel="alternate" type="text/html" href="\(Self.xml(self.pageURL))"/>
            <generator>Paperboy</generator>

            """
        for paper in self.papers {
            let url = self.baseURL + PaperLinks.page(paper.id)
            let published = paper.versions.first?.submitted.map(Timestamp.iso8601) ?? Timestamp.iso8601(paper.announced)
            xml += "<entry>\n<title>\(Self.xml(paper.title))</title>\n<id>\(Self.xml(url))</id>\n"
            xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(Self.xml(url))\"/>\n"
            if let pdf = paper.arxivID?.pdfURL {
                xml += "<link rel=\"related\" type=\"application/pdf\" href=\"\(Self.xml(pdf))\"/>\n"
            }
            xml += "<published>\(published)</published>\n<updated>\(Timestamp.iso8601(paper.announced))</updated>\n"
            for author in paper.authors { xml += "<author><name>\(Self.xml(author.name))</name></author>\n" }
            if paper.authors.isEmpty { xml += "<author><name>Unknown</name></author>\n" }
            for category in paper.categories { xml += "<category term=\"\(Self.xml(category))\"/>\n" }
            xml += "<summary type=\"text\">\(Self.xml(paper.abstract))</summary>\n</entry>\n"
        }
        return xml + "</feed>\n"
    }

    /// The JSON Feed document.
    func json() throws -> Data {
        let feed = JSONFeed(
            version: "https://jsonfeed.org/version/1.1", title: self.title, home_page_url: self.pageURL,
            feed_url: self.feedURL,
            items: self.papers.map { paper in
                let url = self.baseURL + PaperLinks.page(paper.id)
                return JSONFeed.Item(
                    id: url, url: url, external_url: paper.arxivID?.abstractURL, title: paper.title,
                    content_text: paper.abstract,
                    date_published: paper.versions.first?.submitted.map(Timestamp.iso8601)
                        ?? Timestamp.iso8601(paper.announced),
                    date_modified: Timestamp.iso8601(paper.announced),
                    authors: paper.authors.map { JSONFeed.Author(name: $0.name) }, tags: paper.categories)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(feed)
    }

    /// The feed as a response in `format`.
    func response(_ format: FeedFormat) throws -> Response {
        switch format {
        case .atom:
            return Response(
                status: .ok, headers: [.contentType: "application/atom+xml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: self.atom())))
        case .json:
            return Response(
                status: .ok, headers: [.contentType: "application/feed+json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try self.json())))
        }
    }

    /// Text escaped for XML, with the control characters XML 1.0 forbids dropped.
    static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// The JSON Feed 1.1 shape (https://jsonfeed.org/version/1.1).
private struct JSONFeed: Encodable {
    struct Author: Encodable {
        var name: String
    }

    struct Item: Encodable {
        var id: String
        var url: String
        var external_url: String?
        var title: String
        var content_text: String
        var date_published: String
        var date_modified: String
        var authors: [Author]
        var tags: [String]
    }

    var version: String
    var title: String
    var home_page_url: String
    var feed_url: String
    var items: [Item]
}
