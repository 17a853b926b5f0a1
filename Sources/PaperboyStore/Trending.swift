import Foundation
public import PaperboyModel

/// The trending score, as published on the /about page:
///
///     score = upvotes / (age + 2) ^ 1.5
///
/// where `age` is the number of whole days from the day a paper is listed on (its announcement
/// day, or the day a member submitted it to) to today (UTC),
/// never below zero. A new paper with a few upvotes thus ranks above an old one with a few more,
/// and every paper fades as it ages: after five days its upvotes count about a third as much as
/// on its first day.
public enum Trending {
    /// The days added to a paper's age, so that papers of today do not divide by zero.
    public static let ageOffset = 2.0
    /// How fast a paper fades with age.
    public static let gravity = 1.5

    /// The score of a paper with `upvotes` listed on `announced`, as of `today`.
    public static func score(upvotes: Int, announced: CalendarDay, today: CalendarDay) -> Double {
        Self.score(upvotes: upvotes, age: Double(today.daysSinceEpoch - announced.daysSinceEpoch))
    }

    /// The score of a paper with `upvotes` listed `age` days ago (a negative age counts as 0).
    public static func score(upvotes: Int, age: Double) -> Double {
        guard upvotes > 0 else { return 0 }
        return Double(upvotes) / pow(max(0, age) + Self.ageOffset, Self.gravity)
    }
}
