import Foundation
import PaperboySecurity
import Testing

@Suite("SHA-256 and HMAC against their published vectors")
struct DigestTests {
    @Test(
        "FIPS 180-4 examples",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func sha256(_ message: String, _ digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
    }

    @Test("a million a's (several blocks)")
    func long() {
        #expect(
            SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("RFC 4231 test cases 1, 2 and 6 (a key longer than a block)")
    func hmac() {
        #expect(
            HMAC.code(Array("Hi There".utf8), key: [UInt8](repeating: 0x0b, count: 20)).hexString
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            HMAC.code(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)).hexString
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            HMAC.code(
                Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                key: [UInt8](repeating: 0xaa, count: 131)
            ).hexString == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}

@Suite("Signed tokens")
struct SecureTokenTests {
    let key = Array("a secret key for tests".utf8)

    @Test("a signed value verifies until it expires; any change breaks it")
    func signAndVerify() {
        let value = SecureToken.sign("confirm.42", expires: 2_000, key: self.key)
        #expect(SecureToken.verify(value, now: 1_999, key: self.key) == "confirm.42")
        #expect(SecureToken.verify(value, now: 2_000, key: self.key) == nil, "expired")
        #expect(SecureToken.verify(value, now: 1_000, key: Array("another key".utf8)) == nil, "other key")
        let extended = value.replacingOccurrences(of: ".2000.", with: ".9000.")
        #expect(SecureToken.verify(extended, now: 1_000, key: self.key) == nil, "a longer expiry is refused")
        let other = value.replacingOccurrences(of: "confirm.42", with: "confirm.43")
        #expect(SecureToken.verify(other, now: 1_000, key: self.key) == nil, "another payload is refused")
        #expect(SecureToken.verify("garbage", now: 1_000, key: self.key) == nil)
    }

    @Test("random tokens are URL-safe and differ")
    func random() {
        let a = SecureToken.random()
        let b = SecureToken.random()
        #expect(a != b)
        #expect(a.count == 43)
        #expect(a.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    @Test("base64url round-trips every length", arguments: 0..<8)
    func base64(_ length: Int) {
        let bytes = (0..<length).map { UInt8(($0 * 97 + 13) % 256) }
        #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
    }
}

@Suite("Rate limiter pacing")
struct RateLimiterPacingTests {
    @Test("reserve hands out the burst at once, then says how long to wait for each next token")
    func reserve() {
        let limiter = RateLimiter(capacity: 2, perMinute: 60)
        #expect(limiter.reserve("a", now: 100) == 0)
        #expect(limiter.reserve("a", now: 100) == 0)
        #expect(limiter.reserve("a", now: 100) == 1)
        #expect(limiter.reserve("a", now: 100) == 2)
        #expect(limiter.reserve("b", now: 100) == 0)
        #expect(limiter.reserve("a", now: 103) == 0)
    }
}

@Suite("Rate limits under a spray of keys")
struct RateLimiterEvictionTests {
    @Test("100,000 new keys do not wipe the bucket that holds someone back: refilled and fullest buckets go first")
    func spray() {
        let limiter = RateLimiter(capacity: 5, perMinute: 1, maxKeys: 10_000)
        for _ in 0..<5 { _ = limiter.allow("victim@example.org", now: 1_000) }
        #expect(!limiter.allow("victim@example.org", now: 1_000), "the bucket is empty")
        // The spray: each key used once, so each bucket still holds 4 of 5 tokens.
        for n in 0..<100_000 { _ = limiter.allow("spray-\(n)", now: 1_000 + Double(n) / 100_000) }
        #expect(limiter.keyCount <= 10_000)
        #expect(!limiter.allow("victim@example.org", now: 1_001), "still held back after the spray")
    }

    @Test("a bucket that has refilled is dropped before any other")
    func refilledFirst() {
        let limiter = RateLimiter(capacity: 2, perMinute: 60, maxKeys: 10)
        _ = limiter.allow("held", now: 0)
        _ = limiter.allow("held", now: 0)
        for n in 0..<5 { _ = limiter.allow("old-\(n)", now: 0) }
        // A minute later the old buckets have refilled; "held" is used again and is empty.
        _ = limiter.allow("held", now: 60)
        _ = limiter.allow("held", now: 60)
        #expect(!limiter.allow("held", now: 60))
        for n in 0..<6 { _ = limiter.allow("new-\(n)", now: 60) }
        #expect(limiter.keyCount <= 10)
        #expect(!limiter.allow("held", now: 60), "the held bucket survived; refilled ones went")
    }
}

@Suite("IP addresses and networks")
struct IPNetworkTests {
    @Test(
        "addresses parse strictly and print canonically",
        arguments: [
            ("192.0.2.1", "192.0.2.1"), ("[2001:db8::1]", "2001:db8::1"), ("2001:0db8:0:0:0:0:0:1", "2001:db8::1"),
            ("::ffff:192.0.2.1", "192.0.2.1"), ("::1", "::1"),
        ])
    func parse(text: String, canonical: String) throws {
        #expect(try #require(IPAddress(text)).description == canonical)
    }

    @Test("not addresses", arguments: ["", "localhost", "1.2.3", "1.2.3.4:80", "999.1.1.1", "1.2.3.4 ", "::g"])
    func refused(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("networks contain what they should and nothing else")
    func contains() throws {
        let loopback = try #require(IPNetwork("127.0.0.0/8"))
        #expect(loopback.contains(try #require(IPAddress("127.9.9.9"))))
        #expect(!loopback.contains(try #require(IPAddress("128.0.0.1"))))
        #expect(!loopback.contains(try #require(IPAddress("::1"))), "families do not mix")
        let v6 = try #require(IPNetwork("fd00::/8"))
        #expect(v6.contains(try #require(IPAddress("fd12:3456::1"))))
        #expect(!v6.contains(try #require(IPAddress("fe80::1"))))
        #expect(IPNetwork("10.0.0.0/33") == nil && IPNetwork("10.0.0.0/x") == nil && IPNetwork("10.0.0.0/") == nil)
        #expect(IPNetwork("10.0.0.0/-0") == nil && IPNetwork("10.0.0.0/+8") == nil, "no signs: /-0 would trust all")
        #expect(try #require(IPAddress("2001:db8:1:2:3:4:5:6")).clientKey == "2001:db8:1:2::/64")
        #expect(try #require(IPAddress("198.51.100.7")).clientKey == "198.51.100.7")
    }
}
