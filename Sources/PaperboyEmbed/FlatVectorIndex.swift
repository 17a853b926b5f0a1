import Dispatch
import Foundation
import Synchronization

/// Exact nearest-neighbour search over unit vectors by dot product (cosine similarity), each
/// vector kept as float32 and as int8 codes with a scale: a query scans the codes (a quarter of
/// the memory traffic), keeps the best candidates, and re-scores those with the float vectors, so
/// the results are the exact top-k unless more than ``rescoreFactor``× `limit` papers crowd
/// within the codes' rounding of the last one.
///
/// A value type: a reader keeps the snapshot it took while a writer changes its own copy. Keys are
/// the caller's (a paper id); slots are positions that change when a key is removed.
public struct FlatVectorIndex: Sendable {
    /// One found key and its similarity (the dot product of the float vectors).
    public struct Match: Sendable, Hashable {
        /// The key.
        public var key: String
        /// Cosine similarity for unit vectors.
        public var score: Float
    }

    /// The length of every vector.
    public let dimension: Int
    /// The keys, by slot.
    public private(set) var keys: [String] = []
    private var slots: [String: Int] = [:]
    private var vectors: [Float] = []
    private var codes: [Int8] = []
    private var scales: [Float] = []
    /// How many candidates per wanted result the int8 scan keeps for float re-scoring.
    public static let rescoreFactor = 8

    /// An empty index of vectors of length `dimension`.
    public init(dimension: Int) {
        precondition(dimension > 0)
        self.dimension = dimension
    }

    /// How many vectors the index holds.
    public var count: Int { self.keys.count }

    /// The slot of `key`, if it has a vector.
    public func slot(of key: String) -> Int? { self.slots[key] }

    /// The vector of `key`, if it has one.
    public func vector(of key: String) -> [Float]? {
        guard let slot = self.slots[key] else { return nil }
        return Array(self.vectors[slot * self.dimension..<(slot + 1) * self.dimension])
    }

    /// The float vector in `slot`.
    func vector(at slot: Int) -> ArraySlice<Float> {
        self.vectors[slot * self.dimension..<(slot + 1) * self.dimension]
    }

    /// Adds `vector` under `key`, or replaces the one it had.
    ///
    /// - Precondition: `vector.count == dimension`.
    public mutating func set(_ key: String, _ vector: [Float]) {
        precondition(vector.count == self.dimension, "vector of \(vector.count) values, expected \(self.dimension)")
        let slot: Int
        if let existing = self.slots[key] {
            slot = existing
        } else {
            slot = self.keys.count
            self.keys.append(key)
            self.slots[key] = slot
            self.vectors.append(contentsOf: repeatElement(0, count: self.dimension))
            self.codes.append(contentsOf: repeatElement(0, count: self.dimension))
            self.scales.append(0)
        }
        let base = slot * self.dimension
        self.vectors.replaceSubrange(base..<base + self.dimension, with: vector)
        let largest = vector.reduce(Float(0)) { max($0, abs($1)) }
        let scale = largest > 0 ? largest / 127 : 1
        self.scales[slot] = scale
        for index in 0..<self.dimension {
            self.codes[base + index] = Int8((vector[index] / scale).rounded())
        }
    }

    /// Removes the vector of `key` (the last slot moves into its place); returns whether it had one.
    @discardableResult
    public mutating func remove(_ key: String) -> Bool {
        guard let slot = self.slots.removeValue(forKey: key) else { return false }
        let last = self.keys.count - 1
        if slot != last {
            let moved = self.keys[last]
            self.keys[slot] = moved
            self.slots[moved] = slot
            let from = last * self.dimension
            let to = slot * self.dimension
            for index in 0..<self.dimension {
                self.vectors[to + index] = self.vectors[from + index]
                self.codes[to + index] = self.codes[from + index]
            }
            self.scales[slot] = self.scales[last]
        }
        self.keys.removeLast()
        self.vectors.removeLast(self.dimension)
        self.codes.removeLast(self.dimension)
        self.scales.removeLast()
        return true
    }

