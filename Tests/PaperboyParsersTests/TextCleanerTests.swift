import PaperboyParsers
import Testing

@Suite("Text cleaning")
struct TextCleanerTests {
    @Test(
        "white space collapses, controls go, other characters stay",
        arguments: [
            ("plain text", "plain text"),
            ("  padded  ", "padded"),
            ("two  spaces", "two spaces"),
            ("tab\tand\nnewline\r\n", "tab and newline"),
            ("no\u{A0}break\u{2003}em\u{3000}ideographic\u{205F}math", "no break em ideographic math"),
            ("line\u{2028}separator\u{0085}next", "line separator next"),
            ("en–dash “quotes” … ellipsis", "en–dash “quotes” … ellipsis"),
            ("bell\u{7}and\u{7F}delete", "bellanddelete"),
            ("Ünïcödé 😀", "Ünïcödé 😀"),
            ("", ""),
            ("   ", ""),
        ]
    )
    func collapse(input: String, expected: String) {
        #expect(TextCleaner.collapseWhitespace(input) == expected)
    }
}
