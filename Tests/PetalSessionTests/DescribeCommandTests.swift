import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct DescribeCommandTests {
    @Test func describeTextAndJSON() throws {
        let s = irisSession()
        let e = s.execute("describe iris")
        let text = e.renderText(width: 80)
        #expect(text.contains("mean        5.843333     3.057333      3.758000     1.199333"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let json = e.json().serialized()
        #expect(json.hasPrefix("{\"command\": \"describe\", \"input\": \"describe iris\", \"ok\": true, \"result\": {\"dataset\": \"iris\""))
        #expect(json.contains("\"name\": \"variety\", \"type\": \"text\", \"count\": 150, \"null_count\": 0, \"unique\": 3, \"top\": \"setosa\", \"freq\": 50"))
        #expect(json.contains("\"25%\": 5.1"))
    }

    @Test func describeOneColumnAndGroups() {
        let s = irisSession()
        #expect(s.execute("describe iris.petal_length").renderText(width: 80).contains("petal_length"))
        let g = s.execute("describe iris by=variety").renderText(width: 80)
        #expect(g.contains("variety = setosa  (50 rows)"))
        #expect(g.contains("variety = virginica"))
    }
}
