import Foundation
import PetalData
@testable import PetalSession
import Testing

/// `drop NAME` (alias `close`): the data set is forgotten, the file stays, and a wrong name is an error.
@Suite struct DropCommandTests {
    @Test func dropForgetsTheDataSetButNotTheFile() throws {
        let s = irisSession()
        mustRun(s, "filter iris petal_length > 4 as long")
        let e = mustRun(s, "drop long")
        #expect(e.renderText(width: 80) == "dropped long")
        #expect(e.output?.json().serialized().contains(#""dataset": "long""#) == true)
        #expect(s.datasets.map(\.name) == ["iris"])
        #expect(!s.execute("describe long").ok)
        #expect(FileManager.default.fileExists(atPath: Repo.path("samples/iris.csv")))
        mustRun(s, "close iris")
        #expect(s.datasets.isEmpty)
    }

    @Test func aWrongNameOrExtraWordsAreErrors() {
        let s = irisSession()
        let missing = s.execute("drop irsi")
        #expect(!missing.ok && missing.renderText(width: 80).contains("irsi"), "\(missing.renderText(width: 80))")
        #expect(!s.execute("drop").ok)
        #expect(!s.execute("drop iris iris").ok)
        #expect(s.datasets.map(\.name) == ["iris"])
    }
}
