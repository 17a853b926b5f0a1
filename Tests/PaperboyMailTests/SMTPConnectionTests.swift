import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import PaperboyMail

@Suite("SMTP sessions against a scripted server")
struct SMTPConnectionTests {
    static func message(to recipients: [String] = ["ada@example.org"]) throws -> MailMessage {
        MailMessage(
            from: try MailAddress("digest@papers.example.org"), to: try recipients.map { try MailAddress($0) },
            subject: "Digest", text: "first\n.starts with a dot\nlast", messageID: "m.1@papers.example.org")
    }

    /// An ESMTP server offering `extensions`, accepting everything but recipients named nobody,
    /// and refusing DATA in a transaction without an accepted sender and recipient.
    static func standard(extensions: [String]) -> @Sendable (String) -> [String]? {
        let accepted = NIOLockedValueBox(0)
        let inTransaction = NIOLockedValueBox(false)
        return { line in
            let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
            switch verb {
            case "EHLO":
                return ["250-scripted"] + extensions.dropLast().map { "250-" + $0 } + [
                    "250 " + (extensions.last ?? "OK")
                ]
            case "DATA":
                return accepted.withLockedValue { $0 } > 0 ? ["354 go on"] : ["503 5.5.1 no valid recipients"]
            case "MAIL":
                inTransaction.withLockedValue { $0 = true }
                return ["250 OK"]
            case ".", "RSET":
                accepted.withLockedValue { $0 = 0 }
                inTransaction.withLockedValue { $0 = false }
                return [verb == "." ? "250 queued" : "250 OK"]
            case "QUIT": return ["221 bye"]
            case "RCPT":
                guard inTransaction.withLockedValue({ $0 }) else { return ["503 5.5.1 need MAIL first"] }
                if line.hasPrefix("RCPT TO:<nobody") { return ["550 5.1.1 no such user"] }
                accepted.withLockedValue { $0 += 1 }
                return ["250 OK"]
            default: return ["250 OK"]
            }
        }
    }

    @Test("pipelined envelope, dot-stuffed text, several recipients, one connection for two messages")
    func pipelining() async throws {
        let server = try await ScriptedSMTPServer(respond: Self.standard(extensions: ["PIPELINING", "SIZE 100000"]))
        let connection = try await SMTPConnection.open(
            SMTPConfiguration(host: "127.0.0.1", port: server.port, timeout: 5))
        let committed = NIOLockedValueBox(0)
        let first = try await connection.send(
            try Self.message(to: ["ada@example.org", "nobody@example.org", "bob@example.org"]),
            willCommit: { committed.withLockedValue { $0 += 1 } })
        #expect(first.reply.code == 250)
        #expect(first.refused.map(\.0.address) == ["nobody@example.org"])
        try await connection.send(try Self.message())
        await connection.close()
        await server.stop()
        let lines = server.transcript.withLockedValue { $0 }
        #expect(committed.withLockedValue { $0 } == 1)
        #expect(lines.filter { $0.hasPrefix("MAIL FROM:<digest@papers.example.org> SIZE=") }.count == 2)
        #expect(lines.filter { $0.hasPrefix("RCPT TO:") }.count == 4)
        let data = lines.filter { $0.hasPrefix("DATA:") }
        #expect(data.count == 2)
        #expect(data[0].contains("\n..starts with a dot"))
        #expect(lines.last == "QUIT")
    }

    @Test("the commit before the final dot runs on mail's own loop, never the site's, and the dot follows it")
    func commitOnTheMailLoop() async throws {
        let server = try await ScriptedSMTPServer(respond: Self.standard(extensions: ["PIPELINING"]))
        let connection = try await SMTPConnection.open(
            SMTPConfiguration(host: "127.0.0.1", port: server.port, timeout: 5))
        let onMailLoop = NIOLockedValueBox<Bool?>(nil)
        let onSiteLoop = NIOLockedValueBox<Bool?>(nil)
        let dotsBeforeCommit = NIOLockedValueBox(-1)
        let sent = try await connection.send(
            try Self.message(),
            commitNow: {
                onMailLoop.withLockedValue { $0 = SMTPConnection.mailLoops.next().inEventLoop }
                onSiteLoop.withLockedValue {
                    $0 = MultiThreadedEventLoopGroup.singleton.makeIterator().contains { $0.inEventLoop }
                }
                dotsBeforeCommit.withLockedValue { value in
                    // The scripted server writes the text down when the dot arrives.
                    value = server.transcript.withLockedValue { $0.filter { $0.hasPrefix("DATA:") }.count }
                }
            })
        #expect(sent.reply.code == 250)
        await connection.close()
        await server.stop()
        #expect(onMailLoop.withLockedValue { $0 } == true, "the dot is written by the call that commits")
        #expect(onSiteLoop.withLockedValue { $0 } == false, "a blocking commit must not hold a loop of the site")
        #expect(dotsBeforeCommit.withLockedValue { $0 } == 0, "the dot comes after the commit")
        #expect(server.transcript.withLockedValue { $0 }.contains { $0.hasPrefix("DATA:") })
    }

