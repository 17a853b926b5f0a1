import PaperboyModel
import Testing

@Suite("arXiv ids")
struct ArxivIDTests {
    @Test(
        "valid ids and URLs parse to the canonical id",
        arguments: [
            ("2101.11408", "2101.11408", nil),
            ("2101.11408v2", "2101.11408", 2),
            ("0704.0001", "0704.0001", nil),
            ("1412.7024v12", "1412.7024", 12),
            ("arXiv:2502.01234", "2502.01234", nil),
            ("  2101.11408  ", "2101.11408", nil),
            ("https://arxiv.org/abs/2101.11408", "2101.11408", nil),
            ("https://arxiv.org/abs/2101.11408v3", "2101.11408", 3),
            ("http://arxiv.org/pdf/2101.11408v1.pdf", "2101.11408", 1),
            ("https://arxiv.org/pdf/2101.11408", "2101.11408", nil),
            ("https://export.arxiv.org/abs/2101.11408?context=cs", "2101.11408", nil),
            ("arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001", 2),
            ("hep-th/9901001", "hep-th/9901001", nil),
            ("math.GT/0309136", "math/0309136", nil),
            ("cond-mat/0701001v1", "cond-mat/0701001", 1),
            ("quant-ph/9512001", "quant-ph/9512001", nil),
        ] as [(String, String, Int?)]
    )
    func valid(input: String, base: String, version: Int?) throws {
        let id = try ArxivID(parsing: input)
        #expect(id.base == base)
        #expect(id.version == version)
    }

    @Test(
        "invalid ids are rejected with the reason",
        arguments: [
            ("", "empty"),
            ("2113.00001", "month 13"),
            ("2100.00001", "month 00"),
            ("0703.0001", "April 2007"),
            ("1501.0001", "5 digits after the dot, not 4"),
            ("1412.00001", "4 digits after the dot, not 5"),
            ("21011.1408", "four digits YYMM"),
            ("2101.11408v0", "version"),
            ("2101.11408vx", "version"),
            ("foo/9901001", "'foo' is not an arXiv archive"),
            ("hep-th/99010", "seven digits"),
            ("hep-th/9913001", "month 13"),
            ("hep-th/0901001", "1991 to 2007"),
            ("hello", "expected YYMM.NNNNN"),
            ("https://example.com/abs/2101.11408", "only arxiv.org URLs"),
            ("https://arxiv.org/list/cs.LG/new", "arxiv.org/abs/"),
        ]
    )
    func invalid(input: String, reason: String) {
        do {
            let id = try ArxivID(parsing: input)
            Issue.record("\(input) parsed as \(id)")
        } catch {
            #expect(error.code == .invalidArxivID)
            #expect(error.message.contains(reason), "\(error.message)")
            #expect(error.message.contains("\"\(input)\""), "the message quotes the input")
        }
    }

    @Test("description, URLs and order")
    func rendering() throws {
        let id = try ArxivID(parsing: "2101.11408v2")
        #expect(id.description == "2101.11408v2")
        #expect(id.unversioned.description == "2101.11408")
        #expect(id.abstractURL == "https://arxiv.org/abs/2101.11408v2")
        #expect(id.pdfURL == "https://arxiv.org/pdf/2101.11408v2")
        #expect(try ArxivID(parsing: "hep-th/9901001").isOldStyle)
        #expect(try ArxivID(parsing: "2101.11408") < ArxivID(parsing: "2101.11408v1"))
    }
}
