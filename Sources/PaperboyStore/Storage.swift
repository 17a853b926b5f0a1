public import Foundation

/// Every store the application uses, supplied whole by one backend (SQLite, PostgreSQL, or memory
/// in tests)
/// and built once, in the executable. Services take the parts they need; nothing falls back to
/// memory behind a backend's back.
public struct Storage: Sendable {
    /// How a backend commits a digest's sent mark right before the mail's final dot.
    public enum SentMarking: Sendable {
        /// ``SubscriptionStore/markSent(id:owner:at:)``, awaited between the message and its end.
        case awaited
        /// A blocking commit that the mail connection's own thread runs, writing the final dot
        /// right after it, so that no scheduling gap lies between the two (SQLite: one local
        /// file, a commit of a few hundred microseconds).
        case synchronous(@Sendable (_ id: Int64, _ owner: String, _ at: Date) throws -> Bool)
    }

    /// The backend's name for `/health` and logs (`sqlite`, `postgres`, `memory`).
    public var backend: String
    /// Papers, checkpoints and the change feed.
    public var papers: any PaperStore
    /// Upvotes.
    public var votes: any VoteStore
    /// Members, sessions, sign-ups and API tokens.
    public var members: any MemberStore
    /// Comments, collections and submissions.
    public var community: any CommunityStore
    /// Digest subscriptions, the outbox and the papers mailed.
    public var subscriptions: any SubscriptionStore
    /// The papers' embedding vectors.
    public var embeddings: any EmbeddingStore
    /// The lists of papers, paged where the papers live, and their cards.
    public var lists: any ListStore
    /// Members' "more like this" and "not interested".
    public var feedback: any FeedbackStore
    /// How the digest sender commits a sent mark.
    public var sentMarking: SentMarking
    /// Notices of writes by other processes, for a backend several nodes share (`nil`: only
    /// polling, enough for one process).
    public var changeListener: (any ChangeListener)?
    /// Jobs one node at a time runs, for a backend several nodes share (`nil`: one process).
    public var exclusive: (any ExclusiveRunner)?
    /// Rate-limit buckets every node sees, for a backend several nodes share (`nil`: each process
    /// keeps its own in memory, enough for one).
    public var rateLimits: (any RateLimitStore)?
    /// How many of its pool's connections a backend with one has in use, and at most (for
    /// `/metrics`; `nil` for a backend without a pool).
    public var connectionPoolUse: (@Sendable () -> (inUse: Int, capacity: Int))?

    /// Creates the storage from a backend's stores.
    public init(
        backend: String, papers: any PaperStore, votes: any VoteStore, members: any MemberStore,
        community: any CommunityStore, subscriptions: any SubscriptionStore, embeddings: any EmbeddingStore,
        lists: any ListStore, feedback: any FeedbackStore, sentMarking: SentMarking = .awaited,
        changeListener: (any ChangeListener)? = nil,
        exclusive: (any ExclusiveRunner)? = nil, rateLimits: (any RateLimitStore)? = nil,
        connectionPoolUse: (@Sendable () -> (inUse: Int, capacity: Int))? = nil
    ) {
        self.backend = backend
        self.papers = papers
        self.votes = votes
        self.members = members
        self.community = community
        self.subscriptions = subscriptions
        self.embeddings = embeddings
        self.lists = lists
        self.feedback = feedback
        self.sentMarking = sentMarking
        self.changeListener = changeListener
        self.exclusive = exclusive
        self.rateLimits = rateLimits
        self.connectionPoolUse = connectionPoolUse
    }

    /// A fresh storage in memory (tests and throwaway runs), over `papers` when given.
    public static func memory(papers: any PaperStore = MemoryPaperStore()) -> Storage {
        let votes = MemoryVoteStore()
        let members = MemoryMemberStore()
        let community = MemoryCommunityStore()
        return Storage(
            backend: "memory", papers: papers, votes: votes, members: members, community: community,
            subscriptions: MemorySubscriptionStore(), embeddings: MemoryEmbeddingStore(),
            lists: MemoryListStore(papers: papers, votes: votes, community: community, members: members),
            feedback: MemoryFeedbackStore())
    }
}
