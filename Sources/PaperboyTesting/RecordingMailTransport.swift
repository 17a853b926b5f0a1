import Foundation
public import PaperboyMail
public import PaperboyServices

/// A mail transport for unit and component tests: records what was sent and answers per
/// recipient as `refuse` says (nil: accept; an error: refuse before the commit point);
/// `beforeCommit` runs between the text and the commit point.
public final class RecordingMailTransport: MailTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [MailMessage] = []
    private var opened = 0
    let refuse: @Sendable (String) -> MailError?
    let beforeCommit: @Sendable () async -> Void
    let refuseAfterCommit: @Sendable (String) -> MailError?

    /// Creates a transport.
    public init(
        refuse: @escaping @Sendable (String) -> MailError? = { _ in nil },
        beforeCommit: @escaping @Sendable () async -> Void = {},
        refuseAfterCommit: @escaping @Sendable (String) -> MailError? = { _ in nil }
    ) {
        self.refuse = refuse
        self.beforeCommit = beforeCommit
        self.refuseAfterCommit = refuseAfterCommit
    }

    /// The messages sent, in order.
    public var sent: [MailMessage] { self.lock.withLock { self.messages } }
    /// How many sessions were opened.
    public var sessions: Int { self.lock.withLock { self.opened } }

    public func open() async throws -> any MailSession {
        self.lock.withLock { self.opened += 1 }
        return Session(transport: self)
    }

    fileprivate func record(_ message: MailMessage) {
        self.lock.withLock { self.messages.append(message) }
    }

    private struct Session: MailSession {
        let transport: RecordingMailTransport

        func send(
            _ message: MailMessage, willCommit: @Sendable () async throws -> Void,
            commitNow: (@Sendable () throws -> Void)?
        ) async throws(MailError) -> [String] {
            _ = try message.rendered()
            if let error = self.transport.refuse(message.to[0].address) { throw error }
            await self.transport.beforeCommit()
            do {
                try await willCommit()
                try commitNow?()
            } catch {
                throw MailError(.withdrawn, "withdrawn: \(error)")
            }
            if let error = self.transport.refuseAfterCommit(message.to[0].address) { throw error }
            self.transport.record(message)
            return []
        }

        func close() async {}
    }
}
