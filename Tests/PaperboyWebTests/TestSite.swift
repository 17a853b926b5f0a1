import Foundation
import PaperboyMail
import PaperboyModel
import PaperboyServices
import PaperboyStore
import PaperboyTesting
import PaperboyWeb

/// A site over a memory store with a few known papers.
enum TestSite {
    static let day1 = CalendarDay(year: 2025, month: 3, day: 10)!
    static let day2 = CalendarDay(year: 2025, month: 3, day: 12)!

    static let papers: [Paper] = [
        Paper(
            id: try! PaperID(parsing: "2503.01001"),
            title: "Denoising Diffusion Models for Images",
            abstract:
                "We study diffusion models that denoise images step by step and generate samples of high quality.",
            authors: [Author(name: "Ada Lovelace"), Author(name: "Alan Turing")],
            categories: ["cs.CV", "cs.LG"],
            announced: day2,
            versions: [
                PaperVersion(
                    number: 1, submitted: Date(timeIntervalSince1970: 1_741_600_000),
                    title: "Denoising Diffusion for Images <i>v1</i>"),
                PaperVersion(number: 2, submitted: Date(timeIntervalSince1970: 1_741_700_000)),
            ],
            links: [PaperLink.doi("10.1000/diffusion.1")],
            comment: "12 pages, 4 figures",
            journalReference: "J. Imaging 3 (2025) 1-12"
        ),
        Paper(
            id: try! PaperID(parsing: "2503.01002"),
            title: "Graph Networks <script>alert('x')</script>",
            abstract: "Message passing & friends: \"quoted\" <b>not bold</b>.",
            authors: [Author(name: "Grace Hopper")],
            categories: ["cs.LG"],
            announced: day2
        ),
        Paper(
            id: try! PaperID(parsing: "hep-th/9901001"),
            title: "An Old String Theory Paper",
            abstract: "Strings and branes, without diffusion.",
            authors: [Author(name: "E. Witten")],
            categories: ["hep-th"],
            announced: day1
        ),
        Paper(
            id: PaperID(title: "A Listing Page Paper"),
            title: "A Listing Page Paper",
            abstract: "",
            announced: day1
        ),
    ]

    /// Where the mails of every test site go: tests find their links by recipient (a link of
    /// another site's does not verify here, so a shared mailbox cannot mix tests up).
    static let mailbox = RecordingMailTransport()

    /// A memory storage holding ``papers``, and their index.
    struct Fixture: Sendable {
        var storage: Storage
        var index: PaperIndex
    }

    static func fixture() async throws -> Fixture {
        let storage = Storage.memory()
        _ = try await storage.papers.upsert(Self.papers)
        let index = try PaperIndex(path: try Self.indexFolder())
        try await index.catchUp(with: storage.papers)
        return Fixture(storage: storage, index: index)
    }

    static func make(postsPerMinute: Int? = 10, fixture: Fixture? = nil) async throws -> Site {
        let fixture = try await { if let fixture { fixture } else { try await Self.fixture() } }()
        return try await Site(
            storage: fixture.storage, index: fixture.index, bcryptCost: 4, mailTransport: Self.mailbox,
            postsPerMinute: postsPerMinute)
    }

    /// The tokens of the links to `path` mailed to `address`, newest first.
    static func links(
        _ path: String, to address: String, in mailbox: RecordingMailTransport = TestSite.mailbox
    ) -> [String] {
        mailbox.sent.reversed().compactMap { message in
            guard message.to.map({ $0.address.lowercased() }) == [address.lowercased()],
                let range = message.text.range(of: path)
            else { return nil }
            return String(message.text[range.upperBound...].prefix { !$0.isWhitespace })
        }
    }

    /// A new, empty folder for an index, under one folder per test process that is removed when
    /// the process exits.
    static func indexFolder() throws -> String {
        _ = Self.removeAtExit
        return Self.parent + "/" + UUID().uuidString
    }

    static let parent = NSTemporaryDirectory() + "paperboy-web-tests-\(getpid())"

    /// Registers, once, the removal of ``parent`` at exit.
    static let removeAtExit: Void = {
        atexit {
            try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "paperboy-web-tests-\(getpid())")
        }
    }()
}
