import Foundation
import PaperboyModel
import Testing

@Suite("Calendar days")
struct CalendarDayTests {
    @Test("parses YYYY-MM-DD and the date part of timestamps")
    func parse() throws {
        #expect(try CalendarDay(parsing: "2025-03-12") == CalendarDay(year: 2025, month: 3, day: 12))
        #expect(try CalendarDay(parsing: "2024-02-29T10:00:00Z") == CalendarDay(year: 2024, month: 2, day: 29))
    }

    @Test(
        "rejects what is not a real date",
        arguments: ["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-1", "25-01-01", "", "tomorrow"])
    func invalid(text: String) {
        #expect(throws: ModelError.self) { try CalendarDay(parsing: text) }
    }

    @Test("day numbers round-trip across leap years and centuries")
    func roundTrip() {
        for days in stride(from: -700_000, through: 2_900_000, by: 997) {  // years 53 to 9909
            let day = CalendarDay(daysSinceEpoch: days)
            #expect(day.daysSinceEpoch == days)
            #expect(CalendarDay(year: day.year, month: day.month, day: day.day) == day)
        }
        #expect(CalendarDay(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(CalendarDay(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDay(year: 1900, month: 2, day: 29) == nil)
    }

    @Test("weekdays, headings and arithmetic")
    func calendar() {
        let day = CalendarDay(year: 2026, month: 3, day: 12)!
        #expect(day.isoWeekday == 4)  // a Thursday
        #expect(day.longHeading == "Thursday, March 12, 2026")
        #expect(day.shortHeading == "Mar 12")
        #expect(day.adding(days: 20).description == "2026-04-01")
        #expect(day.adding(days: -12).description == "2026-02-28")
        #expect(CalendarDay(Date(timeIntervalSince1970: 86_400 * 3 - 1)).description == "1970-01-03")
        #expect(day.startOfDayUTC.timeIntervalSince1970 == Double(day.daysSinceEpoch) * 86_400)
    }
}