    @Test("HELO when EHLO is refused; no extensions used")
    func heloFallback() async throws {
        let standard = Self.standard(extensions: [])
        let server = try await ScriptedSMTPServer { line in
            if line.hasPrefix("EHLO") { return ["502 command not implemented"] }
            return standard(line)
        }
        let connection = try await SMTPConnection.open(SMTPConfiguration(host: "127.0.0.1", port: server.port))
        try await connection.send(try Self.message())
        await connection.close()
        await server.stop()
        let lines = server.transcript.withLockedValue { $0 }
        #expect(lines.prefix(2).map { $0.prefix(4) } == ["EHLO", "HELO"])
        #expect(lines.contains("MAIL FROM:<digest@papers.example.org>"))
    }

    @Test("AUTH LOGIN on loopback; a refused password is an authentication error with the reply")
    func authLogin() async throws {
        let server = try await ScriptedSMTPServer { line in
            switch line {
            case _ where line.hasPrefix("EHLO"): return ["250-scripted", "250 AUTH LOGIN"]
            case "AUTH LOGIN": return ["334 VXNlcm5hbWU6"]
            case Base64.encode(Array("ada".utf8)): return ["334 UGFzc3dvcmQ6"]
            case Base64.encode(Array("right".utf8)): return ["235 2.7.0 Authentication successful"]
            default: return ["535 5.7.8 Authentication credentials invalid"]
            }
        }
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: server.port, username: "ada", password: "right")
        let connection = try await SMTPConnection.open(configuration)
        await connection.close()
        configuration.password = "wrong"
        do {
            _ = try await SMTPConnection.open(configuration)
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.code == .authentication)
            #expect(error.reply?.code == 535)
            #expect(error.description.contains("535 5.7.8"))
        }
        await server.stop()
    }

    @Test("a refused sender or message carries the code and text, and the connection stays usable")
    func rejections() async throws {
        let standard = Self.standard(extensions: ["PIPELINING"])
        let greylisted = NIOLockedValueBox(false)
        let server = try await ScriptedSMTPServer { line in
            if line.hasPrefix("MAIL FROM:"), !greylisted.withLockedValue({ $0 }) {
                greylisted.withLockedValue { $0 = true }
                return ["451 4.7.1 greylisted, try later"]
            }
            return standard(line)
        }
        let connection = try await SMTPConnection.open(SMTPConfiguration(host: "127.0.0.1", port: server.port))
        let message = try Self.message()
        let toNobody = try Self.message(to: ["nobody@example.org"])
        do {
            try await connection.send(message)
            Issue.record("the refused message was reported sent")
        } catch {
            #expect(error.code == .rejected && error.isTransient)
            #expect(error.reply == SMTPReply(code: 451, lines: ["4.7.1 greylisted, try later"]))
        }
        do {
            try await connection.send(toNobody)
            Issue.record("a message with no accepted recipient was reported sent")
        } catch {
            #expect(error.code == .recipientRefused && error.isPermanent)
        }
        await connection.close()
        await server.stop()
        #expect(server.transcript.withLockedValue { $0 }.filter { $0 == "RSET" }.count == 2)
    }

    @Test("a silent server times out; a missing one fails to connect")
    func timeouts() async throws {
        let server = try await ScriptedSMTPServer { line in
            line.hasPrefix("EHLO") ? nil : ["250 OK"]
        }
        do {
            _ = try await SMTPConnection.open(SMTPConfiguration(host: "127.0.0.1", port: server.port, timeout: 0.3))
            Issue.record("a silent server was accepted")
        } catch {
            #expect(error.code == .timeout)
            #expect(error.message.contains("EHLO"))
        }
        let port = server.port
        await server.stop()
        do {
            _ = try await SMTPConnection.open(SMTPConfiguration(host: "127.0.0.1", port: port, timeout: 2))
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.code == .connectionFailed)
        }
    }

    @Test("a password is never sent in the clear to another host")
    func noClearTextPassword() async throws {
        let server = try await ScriptedSMTPServer(respond: Self.standard(extensions: ["AUTH PLAIN"]))
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: server.port, username: "ada", password: "secret")
        configuration.host = "127.0.0.1"
        // Pretend the host is remote by naming it through a non-loopback spelling.
        configuration.host = "127.000.000.001"
        do {
            _ = try await SMTPConnection.open(configuration)
            Issue.record("the password went out over plain text")
        } catch {
            #expect(error.code == .authentication)
        }
        await server.stop()
        #expect(!server.transcript.withLockedValue { $0 }.contains { $0.hasPrefix("AUTH") })
    }
}
