import Foundation
import Testing
@testable import PetalSession
import PetalData

/// `drift BUNDLE on NAME`: stable on the training data, moved on a shifted slice, errors for bad bundles.
@Suite struct DriftCommandTests {
    @Test func stableOnTheSameDataMovedOnASlice() throws {
        let dir = ExportCommandTests.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = irisSession()
        _ = s.execute("pipeline p = gaussian_nb")
        _ = s.execute("fit p on iris target=variety test=0")
        #expect(s.execute("export p to \(dir.path)").ok)
        let same = s.execute("drift \(dir.path) on iris")
        #expect(same.ok, "\(same.renderText(width: 80))")
        #expect(same.renderText(width: 80).hasSuffix("no column moved (no PSI ≥ 0.25 beyond chance, no KS shift)"))
        _ = s.execute("filter iris petal_length > 4 as big")
        let moved = s.execute("drift \(dir.path) on big")
        #expect(moved.renderText(width: 80).contains("moved: sepal_length, petal_length, petal_width"))
        let json = moved.json().serialized()
        #expect(json.contains("\"moved\": [\"sepal_length\", \"petal_length\", \"petal_width\"]"))
        #expect(json.contains("\"status\": \"moved\""))
    }

    @Test func namesTheMissingColumnAndTheBadBundle() throws {
        let dir = ExportCommandTests.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = irisSession()
        _ = s.execute("pipeline p = gaussian_nb")
        _ = s.execute("fit p on iris target=variety")
        _ = s.execute("export p to \(dir.path)")
        _ = s.execute("select iris sepal_length as part")
        #expect(s.execute("drift \(dir.path) on part").renderText(width: 80).contains("no column \"sepal_width\""))
        #expect(s.execute("drift /nonexistent on iris").renderText(width: 80).contains("is not a folder"))
        #expect(s.execute("drift \(dir.path)").renderText(width: 80).contains("drift needs on DATASET"))
    }
}
