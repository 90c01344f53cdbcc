import SkyClient
import Testing

@Suite struct SparklineTests {
    @Test func barsScaleFromTheMinimumToTheMaximum() {
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([10, 0, 10]) == "█▁█")
    }

    @Test func aFlatSeriesIsAFlatLineAndNonFiniteValuesAreDropped() {
        #expect(Sparkline.render([3, 3, 3]) == "▅▅▅")
        #expect(Sparkline.render([1, .nan, 2, .infinity]) == "▁█")
        #expect(Sparkline.render([]) == "")
    }

    @Test func longSeriesAreAveragedIntoTheWidth() {
        let line = Sparkline.render((0..<1000).map(Double.init), width: 10)
        #expect(line.count == 10)
        #expect(line.first == "▁" && line.last == "█")
    }

    @Test func theChartHasOneRowPerLevelWithTheRangeOnItsAxis() {
        let rows = Sparkline.chart([0, 5, 10], width: 10, height: 2).split(separator: "\n").map(String.init)
        #expect(rows.count == 2)
        #expect(rows[0] == "10 ┤ ▁█")
        #expect(rows[1] == " 0 ┤▁██")
    }
}
