import Testing

@testable import PaperboyWeb

@Suite("The comments' safe Markdown subset")
struct SafeMarkdownTests {
    @Test(
        "renders links, code and emphasis; escapes everything else",
        arguments: [
            ("Hello *world* and **bold**", "<p>Hello <em>world</em> and <strong>bold</strong></p>\n"),
            (
                "see [the paper](https://arxiv.org/abs/2501.00001)",
                "<p>see <a href=\"https://arxiv.org/abs/2501.00001\" rel=\"nofollow ugc noopener\">the paper</a></p>\n"
            ),
            ("`a <b> *c*`", "<p><code>a &lt;b&gt; *c*</code></p>\n"),
            ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
            ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
            ("[x](https://a.org\" onmouseover=\"x)", "<p>[x](https://a.org&quot; onmouseover=&quot;x)</p>\n"),
            ("snake_case_name stays", "<p>snake_case_name stays</p>\n"),
            ("one\ntwo\n\nthree", "<p>one<br>\ntwo</p>\n<p>three</p>\n"),
            ("```\nlet x = 1 < 2\n```", "<pre><code>let x = 1 &lt; 2</code></pre>\n"),
            (
                "![img](https://x.org/a.png)",
                "<p>!<a href=\"https://x.org/a.png\" rel=\"nofollow ugc noopener\">img</a></p>\n"
            ),
        ])
    func render(_ source: String, _ html: String) {
        #expect(SafeMarkdown.html(source) == html)
    }
}
