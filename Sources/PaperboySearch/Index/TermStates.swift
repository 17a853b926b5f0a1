/// What the in-memory index keeps per term while documents arrive: its postings stream and where
/// its last occurrence was. Raw memory grown by doubling, so the per-token updates cost no
/// copy-on-write checks; one owner, never copied while written.
struct TermStates {
    struct State {
        var stream = ByteSlicePool.Stream()
        var lastDoc: Int32 = -1
        var lastPosition: UInt32 = 0
        var lastField: UInt8 = 0
    }

    private(set) var states: UnsafeMutablePointer<State>
    private var capacity: Int
    private(set) var count = 0
    private let owner: Owner

    private final class Owner {
        var states: UnsafeMutablePointer<State>
        var count = 0

        init(_ states: UnsafeMutablePointer<State>) {
            self.states = states
        }

        deinit {
            self.states.deinitialize(count: self.count)
            self.states.deallocate()
        }
    }

    init(capacity: Int = 1 << 14) {
        self.capacity = capacity
        self.states = .allocate(capacity: capacity)
        self.owner = Owner(self.states)
    }

    /// Adds a fresh state; its index is the term's ordinal.
    mutating func append() {
        if self.count == self.capacity {
            let capacity = self.capacity * 2
            let states = UnsafeMutablePointer<State>.allocate(capacity: capacity)
            states.moveInitialize(from: self.states, count: self.count)
            self.states.deallocate()
            self.states = states
            self.capacity = capacity
            self.owner.states = states
        }
        (self.states + self.count).initialize(to: State())
        self.count += 1
        self.owner.count = self.count
    }

    @inline(__always)
    subscript(ordinal: Int) -> State {
        get { self.states[ordinal] }
        nonmutating _modify { yield &self.states[ordinal] }
    }
}
