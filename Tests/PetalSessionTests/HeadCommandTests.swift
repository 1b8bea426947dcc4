import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct HeadCommandTests {
    @Test func headTailSample() {
        let s = irisSession()
        let head = s.execute("head iris 3").renderText(width: 80)
        #expect(head.contains("… 147 more rows"))
        #expect(head.contains("0           5.1          3.5           1.4          0.2  setosa"))
        #expect(s.execute("tail iris 2").renderText(width: 80).contains("149"))
        #expect(s.execute("sample iris 5 seed=1").json().serialized() == s.execute("sample iris 5 seed=1").json().serialized())
    }
}
