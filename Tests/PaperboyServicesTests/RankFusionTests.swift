import PaperboyServices
import Testing

@Suite("Rank fusion")
struct RankFusionTests {
    static func list(_ pairs: [(String, Float)]) -> [RetrievedList.Hit] {
        pairs.map { RetrievedList.Hit(key: $0.0, score: $0.1) }
    }

    @Test("reciprocal rank fusion sums 1/(60 + rank); ties go to the first met")
    func reciprocal() {
        let fused = RankFusion.reciprocal([
            Self.list([("a", 9), ("b", 5), ("c", 1)]), Self.list([("c", 0.9), ("a", 0.8), ("d", 0.1)]),
        ])
        #expect(fused.map(\.key) == ["a", "c", "b", "d"])
        #expect(abs(Double(fused[0].score) - (1.0 / 61 + 1.0 / 62)) < 1e-6)
        #expect(abs(Double(fused[1].score) - (1.0 / 63 + 1.0 / 61)) < 1e-6)
        let tie = RankFusion.reciprocal([Self.list([("x", 1)]), Self.list([("y", 1)])])
        #expect(tie.map(\.key) == ["x", "y"])
    }

    @Test("convex fusion normalises each list to [0, 1] and weighs them")
    func convex() {
        let words = Self.list([("a", 20), ("b", 15), ("c", 10)])
        let meaning = Self.list([("c", 0.9), ("d", 0.5)])
        let fused = RankFusion.convex(words, meaning, weight: 0.5)
        // a: 0.5·1; b: 0.5·0.5; c: 0.5·0 + 0.5·1; d: 0.
        #expect(fused.map(\.key) == ["a", "c", "b", "d"])
        #expect(fused.map(\.score) == [0.5, 0.5, 0.25, 0])
        #expect(RankFusion.convex(words, meaning, weight: 1).first?.key == "a")
        #expect(RankFusion.convex(words, meaning, weight: 0).first?.key == "c")
        #expect(RankFusion.convex([], [], weight: 0.5).isEmpty)
        #expect(RankFusion.hybrid(keyword: words, semantic: meaning).map(\.key) == fused.map(\.key))
    }
}