    /// The `limit` keys most similar to `query`, best first, among the slots `isAllowed` accepts
    /// (all when nil); ties go to the lower slot.
    ///
    /// Large indexes are scanned by two threads; the call returns when both are done.
    public func search(_ query: [Float], limit: Int, isAllowed: (@Sendable (Int) -> Bool)? = nil) -> [Match] {
        precondition(query.count == self.dimension, "query of \(query.count) values, expected \(self.dimension)")
        guard limit > 0, !self.keys.isEmpty else { return [] }
        let wanted = min(self.keys.count, limit * Self.rescoreFactor)
        let parts = self.keys.count >= 16_384 ? 2 : 1
        let chunk = (self.keys.count + parts - 1) / parts
        let found = Mutex<[[Candidate]]>(Array(repeating: [], count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = part * chunk..<min(self.keys.count, (part + 1) * chunk)
            let best = self.scanCodes(query, range: range, keep: wanted, isAllowed: isAllowed)
            found.withLock { $0[part] = best }
        }
        let candidates = found.withLock { $0 }.joined()
        var matches = query.withUnsafeBufferPointer { q in
            self.vectors.withUnsafeBufferPointer { vectors in
                candidates.map { candidate in
                    Candidate(
                        slot: candidate.slot,
                        score: Self.dot(
                            q.baseAddress!, vectors.baseAddress! + candidate.slot * self.dimension, self.dimension))
                }
            }
        }
        matches.sort { ($0.score, $1.slot) > ($1.score, $0.slot) }
        return matches.prefix(limit).map { Match(key: self.keys[$0.slot], score: $0.score) }
    }

    struct Candidate {
        var slot: Int
        var score: Float
    }

    /// The `keep` best slots of `range` by their int8 codes, in no order.
    private func scanCodes(
        _ query: [Float], range: Range<Int>, keep: Int, isAllowed: (@Sendable (Int) -> Bool)?
    ) -> [Candidate] {
        var heap = MinHeap(capacity: keep)
        query.withUnsafeBufferPointer { q in
            self.codes.withUnsafeBufferPointer { codes in
                self.scales.withUnsafeBufferPointer { scales in
                    for slot in range {
                        if let isAllowed, !isAllowed(slot) { continue }
                        let score =
                            Self.dot(q.baseAddress!, codes.baseAddress! + slot * self.dimension, self.dimension)
                            * scales[slot]
                        heap.offer(Candidate(slot: slot, score: score))
                    }
                }
            }
        }
        return heap.items
    }

    /// The dot product of a float vector and an int8 one, eight lanes at a time in four
    /// independent sums (one sum would wait on each multiply-add before the next).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Int8>, _ count: Int) -> Float {
        var sum0 = SIMD8<Float>()
        var sum1 = SIMD8<Float>()
        var sum2 = SIMD8<Float>()
        var sum3 = SIMD8<Float>()
        var index = 0
        @inline(__always) func floats(_ offset: Int) -> SIMD8<Float> {
            UnsafeRawPointer(a + offset).loadUnaligned(as: SIMD8<Float>.self)
        }
        while index + 32 <= count {
            sum0 = sum0.addingProduct(floats(index), Self.widen(b + index))
            sum1 = sum1.addingProduct(floats(index + 8), Self.widen(b + index + 8))
            sum2 = sum2.addingProduct(floats(index + 16), Self.widen(b + index + 16))
            sum3 = sum3.addingProduct(floats(index + 24), Self.widen(b + index + 24))
            index += 32
        }
        var sum = ((sum0 + sum1) + (sum2 + sum3)).sum()
        while index < count {
            sum += a[index] * Float(b[index])
            index += 1
        }
        return sum
    }

    /// Eight codes as floats. Written lane by lane, which the compiler turns into one widening
    /// and one conversion instruction; the generic `SIMD` conversions stay calls, which cost more
    /// than the arithmetic.
    @inline(__always)
    static func widen(_ codes: UnsafePointer<Int8>) -> SIMD8<Float> {
        var lanes = SIMD8<Float>()
        for lane in 0..<8 { lanes[lane] = Float(codes[lane]) }
        return lanes
    }

    /// The dot product of two float vectors.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var sum0 = SIMD8<Float>()
        var sum1 = SIMD8<Float>()
        var index = 0
        while index + 16 <= count {
            sum0 = sum0.addingProduct(
                UnsafeRawPointer(a + index).loadUnaligned(as: SIMD8<Float>.self),
                UnsafeRawPointer(b + index).loadUnaligned(as: SIMD8<Float>.self))
            sum1 = sum1.addingProduct(
                UnsafeRawPointer(a + index + 8).loadUnaligned(as: SIMD8<Float>.self),
                UnsafeRawPointer(b + index + 8).loadUnaligned(as: SIMD8<Float>.self))
            index += 16
        }
        var sum = (sum0 + sum1).sum()
        while index < count {
            sum += a[index] * b[index]
            index += 1
        }
        return sum
    }

    /// The best `capacity` candidates seen, the worst at the root.
    struct MinHeap {
        let capacity: Int
        var items: [Candidate] = []

        init(capacity: Int) {
            self.capacity = capacity
            self.items.reserveCapacity(capacity)
        }

        /// Worse: a lower score, or the same score at a later slot.
        @inline(__always)
        static func worse(_ a: Candidate, _ b: Candidate) -> Bool {
            a.score < b.score || (a.score == b.score && a.slot > b.slot)
        }

        mutating func offer(_ candidate: Candidate) {
            if self.items.count < self.capacity {
                self.items.append(candidate)
                var child = self.items.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard Self.worse(self.items[child], self.items[parent]) else { break }
                    self.items.swapAt(child, parent)
                    child = parent
                }
                return
            }
            guard Self.worse(self.items[0], candidate) else { return }
            self.items[0] = candidate
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < self.items.count else { break }
                var child = left
                if left + 1 < self.items.count, Self.worse(self.items[left + 1], self.items[left]) { child = left + 1 }
                guard Self.worse(self.items[child], self.items[parent]) else { break }
                self.items.swapAt(child, parent)
                parent = child
            }
        }
    }
}
