import Testing

@testable import PaperboyWeb

@Suite("Word diffs between versions")
struct WordDiffTests {
    @Test("same, removed and added runs in reading order")
    func runs() {
        let diff = WordDiff(from: "the quick brown fox jumps", to: "the slow brown fox leaps high")
        #expect(
            diff.segments == [
                .init(kind: .same, text: "the"), .init(kind: .removed, text: "quick"),
                .init(kind: .added, text: "slow"), .init(kind: .same, text: "brown fox"),
                .init(kind: .removed, text: "jumps"), .init(kind: .added, text: "leaps high"),
            ])
        #expect(diff.hasChanges)
    }

    @Test("equal texts have no changes; white space alone is no change")
    func equal() {
        #expect(!WordDiff(from: "a  b\nc", to: "a b c").hasChanges)
        #expect(WordDiff(from: "", to: "").segments.isEmpty)
        #expect(WordDiff(from: "", to: "new").segments == [.init(kind: .added, text: "new")])
    }
}
