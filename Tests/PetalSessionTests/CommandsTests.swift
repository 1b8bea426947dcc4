import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct CommandsTests {
    @Test func errorsSayWhatToDo() {
        let s = irisSession()
        let unknown = s.execute("describ iris")
        #expect(unknown.renderText(width: 80).contains("did you mean describe?"))
        let noSet = s.execute("describe flowers")
        #expect(noSet.renderText(width: 80).contains("open data sets: iris"))
        let noCol = s.execute("hist iris.petal_lenght")
        #expect(noCol.renderText(width: 80).contains("did you mean petal_length?"))
        let badOption = s.execute("hist iris.petal_length bin=3")
        #expect(badOption.renderText(width: 80).contains("hist takes: bins="))
        let json = s.execute("open nowhere.csv").json().serialized()
        #expect(json.contains("\"ok\": false, \"error\": {\"message\": \"no such file\", \"file\": \"nowhere.csv\""))
    }
}
