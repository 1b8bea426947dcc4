import Foundation
import Testing
import PetalData
@testable import PetalSession
@testable import PetalTUI

/// `monitor` as a chart: a column per period whose height is its accuracy, a dot where no outcome arrived yet, the
/// period labels under the axis and the table below.
@Suite struct MonitorViewTests {
    static let day: Int64 = 86_400_000_000

    static func output(_ accuracies: [Double?], classification: Bool = true) -> MonitorOutput {
        let start = DateParsing.parse("2026-11-02")?.micros ?? 0
        let periods = accuracies.enumerated().map { k, a -> MonitorOutput.Period in
            var p = MonitorOutput.Period(start: start + Int64(k) * day, predictions: 10, outcomes: a == nil ? 0 : 10)
            if classification { p.accuracy = a } else { p.mae = a; p.rmse = a }
            return p
        }
        return MonitorOutput(model: "iris/2", reference: "iris@champion", weekly: false, classification: classification, periods: periods)
    }

    static func render(_ view: MonitorView, width: Int = 80, height: Int = 24, unicode: Bool = true) -> Grid {
        var grid = Grid(width: width, height: height)
        view.draw(into: &grid, rect: grid.bounds, context: DrawContext(unicode: unicode))
        return grid
    }

    /// The number of rows of column `x` holding a bar glyph.
    static func barRows(_ grid: Grid, x: Int, glyphs: Set<String>) -> Int {
        (0..<grid.height).filter { y in grid.cell(x: x, y: y).map { glyphs.contains($0.text) } ?? false }.count
    }

    @Test func columnsFollowAccuracyWithADotWhereNoOutcomeArrived() throws {
        let grid = Self.render(MonitorView(output: Self.output([1.0, 0.5, nil, 0.25])), height: 30)
        let height = MonitorView.chartHeight(30)
        #expect(grid.contains("1.00") && grid.contains("0.50") && grid.contains("0.00"))
        #expect(grid.contains("11-02") && grid.contains("11-05"))
        let axis = try #require(grid.find("│"))
        let x0 = axis.x + 1
        let slot = try #require(grid.find("11-03")).x - x0
        // Full column: every row of the plot is a full block; half: half the rows; a quarter: a quarter.
        #expect(Self.barRows(grid, x: x0, glyphs: ["█"]) == height)
        #expect(Self.barRows(grid, x: x0 + slot, glyphs: ["█"]) == height / 2)
        #expect(Self.barRows(grid, x: x0 + 3 * slot, glyphs: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]) == (height + 3) / 4)
        #expect(grid.cell(x: x0 + 2 * slot, y: axis.y + height - 1)?.text == "·")
        // The table follows the chart.
        #expect(grid.contains("predictions") && grid.contains("0.2500") && grid.contains("2026-11-04"))
    }

    @Test func asciiAndErrorsAndNothingLogged() {
        let ascii = Self.render(MonitorView(output: Self.output([2.0, 4.0], classification: false)), unicode: false)
        #expect(ascii.contains("#") && ascii.contains("|") && !ascii.contains("█"))
        #expect(ascii.contains("mae 4"))   // the error's scale runs to the largest value
        let empty = Self.render(MonitorView(output: Self.output([])))
        #expect(empty.contains("has logged no predictions yet"))
        // Many periods: the latest that fit are drawn, with the first and last dates shown.
        let many = Self.render(MonitorView(output: Self.output((0..<60).map { Double($0 % 10) / 10 })), width: 60)
        #expect(many.contains("2026-12-31"))
    }
}
