extension Paper {
    /// The paper that results when `incoming`, a newer record of the same paper, arrives.
    ///
    /// The newer record's text wins where it has any; the announcement day is the earliest seen
    /// (a paper listed on two days was announced on the first); versions and links are united.
    /// Merging a record with itself changes nothing, so ingesting the same source twice is a no-op.
    ///
    /// - Precondition: both records have the same ``id``.
    public func merged(with incoming: Paper) -> Paper {
        precondition(self.id == incoming.id, "merging \(incoming.id) into \(self.id)")
        var result = self
        if !incoming.title.isEmpty { result.title = incoming.title }
        if !incoming.abstract.isEmpty { result.abstract = incoming.abstract }
        if !incoming.authors.isEmpty { result.authors = incoming.authors }
        if !incoming.categories.isEmpty { result.categories = incoming.categories }
        result.announced = min(self.announced, incoming.announced)
        result.versions = Self.unite(self.versions, incoming.versions)
        for link in incoming.links where !result.links.contains(link) {
            result.links.append(link)
        }
        return result
    }

    /// Versions of both lists by number; where both know a version, the one with a date wins.
    private static func unite(_ old: [PaperVersion], _ new: [PaperVersion]) -> [PaperVersion] {
        if new.isEmpty || old == new { return old }
        var byNumber: [Int: PaperVersion] = [:]
        for version in old { byNumber[version.number] = version }
        for version in new where version.submitted != nil || byNumber[version.number] == nil {
            byNumber[version.number] = version
        }
        return byNumber.values.sorted()
    }
}
