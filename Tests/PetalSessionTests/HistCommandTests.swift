import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct HistCommandTests {
    @Test func histUsesNumpyEdges() {
        let s = irisSession()
        let e = s.execute("hist iris.petal_length bins=12")
        #expect(e.json().serialized().contains("\"counts\": [24, 26, 0, 0, 3, 8, 18, 25, 18, 17, 7, 4]"))
        #expect(e.renderText(width: 80).contains("[1.0000, 1.4917)  24  █"))
        let bad = s.execute("hist iris.variety")
        #expect(!bad.ok && bad.renderText(width: 80).contains("counts iris.variety"))
    }
}
