/// Random tokens and signed, expiring values for links and forms.
public enum SecureToken {
    /// `bytes` random bytes (from the system's generator) as URL-safe base64 without padding.
    public static func random(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Base64URL.encode(raw)
    }

    /// `payload.expiry.signature`: `payload` (URL-safe text), the Unix time it expires, and an
    /// HMAC-SHA-256 of both under `key`, so the value cannot be forged or extended.
    public static func sign(_ payload: String, expires: Int64, key: [UInt8]) -> String {
        let body = "\(payload).\(expires)"
        return body + "." + Base64URL.encode(HMAC.code(Array(body.utf8), key: key))
    }

    /// The payload of a value made by ``sign(_:expires:key:)``, if its signature holds and it has
    /// not expired at `now` (Unix time); `nil` otherwise.
    public static func verify(_ value: String, now: Int64, key: [UInt8]) -> String? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, let expires = Int64(parts[parts.count - 2]),
            let signature = Base64URL.decode(String(parts[parts.count - 1]))
        else { return nil }
        let body = parts.dropLast().joined(separator: ".")
        guard HMAC.equal(HMAC.code(Array(body.utf8), key: key), signature), now < expires else { return nil }
        return parts.dropLast(2).joined(separator: ".")
    }
}

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5).
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes bytes.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [18, 12, 6, 0].map { Self.alphabet[Int((n >> $0) & 63)] }
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [18, 12].map { Self.alphabet[Int((n >> $0) & 63)] }
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [18, 12, 6].map { Self.alphabet[Int((n >> $0) & 63)] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes text, or `nil` when it is not URL-safe base64.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt32] = []
        for byte in text.utf8 {
            guard let value = Self.alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt32(value))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var n: UInt32 = 0
            for (offset, value) in chunk.enumerated() { n |= value << UInt32(18 - 6 * offset) }
            out.append(UInt8(truncatingIfNeeded: n >> 16))
            if chunk.count > 2 { out.append(UInt8(truncatingIfNeeded: n >> 8)) }
            if chunk.count > 3 { out.append(UInt8(truncatingIfNeeded: n)) }
            index += 4
        }
        return out
    }
}
