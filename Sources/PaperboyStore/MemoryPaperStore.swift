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
    /// For papers with a real id: the title-derived id of their title → their id.
    private var titleOwners: [PaperID: PaperID] = [:]
    private var checkpoints: [String: String] = [:]

    /// Creates an empty store.
    public init() {}

    public func write(_ batch: StoreBatch) -> UpsertSummary {
        var summary = UpsertSummary()
        for incoming in batch.papers {
            if incoming.id.isTitleDerived, let owner = self.titleOwners[incoming.id], var entry = self.entries[owner] {
                let absorbed = entry.paper.absorbing(incoming)
                if absorbed == entry.paper {
                    summary.unchanged += 1
                } else {
                    self.sequence += 1
                    entry.paper = absorbed
                    entry.sequence = self.sequence
                    self.entries[owner] = entry
                    summary.updated += 1
                }
                continue
            }
            let stored = self.entries[incoming.id]
            var merged = stored.map { $0.paper.merged(with: incoming) } ?? incoming
            let titleID = merged.titleID
            if !incoming.id.isTitleDerived, let titleEntry = self.entries[titleID] {
                // The paper was listed by title before its real record arrived.
                merged = merged.absorbing(titleEntry.paper)
                self.entries[titleID] = nil
                self.sequence += 1
                self.removed[titleID] = self.sequence
                if stored == nil {
                    // Take over the title-only paper's place in its day's list.
                    self.sequence += 1
                    self.entries[incoming.id] = Entry(paper: merged, sequence: self.sequence, order: titleEntry.order)
                    self.removed[incoming.id] = nil
                    self.noteTitle(of: merged, replacing: nil)
                    summary.added += 1
                    continue
                }
            }
            if var entry = stored {
                if merged == entry.paper {
                    summary.unchanged += 1
                } else {
                    self.sequence += 1
                    self.noteTitle(of: merged, replacing: entry.paper)
                    entry.paper = merged
                    entry.sequence = self.sequence
                    self.entries[incoming.id] = entry
                    summary.updated += 1
                }
            } else {
                self.sequence += 1
                self.entries[incoming.id] = Entry(paper: merged, sequence: self.sequence, order: self.nextOrder)
                self.removed[incoming.id] = nil
                self.noteTitle(of: merged, replacing: nil)
                self.nextOrder += 1
                summary.added += 1
            }
        }
        for id in batch.removals {
            guard let entry = self.entries.removeValue(forKey: id) else { continue }
            if !id.isTitleDerived, self.titleOwners[entry.paper.titleID] == id {
                self.titleOwners[entry.paper.titleID] = nil
            }
            self.sequence += 1
            self.removed[id] = self.sequence
            summary.removed += 1
        }
        if let checkpoint = batch.checkpoint { self.checkpoints[checkpoint.name] = checkpoint.value }
        return summary
    }

    /// Keeps ``titleOwners`` in step with a paper with a real id.
    private func noteTitle(of paper: Paper, replacing old: Paper?) {
        guard !paper.id.isTitleDerived else { return }
        if let old, old.titleID != paper.titleID, self.titleOwners[old.titleID] == paper.id {
            self.titleOwners[old.titleID] = nil
        }
        if self.titleOwners[paper.titleID] == nil { self.titleOwners[paper.titleID] = paper.id }
    }

    public func checkpoint(named name: String) -> String? {
        self.checkpoints[name]
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

    public func paperKeys(announcedIn days: ClosedRange<CalendarDay>, category: String?) -> [PaperKey] {
        self.entries.values
            .filter { days.contains($0.paper.announced) && (category.map($0.paper.categories.contains) ?? true) }
            .sorted { ($0.paper.announced, $1.order) > ($1.paper.announced, $0.order) }
            .map { PaperKey(id: $0.paper.id, announced: $0.paper.announced) }
    }

    public func primaryCategoryCounts(announcedIn days: ClosedRange<CalendarDay>) -> [String: Int] {
        var counts: [String: Int] = [:]
        for entry in self.entries.values where days.contains(entry.paper.announced) {
            if let primary = entry.paper.categories.first { counts[primary, default: 0] += 1 }
        }
        return counts
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
