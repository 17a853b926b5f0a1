import NIOCore
import PaperboyStore
import PostgresNIO

extension PostgresStore {
    /// The secret stored under `name`, made (random, `length` bytes) by whichever node asks first:
    /// every node of a site gets the same bytes, with nothing kept in a per-node file.
    public func sharedSecret(named name: String, length: Int = 32) async throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let candidate = ByteBuffer(bytes: (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try await self.execute(
            "INSERT INTO site_secret (name, value) VALUES (\(name), \(candidate)) ON CONFLICT (name) DO NOTHING")
        guard let row = try await self.rows("SELECT value FROM site_secret WHERE name = \(name)").first else {
            throw StoreError(.io, "site_secret \(name): not stored")
        }
        return Array(try PostgresStore.decode(row, ByteBuffer.self, table: "site_secret").readableBytesView)
    }
}
