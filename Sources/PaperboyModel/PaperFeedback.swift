/// A member's explicit word on a paper, from the buttons of its card: what "For you" weighs most.
public enum PaperFeedback: String, Sendable, Hashable, CaseIterable, Codable {
    /// "More like this": a positive, as an upvote is, but private.
    case moreLikeThis = "more_like_this"
    /// "Not interested": the strongest negative; the paper leaves the member's lists and digests.
    case notInterested = "not_interested"
}
