public import Foundation

/// A member's named list of papers, public (anyone with the link sees it) or private.
public struct PaperCollection: Hashable, Sendable, Identifiable {
    /// The store's number for the collection.
    public var id: Int64
    /// Whose it is.
    public var ownerID: Int64
    /// Its name.
    public var name: String
    /// Whether others may see it.
    public var isPublic: Bool
    /// When it was made.
    public var created: Date
    /// How many papers it holds.
    public var paperCount: Int

    /// Creates a collection.
    public init(id: Int64, ownerID: Int64, name: String, isPublic: Bool, created: Date, paperCount: Int = 0) {
        self.id = id
        self.ownerID = ownerID
        self.name = name
        self.isPublic = isPublic
        self.created = created
        self.paperCount = paperCount
    }

    /// Checks a collection name: at most 100 characters (Unicode scalars), not blank, no control characters.
    ///
    /// - Throws: ``ModelError`` with code ``ModelError/Code/invalidText``.
    public static func checkedName(_ text: String) throws(ModelError) -> String {
        guard text.unicodeScalars.count <= 100 else {
            throw ModelError(.invalidText, "the collection name is longer than 100 characters")
        }
        let name = String(text.trimmingWhitespace())
        guard !name.isEmpty else { throw ModelError(.invalidText, "the collection name is empty") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ModelError(.invalidText, "the collection name contains a control character")
        }
        guard !name.unicodeScalars.contains(where: \.isBidirectionalControl) else {
            throw ModelError(.invalidText, "the collection name contains a character that reverses the text around it")
        }
        return name
    }
}
