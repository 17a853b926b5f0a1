import Foundation
public import PaperboyModel

/// The trending score, as published on the /about page:
///
///     score = upvotes / (age + 2) ^ 1.5
///
/// where `age` is the number of whole days from the paper's announcement day to today (UTC),
/// never below zero. A new paper with a few upvotes thus ranks above an old one with a few more,
/// and every paper fades as it ages: after five days its upvotes count about a third as much as
/// on its first day.
public enum Trending {
    /// The days added to a paper's age, so that papers of today do not divide by zero.
    public static let ageOffset = 2.0
    /// How fast a paper fades with age.
    public static let gravity = 1.5

    /// The score of a paper with `upvotes` announced on `announced`, as of `today`.
    public static func score(upvotes: Int, announced: CalendarDay, today: CalendarDay) -> Double {
        guard upvotes > 0 else { return 0 }
        let age = Double(max(0, today.daysSinceEpoch - announced.daysSinceEpoch))
        return Double(upvotes) / pow(age + Self.ageOffset, Self.gravity)
    }
}
