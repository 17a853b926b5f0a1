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
