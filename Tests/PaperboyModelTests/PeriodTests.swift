import PaperboyModel
import Testing

@Suite("Periods: ISO weeks and months")
struct PeriodTests {
    static func day(_ text: String) -> CalendarDay { try! CalendarDay(parsing: text) }

    @Test(
        "an ISO week runs Monday to Sunday, week 1 holds the year's first Thursday",
        arguments: [
            ("2025-W09", "2025-02-24", "2025-03-02"),
            ("2025-W01", "2024-12-30", "2025-01-05"),
            ("2020-W53", "2020-12-28", "2021-01-03"),
            ("2026-W01", "2025-12-29", "2026-01-04"),
            ("2015-W53", "2015-12-28", "2016-01-03"),
        ])
    func weeks(_ text: String, _ first: String, _ last: String) throws {
        let week = try Period.week(parsing: text)
        #expect(week.days == Self.day(first)...Self.day(last))
        #expect(week.description == text)
        #expect(Period.week(containing: Self.day(first)) == week)
        #expect(Period.week(containing: Self.day(last)) == week)
    }

    @Test("weeks per year: 53 when the year starts on a Thursday (or a Wednesday in a leap year)")
    func weeksInYear() {
        #expect(Period.weeksInYear(2020) == 53)
        #expect(Period.weeksInYear(2015) == 53)
        #expect(Period.weeksInYear(2026) == 53)
        #expect(Period.weeksInYear(2025) == 52)
        #expect(Period.weeksInYear(2021) == 52)
    }

    @Test("months, and stepping to the previous and next period across year ends")
    func monthsAndSteps() throws {
        let february = try Period.month(parsing: "2024-02")
        #expect(february.days == Self.day("2024-02-01")...Self.day("2024-02-29"))
        #expect(february.heading == "February 2024")
        #expect(try Period.month(parsing: "2025-01").previous == Period.month(year: 2024, month: 12))
        #expect(try Period.month(parsing: "2025-12").next == Period.month(year: 2026, month: 1))
        #expect(try Period.week(parsing: "2020-W53").next == Period.week(year: 2021, week: 1))
        #expect(try Period.week(parsing: "2021-W01").previous == Period.week(year: 2020, week: 53))
        #expect(Period.day(Self.day("2025-03-01")).previous == .day(Self.day("2025-02-28")))
    }

    @Test(
        "malformed periods say what is wrong",
        arguments: [
            ("2021-W53", "2021 has weeks W01–W52, not W53"),
            ("2025-W00", "not W00"),
            ("2025-09", "not an ISO week"),
            ("2025W09", "not an ISO week"),
        ])
    func badWeeks(_ text: String, _ message: String) {
        #expect {
            _ = try Period.week(parsing: text)
        } throws: { error in
            (error as? ModelError)?.code == .invalidPeriod && "\(error)".contains(message)
        }
    }

    @Test(
        "malformed months say what is wrong", arguments: [("2025-13", "month 13 is not 01–12"), ("25-01", "YYYY-MM")])
    func badMonths(_ text: String, _ message: String) {
        #expect {
            _ = try Period.month(parsing: text)
        } throws: { error in
            (error as? ModelError)?.code == .invalidPeriod && "\(error)".contains(message)
        }
    }
}
