import PaperboyModel
import Testing

@testable import PaperboyWeb

@Suite("HTML fragments built in Swift")
struct HTMLTests {
    @Test("escaping replaces exactly & < > \" ' and keeps every other character, multi-byte ones included")
    func escape() {
        #expect(HTML.escape("plain café ✓") == "plain café ✓")
        #expect(HTML.escape("") == "")
        #expect(
            HTML.escape("<a href=\"x\">Tom & Jerry's ü</a>")
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s ü&lt;/a&gt;")
        // Against a character-by-character reference, over random strings of the special
        // characters, ASCII and multi-byte text.
        let pieces = ["&", "<", ">", "\"", "'", "a", " ", "é", "日本", "🙂", "&amp;"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            let reference = text.map { character -> String in
                switch character {
                case "&": "&amp;"
                case "<": "&lt;"
                case ">": "&gt;"
                case "\"": "&quot;"
                case "'": "&#39;"
                default: String(character)
                }
            }.joined()
            #expect(HTML.escape(text) == reference, "\(text)")
        }
    }

    @Test("byte search finds the first occurrence at or after a position, across multi-byte text")
    func firstRange() {
        let bytes = Array("é<!--x--> ünï <!--x-->".utf8)
        let first = HTML.firstRange(of: "<!--x-->", in: bytes)
        #expect(first == 2..<10)
        let second = HTML.firstRange(of: "<!--x-->", in: bytes, from: first!.upperBound)
        #expect(second.map { String(decoding: bytes[$0], as: UTF8.self) } == "<!--x-->")
        #expect(second!.lowerBound > first!.upperBound)
        #expect(HTML.firstRange(of: "<!--y-->", in: bytes) == nil)
        #expect(HTML.firstRange(of: "longer than the text itself", in: Array("short".utf8)) == nil)
    }

    @Test("the subscribe box gets every marker filled with the token, or is cut out without one")
    func subscribeBox() {
        let page =
            "<p>café</p><!--subscribe--><input value=\"__PAPERBOY_CSRF__\">"
            + "<input value=\"__PAPERBOY_CSRF__\"><!--/subscribe--><p>fin ✓</p>"
        let filled = Site.fillSubscribeBox(page, csrf: "tok-1")
        #expect(
            filled
                == "<p>café</p><!--subscribe--><input value=\"tok-1\"><input value=\"tok-1\"><!--/subscribe--><p>fin ✓</p>"
        )
        #expect(Site.fillSubscribeBox(page, csrf: "") == "<p>café</p><p>fin ✓</p>")
        #expect(Site.fillSubscribeBox("<p>no box</p>", csrf: "tok-1") == "<p>no box</p>")
    }

    @Test("the marker text outside the box (in a comment, a name, a query) is never replaced by the token")
    func markerOutsideTheBox() {
        let page =
            "<title>__PAPERBOY_CSRF__</title><!--subscribe--><input value=\"__PAPERBOY_CSRF__\"><!--/subscribe-->"
            + "<p>a comment: __PAPERBOY_CSRF__</p>"
        let filled = Site.fillSubscribeBox(page, csrf: "tok-1")
        #expect(
            filled
                == "<title>__PAPERBOY_CSRF__</title><!--subscribe--><input value=\"tok-1\"><!--/subscribe-->"
                + "<p>a comment: __PAPERBOY_CSRF__</p>")
        #expect(filled.ranges(of: "tok-1").count == 1)
    }

    @Test("a paper item escapes every text it shows and marks the visitor's upvote")
    func paperItem() throws {
        let paper = Paper(
            id: try PaperID(parsing: "2503.01002"), title: "<script>alert('x')</script> & more",
            abstract: "An \"abstract\" with <b>tags</b>.", authors: [Author(name: "O'Brien <Bob>")],
            categories: ["cs.LG"], announced: CalendarDay(year: 2025, month: 3, day: 3)!)
        var item = PaperItemView(paper)
        item.upvotes = 3
        item.upvoted = true
        item.comments = 1
        item.csrf = "tok\"en"
        item.submittedBy = "<i>Ann</i>"
        let html = item.html
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"))
        #expect(html.contains("O&#39;Brien &lt;Bob&gt;"))
        #expect(html.contains("An &quot;abstract&quot; with &lt;b&gt;tags&lt;/b&gt;."))
        #expect(html.contains("value=\"tok&quot;en\""))
        #expect(html.contains("Submitted by &lt;i&gt;Ann&lt;/i&gt;"))
        #expect(html.contains("aria-pressed=\"true\""))
        #expect(html.contains("<span class=\"count\">3</span>"))
        #expect(html.contains(">1 comment</a>"))
        #expect(html.contains("href=\"/categories/cs.LG\""))
        #expect(!html.contains("Remove from collection"))
        item.removeAction = "/collections/7/remove"
        #expect(item.html.contains("name=\"paper\" value=\"2503.01002\""))
    }
}
