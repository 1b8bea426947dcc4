import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct TextTableTests {
    @Test func wideTablesElideMiddleColumns() {
        var t = TextTable(headers: ["", "a_long_name", "b_long_name", "c_long_name", "d_long_name"],
                          alignments: [.right, .right, .right, .right, .right], rows: [["0", "1", "2", "3", "4"]])
        t.subheaders = ["", "int", "int", "int", "int"]
        t.stickyColumns = 1
        let text = t.render(width: 40)
        #expect(text.contains("…"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 40 })
        #expect(t.render(width: 5).contains("…"))
    }
}
