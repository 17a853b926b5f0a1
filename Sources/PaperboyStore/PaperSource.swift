public import PaperboyModel

/// Somewhere a paper unknown to the store can be fetched from and written to it (the harvester's
/// arXiv API fetcher), for submissions.
public protocol PaperSource: Sendable {
    /// Fetches the paper with this id and writes it to the store.
    ///
    /// - Throws: an error saying why when the source cannot be reached or does not know the id.
    func fetch(_ id: ArxivID) async throws
}
