import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// A fetched HTTP response.
public struct FetchedPage: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields, names lower-cased.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Fetches URLs: the seam between the harvesters and the network.
public protocol HTTPFetcher: Sendable {
    /// GETs `url`. Throws on network failures (refused, reset, timed out, a body cut short).
    func get(_ url: String) async throws -> FetchedPage
}

/// ``HTTPFetcher`` over AsyncHTTPClient's shared client.
public struct NetworkFetcher: HTTPFetcher {
    /// How long one request may take, end to end.
    public var timeout: Duration
    /// The `User-Agent` sent with each request.
    public var userAgent: String
    /// The largest body accepted.
    public var maxBodyBytes: Int

    /// Creates a fetcher.
    public init(
        timeout: Duration = .seconds(120), userAgent: String = "Paperboy/1.0 (self-hosted paper discovery)",
        maxBodyBytes: Int = 256 << 20
    ) {
        self.timeout = timeout
        self.userAgent = userAgent
        self.maxBodyBytes = maxBodyBytes
    }

    public func get(_ url: String) async throws -> FetchedPage {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: self.userAgent)
        request.headers.add(name: "Accept-Encoding", value: "identity")
        let seconds = Int64(self.timeout.components.seconds)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(max(1, seconds)))
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        let body = try await response.body.collect(upTo: self.maxBodyBytes)
        return FetchedPage(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
    }
}
