extension Paper {
    /// The paper that results when `incoming`, another record of the same paper, arrives.
    ///
    /// - Text (title, abstract, authors, categories, comment, journal reference, licence): a record
    ///   of the same or a later version wins where it has any; a record of an older version (a
    ///   re-harvest of history, a listing page with no version) only fills what is missing. When a
    ///   later version changes the title or abstract, the text it replaces is kept on the version
    ///   it belonged to, so the paper page can show what changed.
    /// - Announcement day: a real day (listing page, feed, daily list) wins over an estimate from
    ///   a submission date; between two of a kind the earliest wins.
    /// - Versions and links are united.
    ///
    /// Merging a record with itself changes nothing, so ingesting the same source twice is a no-op.
    ///
    /// - Precondition: both records have the same ``id``.
    public func merged(with incoming: Paper) -> Paper {
        precondition(self.id == incoming.id, "merging \(incoming.id) into \(self.id)")
        var result = self
        let currentVersion = self.latestVersion ?? 0
        let incomingVersion = incoming.latestVersion ?? 0
        result.versions = Self.unite(self.versions, incoming.versions)
        if incomingVersion >= currentVersion {
            if incomingVersion > currentVersion, currentVersion > 0,
                let index = result.versions.firstIndex(where: { $0.number == currentVersion })
            {
                // Keep the replaced version's text where the new version changes it.
                if !incoming.title.isEmpty, incoming.title != self.title { result.versions[index].title = self.title }
                if !incoming.abstract.isEmpty, incoming.abstract != self.abstract {
                    result.versions[index].abstract = self.abstract
                }
            }
            if !incoming.title.isEmpty { result.title = incoming.title }
            if !incoming.abstract.isEmpty { result.abstract = incoming.abstract }
            if !incoming.authors.isEmpty { result.authors = incoming.authors }
            if !incoming.categories.isEmpty { result.categories = incoming.categories }
            result.comment = incoming.comment ?? self.comment
            result.journalReference = incoming.journalReference ?? self.journalReference
            result.license = incoming.license ?? self.license
        } else {
            if result.title.isEmpty { result.title = incoming.title }
            if result.abstract.isEmpty { result.abstract = incoming.abstract }
            if result.authors.isEmpty { result.authors = incoming.authors }
            for category in incoming.categories where !result.categories.contains(category) {
                result.categories.append(category)
            }
            result.comment = self.comment ?? incoming.comment
            result.journalReference = self.journalReference ?? incoming.journalReference
            result.license = self.license ?? incoming.license
        }
        if self.announcedIsEstimate == incoming.announcedIsEstimate {
            result.announced = min(self.announced, incoming.announced)
        } else if self.announcedIsEstimate {
            result.announced = incoming.announced
            result.announcedIsEstimate = false
        }
        for link in incoming.links where !result.links.contains(link) {
            result.links.append(link)
        }
        return result
    }

    /// The paper that results when `record`, a record known only by its title (a listing-page
    /// entry, say), turns out to be this paper: this paper's data stays, the record adds its
    /// announcement day and links.
    public func absorbing(_ record: Paper) -> Paper {
        var copy = record
        copy.id = self.id
        copy.versions = []
        var result = self
        let merged = self.merged(with: copy)
        result.announced = merged.announced
        result.announcedIsEstimate = merged.announcedIsEstimate
        result.links = merged.links
        if result.abstract.isEmpty { result.abstract = record.abstract }
        if result.authors.isEmpty { result.authors = record.authors }
        return result
    }

    /// Versions of both lists by number; where both know a version, the one with a date wins, and
    /// text kept from either stays.
    private static func unite(_ old: [PaperVersion], _ new: [PaperVersion]) -> [PaperVersion] {
        if new.isEmpty || old == new { return old }
        var byNumber: [Int: PaperVersion] = [:]
        for version in old { byNumber[version.number] = version }
        for version in new {
            guard var existing = byNumber[version.number] else {
                byNumber[version.number] = version
                continue
            }
            if existing.submitted == nil { existing.submitted = version.submitted }
            if existing.title == nil { existing.title = version.title }
            if existing.abstract == nil { existing.abstract = version.abstract }
            byNumber[version.number] = existing
        }
        return byNumber.values.sorted()
    }
}
