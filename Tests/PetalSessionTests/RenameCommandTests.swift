import Foundation
import Testing
@testable import PetalSession

@Suite struct RenameCommandTests {
    @Test func renameAColumnAndUndoIt() throws {
        let s = irisSession()
        mustRun(s, "rename iris.variety species")
        #expect(try s.dataset("iris").frame.columnNames.last == "species")
        #expect(s.execute("counts iris.species").ok)
        #expect(s.execute("rename iris.species sepal_width").error?.message.contains("already has a column") == true)
        mustRun(s, "undo iris")
        #expect(try s.dataset("iris").frame.columnNames.last == "variety")
    }
}
