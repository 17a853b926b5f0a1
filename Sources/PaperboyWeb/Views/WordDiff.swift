/// A word-by-word difference between two texts, for showing what a new version of a paper
/// changed: the longest common subsequence of words, with runs of removed and added words.
struct WordDiff: Equatable {
    /// A run of words that are in both texts, only in the old one, or only in the new one.
    struct Segment: Equatable {
        enum Kind: Equatable {
            case same, removed, added
        }

        var kind: Kind
        var text: String
    }

    /// The runs in reading order.
    var segments: [Segment]

    /// Whether the texts differ at all.
    var hasChanges: Bool { self.segments.contains { $0.kind != .same } }

    /// The difference from `old` to `new`. Very long texts (over 2,000 words on either side) are
    /// shown as one removal and one addition rather than compared word by word.
    init(from old: String, to new: String) {
        let a = old.split(whereSeparator: \.isWhitespace).map(String.init)
        let b = new.split(whereSeparator: \.isWhitespace).map(String.init)
        var segments: [Segment] = []
        func push(_ kind: Segment.Kind, _ word: String) {
            if let last = segments.last, last.kind == kind {
                segments[segments.count - 1].text += " " + word
            } else {
                segments.append(Segment(kind: kind, text: word))
            }
        }
        if a.count > 2_000 || b.count > 2_000 {
            if a != b {
                if !a.isEmpty { segments.append(Segment(kind: .removed, text: a.joined(separator: " "))) }
                if !b.isEmpty { segments.append(Segment(kind: .added, text: b.joined(separator: " "))) }
            } else if !a.isEmpty {
                segments.append(Segment(kind: .same, text: a.joined(separator: " ")))
            }
            self.segments = segments
            return
        }
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...].
        let width = b.count + 1
        var lengths = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i * width + j] =
                    a[i] == b[j]
                    ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                push(.same, a[i])
                i += 1
                j += 1
            } else if i < a.count, j == b.count || lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                // Removals first where both orders keep the common words.
                push(.removed, a[i])
                i += 1
            } else {
                push(.added, b[j])
                j += 1
            }
        }
        self.segments = segments
    }
}
