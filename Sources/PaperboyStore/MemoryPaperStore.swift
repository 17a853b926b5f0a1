public import PaperboyModel

/// A ``PaperStore`` in memory: for tests, demos and tools that need no file.
public actor MemoryPaperStore: PaperStore {
    private struct Entry {
        var paper: Paper
        var sequence: Int64
        /// Insertion order, kept across updates: the order of a day's list.
        var order: Int
    }

    private var entries: [PaperID: Entry] = [:]
    private var removed: [PaperID: Int64] = [:]
    private var sequence: Int64 = 0
    private var nextOrder = 0

    /// Creates an empty store.
    public init() {}

    public func upsert(_ papers: [Paper]) -> UpsertSummary {
        var summary = UpsertSummary()
        for incoming in papers {
            if var entry = self.entries[incoming.id] {
                let merged = entry.paper.merged(with: incoming)
                if merged == entry.paper {
                    summary.unchanged += 1
                } else {
                    self.sequence += 1
                    entry.paper = merged
                    entry.sequence = self.sequence
                    self.entries[incoming.id] = entry
                    summary.updated += 1
                }
            } else {
                self.sequence += 1
                self.entries[incoming.id] = Entry(paper: incoming, sequence: self.sequence, order: self.nextOrder)
                self.removed[incoming.id] = nil
                self.nextOrder += 1
                summary.added += 1
            }
        }
        return summary
    }

    @discardableResult
    public func remove(_ ids: [PaperID]) -> Int {
        var count = 0
        for id in ids where self.entries.removeValue(forKey: id) != nil {
            self.sequence += 1
            self.removed[id] = self.sequence
            count += 1
        }
        return count
    }

    public func paper(id: PaperID) -> Paper? {
        self.entries[id]?.paper
    }

    public func papers(ids: [PaperID]) -> [Paper] {
        ids.compactMap { self.entries[$0]?.paper }
    }

    public func papers(announcedOn day: CalendarDay, page: PageRequest) -> Page<Paper> {
        let all = self.entries.values.filter { $0.paper.announced == day }.sorted { $0.order < $1.order }
        let slice = all.dropFirst(page.offset).prefix(page.limit)
        return Page(items: slice.map(\.paper), total: all.count)
    }

    public func announcementDays(limit: Int) -> [AnnouncementDay] {
        var counts: [CalendarDay: Int] = [:]
        for entry in self.entries.values { counts[entry.paper.announced, default: 0] += 1 }
        return counts.sorted { $0.key > $1.key }.prefix(max(0, limit)).map {
            AnnouncementDay(day: $0.key, paperCount: $0.value)
        }
    }

    public func adjacentAnnouncementDays(to day: CalendarDay) -> AdjacentDays {
        var previous: CalendarDay?
        var next: CalendarDay?
        for entry in self.entries.values {
            let other = entry.paper.announced
            if other < day, previous.map({ other > $0 }) ?? true { previous = other }
            if other > day, next.map({ other < $0 }) ?? true { next = other }
        }
        return AdjacentDays(previous: previous, next: next)
    }

    public func count() -> Int {
        self.entries.count
    }

    public func changes(since sequence: Int64, limit: Int) -> [PaperChange] {
        var changes = self.entries.values.filter { $0.sequence > sequence }.map {
            PaperChange(sequence: $0.sequence, id: $0.paper.id, paper: $0.paper)
        }
        for (id, removedAt) in self.removed where removedAt > sequence {
            changes.append(PaperChange(sequence: removedAt, id: id, paper: nil))
        }
        changes.sort { $0.sequence < $1.sequence }
        return Array(changes.prefix(max(0, limit)))
    }

    public func latestSequence() -> Int64 {
        self.sequence
    }
}
