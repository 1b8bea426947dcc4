import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct OpenCommandTests {
    @Test func openNamesTheDataSet() {
        let s = Session()
        let e = s.execute("open \(Repo.path("samples/seattle-weather.csv"))")
        #expect(e.ok)
        #expect(s.datasets.map(\.name) == ["seattle_weather"])
        #expect(e.renderText(width: 80).hasPrefix("seattle_weather: 1,461 rows × 6 columns"))
    }
}
