import Foundation
import Testing
@testable import PetalSession

@Suite struct UndoCommandTests {
    @Test func undoPutsBackAFilterInPlaceAndRedoes() throws {
        let s = irisSession()
        mustRun(s, "filter iris petal_length > 4")
        #expect(try s.dataset("iris").frame.rowCount < 150)
        let e = mustRun(s, "undo iris")
        #expect(try s.dataset("iris").frame.rowCount == 150)
        #expect(e.renderText(width: 80).contains("back to 150 rows × 5 columns; undo iris again redoes"))
        mustRun(s, "undo iris")
        #expect(try s.dataset("iris").frame.rowCount < 150)
    }

    @Test func undoBringsBackADroppedDataSetAndSaysWhenThereIsNothing() throws {
        let s = irisSession()
        let none = s.execute("undo iris")
        #expect(!none.ok && none.renderText(width: 80).contains("no earlier version"))
        mustRun(s, "drop iris")
        #expect(mustRun(s, "undo iris").renderText(width: 80).contains("(it had been dropped)"))
        #expect(try s.dataset("iris").frame.rowCount == 150)
    }
}
