public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server on loopback for tests: each request is answered with what a script
/// says, including the faults a real server shows (an error status with `Retry-After`, a body cut
/// short, a connection dropped without an answer).
///
/// Plain blocking sockets on threads: no event loop, so it can misbehave in ways a framework
/// would not allow. One connection per request (`Connection: close`).
public final class ScriptedHTTPServer: @unchecked Sendable {
    /// A request as received.
    public struct Request: Sendable {
        /// `GET`, `POST`…
        public var method: String
        /// The path with its query, as sent (`/oai2?verb=ListRecords&…`).
        public var target: String
        /// The header fields, names lower-cased.
        public var headers: [String: String]

        /// The value of query parameter `name`, percent-decoded.
        public func query(_ name: String) -> String? {
            URLComponents(string: "http://localhost" + self.target)?.queryItems?.first { $0.name == name }?.value
        }
    }

    /// How to answer a request.
    public enum Reply: Sendable {
        /// A complete response.
        case response(status: Int, headers: [String: String] = [:], body: Data = Data())
        /// A response whose `Content-Length` promises the whole body but whose connection closes
        /// after `bytes` bytes of it.
        case truncated(status: Int, body: Data, bytes: Int)
        /// Close the connection without answering.
        case dropConnection
    }

    /// The port the server listens on.
    public let port: Int
    private let listener: Int32
    private let respond: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var stopped = false
    private var received: [Request] = []

    /// Starts a server on 127.0.0.1 with a free port.
    public init(respond: @escaping @Sendable (Request) -> Reply) throws {
        self.respond = respond
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in self.acceptLoop() }
        thread.start()
    }

    deinit {
        self.stop()
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(self.port)" }

    /// Every request received so far, in order.
    public var requests: [Request] {
        self.lock.withLock { self.received }
    }

    /// Stops listening.
    public func stop() {
        let wasStopped = self.lock.withLock {
            defer { self.stopped = true }
            return self.stopped
        }
        guard !wasStopped else { return }
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(self.listener, nil, nil)
            if connection < 0 {
                if self.lock.withLock({ self.stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in self.serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        let terminator: [UInt8] = [13, 10, 13, 10]
        while !buffer.ends(containing: terminator) {
            let count = read(connection, &chunk, chunk.count)
            if count <= 0 { return }
            buffer += chunk[0..<count]
            if buffer.count > 1 << 20 { return }
        }
        let head = String(decoding: buffer, as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let request = Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers)
        self.lock.withLock { self.received.append(request) }
        switch self.respond(request) {
        case .dropConnection:
            return
        case .response(let status, let extra, let body):
            self.send(connection, status: status, headers: extra, body: body, bytes: body.count)
        case .truncated(let status, let body, let bytes):
            self.send(connection, status: status, headers: [:], body: body, bytes: min(bytes, body.count))
        }
    }

    private func send(_ connection: Int32, status: Int, headers: [String: String], body: Data, bytes: Int) {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        var fields = headers
        fields["Content-Length"] = String(body.count)
        fields["Connection"] = "close"
        if fields["Content-Type"] == nil { fields["Content-Type"] = "text/xml; charset=utf-8" }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        var out = Array(head.utf8)
        out += body.prefix(bytes)
        var offset = 0
        while offset < out.count {
            let written = out[offset...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(containing needle: [UInt8]) -> Bool {
        guard self.count >= needle.count else { return false }
        return self.suffix(needle.count).elementsEqual(needle)
    }
}
