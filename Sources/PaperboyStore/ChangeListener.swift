/// What another process changed in a database several nodes share.
public enum StoreChange: String, Sendable, CaseIterable {
    /// Papers were written or removed: follow the change feed.
    case papers
    /// Upvotes, comments, submissions, collections or members changed: lists show new counts.
    case community
}

/// Tells a node, within moments, that some process (another node, an ingest) wrote to the
/// database they share, so that it follows the change feed at once and empties its caches
/// instead of waiting for its next poll. Polling stays the fallback: a notice can be missed while
/// the connection is down.
public protocol ChangeListener: Sendable {
    /// Calls `onChange` for every notice until the task is cancelled (then returns) or the
    /// connection drops (then throws; call again to listen again).
    func listen(_ onChange: @escaping @Sendable (StoreChange) -> Void) async throws
}
