import Foundation
import NIOCore
import Testing

@testable import PaperboyMail

@Suite("Mail messages")
struct MailMessageTests {
    let from = try! MailAddress("digest@papers.example.org", displayName: "Paperboy")

    func message(subject: String = "Trending papers", to: String = "ada@example.org") throws -> MailMessage {
        MailMessage(
            from: self.from, to: [try MailAddress(to, displayName: "Ada Lovelace")], subject: subject,
            text: "Hello\n.dot line\nUmlaut ü and a long line " + String(repeating: "x", count: 120),
            html: "<p>Hello <b>ü</b></p>", date: Date(timeIntervalSince1970: 1_795_000_000),
            messageID: "digest.1.2026-W47@papers.example.org",
            unsubscribeURL: "https://papers.example.org/unsubscribe?token=abc")
    }

    @Test("headers: date, ids, MIME, one-click unsubscribe")
    func headers() throws {
        let text = try self.message().rendered(boundary: "=_b")
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        #expect(head.contains("Date: Wed, 18 Nov 2026 11:06:40 +0000"))
        #expect(head.contains("From: Paperboy <digest@papers.example.org>"))
        #expect(head.contains("To: Ada Lovelace <ada@example.org>"))
        #expect(head.contains("Subject: Trending papers"))
        #expect(head.contains("Message-ID: <digest.1.2026-W47@papers.example.org>"))
        #expect(head.contains("MIME-Version: 1.0"))
        #expect(head.contains("List-Unsubscribe: <https://papers.example.org/unsubscribe?token=abc>"))
        #expect(head.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
        #expect(head.contains("Content-Type: multipart/alternative; boundary=\"=_b\""))
    }

    @Test("bodies are quoted-printable with CRLF and short lines; both parts present")
    func bodies() throws {
        let text = try self.message().rendered(boundary: "=_b")
        #expect(text.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(text.contains("Content-Type: text/html; charset=utf-8"))
        #expect(text.contains("Umlaut =C3=BC"))
        #expect(text.contains("--=_b--"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78) }
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("non-ASCII subjects and names become RFC 2047 encoded words that decode back")
    func encodedWords() throws {
        let subject = "Trending: Schrödinger-Brücken für Diffusionsmodelle — 10 papers αβγ 🚀 and a little more text"
        let text = try self.message(subject: subject).rendered()
        let line = text.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") }!
        #expect(line.contains("=?UTF-8?B?"))
        // Unfold and decode every word.
        let start = text.range(of: "Subject: ")!.upperBound
        let rest = text[start...]
        let end = rest.range(of: "\r\nMessage-ID")!.lowerBound
        let words = rest[..<end].replacingOccurrences(of: "\r\n ", with: " ").split(separator: " ")
        var bytes: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            bytes += Base64.decode(String(word.dropFirst(10).dropLast(2))) ?? []
        }
        #expect(String(decoding: bytes, as: UTF8.self) == subject)
        let named = try MailAddress("b@example.org", displayName: "Bärbel \"B\" Müller").headerValue
        #expect(named.hasPrefix("=?UTF-8?B?"))
        #expect(
            try MailAddress("c@example.org", displayName: "Smith, John").headerValue
                == "\"Smith, John\" <c@example.org>")
    }

    @Test(
        "CR or LF in any header value is refused before anything is sent",
        arguments: [
            "Hello\r\nBcc: victim@example.org", "Hello\nX-Injected: 1", "Hello\rthere",
        ])
    func headerInjection(subject: String) throws {
        #expect(throws: MailError.self) { try self.message(subject: subject).rendered() }
        let message = try self.message(subject: subject)
        do {
            _ = try message.rendered()
        } catch {
            #expect(error.code == .invalidHeader)
            #expect(error.message.contains("subject contains a line break"))
        }
        #expect(throws: MailError.self) { try MailAddress("a@example.org\r\nRCPT TO:<b@example.org>") }
        #expect(throws: MailError.self) { try MailAddress("a@example.org", displayName: "Eve\r\nBcc: x@y.org") }
        #expect(throws: MailError.self) { try MailHeader("X-Period", "2026\nBcc: x@y.org") }
    }

    @Test("addresses are checked", arguments: ["", "no-at", "a@", "@b", "a b@c.org", "<a@b.org>", "a@b@c"])
    func badAddresses(text: String) {
        #expect(throws: MailError.self) { try MailAddress(text) }
    }

    @Test("quoted-printable: = and trailing spaces encoded, soft breaks at 76")
    func quotedPrintable() {
        #expect(HeaderEncoding.quotedPrintable("a=b ") == "a=3Db=20")
        let long = HeaderEncoding.quotedPrintable(String(repeating: "é", count: 40))
        let lines = long.components(separatedBy: "\r\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") })
    }

    @Test("dot-stuffing doubles dots at line starts only")
    func dotStuffing() {
        var buffer = SMTPConnection.dotStuffed(".a\r\nb.c\r\n..d\r\n")
        #expect(buffer.readString(length: buffer.readableBytes) == "..a\r\nb.c\r\n...d\r\n")
    }
}

@Suite("SMTP URLs")
struct SMTPConfigurationTests {
    @Test("smtp, smtps, STARTTLS, credentials and settings")
    func parses() throws {
        let plain = try SMTPConfiguration(url: "smtp://localhost:2525")
        #expect(plain.host == "localhost" && plain.port == 2525 && plain.security == .none && plain.username == nil)
        let start = try SMTPConfiguration(url: "smtp://ada:p%40ss@mail.example.org:587?starttls=true&timeout=5")
        #expect(start.security == .startTLS && start.username == "ada" && start.password == "p@ss")
        #expect(start.timeout == 5)
        let implicit = try SMTPConfiguration(url: "smtps://mail.example.org?ca=/tmp/ca.pem")
        #expect(implicit.security == .tls && implicit.port == 465 && implicit.trustedCertificatesFile == "/tmp/ca.pem")
        #expect(SMTPConfiguration.redacted("smtp://ada:secret@h:25") == "smtp://ada:***@h:25")
    }

    @Test(
        "bad URLs say what is wrong",
        arguments: [
            ("http://host", "unknown scheme"), ("smtp://host?tls=1", "unknown setting \"tls\""),
            ("smtp://host?starttls=maybe", "starttls"), ("smtps://host?starttls=true", "only goes with smtp"),
            ("smtp://host?timeout=-1", "timeout"),
        ])
    func refuses(url: String, fragment: String) {
        do {
            _ = try SMTPConfiguration(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains(fragment))
        }
    }
}
