import Foundation
import PaperboyModel

/// Small charts drawn on the server as inline SVG: no script, no images to fetch.
enum SVGChart {
    /// A sparkline of a paper's upvotes over the last `days` days: the running total at the end
    /// of each day. `nil` when the paper has no upvotes.
    static func sparkline(upvotes dates: [Date], today: CalendarDay, days: Int = 30) -> String? {
        guard !dates.isEmpty else { return nil }
        let first = today.adding(days: -(days - 1))
        var totals = [Int](repeating: 0, count: days)
        var before = 0
        for date in dates {
            let index = CalendarDay(date).daysSinceEpoch - first.daysSinceEpoch
            if index < 0 { before += 1 } else if index < days { totals[index] += 1 }
        }
        var running = before
        for index in totals.indices {
            running += totals[index]
            totals[index] = running
        }
        let width = 120.0
        let height = 24.0
        let peak = Double(max(1, totals.last ?? 1))
        let points = totals.enumerated().map { index, total in
            let x = Double(index) * width / Double(days - 1)
            let y = height - 2 - Double(total) / peak * (height - 4)
            return "\(Self.number(x)),\(Self.number(y))"
        }
        let label =
            "\(dates.count) upvote\(dates.count == 1 ? "" : "s"), \(totals.last! - before) in the last \(days) days"
        return """
            <svg class="sparkline" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" \
            role="img" aria-label="\(HTML.escape(label))"><title>\(HTML.escape(label))</title>\
            <polyline fill="none" stroke="currentColor" stroke-width="1.5" points="\(points.joined(separator: " "))"/></svg>
            """
    }

    /// Horizontal bars of counts, largest first, at most `limit`, each linking to `link(name)`.
    static func bars(_ counts: [String: Int], limit: Int = 12, link: (String) -> String) -> String? {
        let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit)
        guard let peak = top.first?.value, peak > 0 else { return nil }
        let rowHeight = 22
        let labelWidth = 110
        let barWidth = 260
        let height = rowHeight * top.count
        var svg = """
            <svg class="bars" viewBox="0 0 \(labelWidth + barWidth + 60) \(height)" role="img" \
            aria-label="Papers by primary category">
            """
        for (row, entry) in top.enumerated() {
            let y = row * rowHeight
            let length = max(2, Int(Double(entry.value) / Double(peak) * Double(barWidth)))
            let name = HTML.escape(entry.key)
            svg += """
                <a href="\(HTML.escape(link(entry.key)))"><text x="0" y="\(y + 15)" fill="currentColor" font-size="13">\(name)</text>\
                <rect x="\(labelWidth)" y="\(y + 4)" width="\(length)" height="\(rowHeight - 8)" rx="3" class="bar"/>\
                <text x="\(labelWidth + length + 6)" y="\(y + 15)" fill="currentColor" font-size="12">\(entry.value)</text></a>
                """
        }
        return svg + "</svg>"
    }

    private static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
