/// The `capacity` most frequent terms seen, kept in a min-heap on frequency; a term is copied
/// only when it enters.
struct BoundedTerms {
    let capacity: Int
    private var heap: [(frequency: Int, term: [UInt8])] = []

    init(capacity: Int) {
        self.capacity = capacity
        self.heap.reserveCapacity(capacity)
    }

    var terms: [[UInt8]] { self.heap.map(\.term) }

    mutating func offer(_ term: UnsafeRawBufferPointer, frequency: Int) {
        if self.heap.count < self.capacity {
            self.heap.append((frequency, Array(term)))
            var child = self.heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard self.heap[child].frequency < self.heap[parent].frequency else { break }
                self.heap.swapAt(child, parent)
                child = parent
            }
            return
        }
        guard frequency > self.heap[0].frequency else { return }
        self.heap[0] = (frequency, Array(term))
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < self.heap.count, self.heap[left].frequency < self.heap[smallest].frequency { smallest = left }
            if right < self.heap.count, self.heap[right].frequency < self.heap[smallest].frequency { smallest = right }
            if smallest == parent { return }
            self.heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
