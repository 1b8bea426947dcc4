import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct ScatterCommandTests {
    @Test func plotsTwoColumnsInBraille() {
        let s = irisSession()
        let e = s.execute("scatter iris.petal_length iris.petal_width")
        #expect(e.ok)
        let text = e.renderText(width: 60)
        #expect(text.hasPrefix("iris: petal_width against petal_length"))
        #expect(text.contains("petal_length →") && text.contains("6.9") && text.contains("2.5"))
        #expect(text.unicodeScalars.contains { $0.value >= 0x2801 && $0.value <= 0x28FF })
        #expect(e.json().serialized().contains("\"rows\": 150"))
        #expect(text.split(separator: "\n").allSatisfy { TextWidth.of(String($0)) <= 60 })
    }

    @Test func classesComeFromByOrTheLastFitsTarget() {
        let s = irisSession()
        let by = s.execute("scatter iris.sepal_length iris.sepal_width by=variety")
        #expect(by.renderText(width: 80).contains("classes: setosa, versicolor, virginica"))
        guard let out = by.output as? ScatterOutput else { Issue.record("not a scatter"); return }
        #expect(out.classes.count == 150 && Set(out.classes) == [0, 1, 2])
        _ = s.execute("pipeline p = gaussian_nb")
        _ = s.execute("fit p on iris target=variety")
        #expect(s.knownTarget(for: "iris") == "variety")
        #expect(s.execute("scatter iris.sepal_length iris.sepal_width").renderText(width: 80).contains("by variety"))
    }

    @Test func matrixOfUpToFiveColumns() {
        let s = irisSession()
        let e = s.execute("scatter iris columns=sepal_length,petal_length,petal_width")
        #expect(e.renderText(width: 90).contains("scatter matrix of sepal_length, petal_length, petal_width"))
        let plain = s.execute("scatter iris")
        #expect(plain.renderText(width: 90).contains("sepal_length, sepal_width, petal_length, petal_width"))
    }

    @Test func badInputIsExplained() {
        let s = irisSession()
        let text = s.execute("scatter iris.variety iris.petal_width")
        #expect(!text.ok && text.renderText(width: 80).contains("not numeric"))
        let one = s.execute("scatter iris columns=sepal_length")
        #expect(!one.ok && one.renderText(width: 80).contains("2 to 5 numeric columns"))
        let missing = s.execute("scatter iris.nope iris.petal_width")
        #expect(!missing.ok)
        let many = s.execute("scatter iris.petal_length iris.petal_width by=sepal_length")
        #expect(many.ok)  // too many distinct values: plotted without classes
    }

    @Test func plotOnASmallCanvasDoesNotTrap() {
        let out = ScatterOutput(dataset: "d", columns: ["x", "y"], values: [[1, .nan, 3], [2, 4, .infinity]], classColumn: nil,
                                classNames: [], classes: [])
        #expect(out.layout(width: 3, height: 2, unicode: true).count == 2)
        #expect(out.layout(width: 0, height: 0, unicode: false).isEmpty)
        let empty = ScatterOutput(dataset: "d", columns: ["x", "y"], values: [[], []], classColumn: nil, classNames: [], classes: [])
        #expect(!empty.renderText(width: 40).isEmpty)
    }
}
