import Foundation
import Testing
import PetalData
@testable import PetalBundle

/// Bundle load errors say what is wrong in words (issue 12): a version written as text, a file that is a folder.
@Suite struct BundleLoadErrorTests {
    @Test func formatVersionAsTextIsNamed() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, _, _) = try BundleTests.irisBundle(folder)
        try BundleTests.editManifest(dir) { $0["format_version"] = "1" }
        let message = try BundleTests.loadError(dir)
        #expect(message.contains("format_version is the text \"1\", not a whole number"), "\(message)")
        #expect(!message.contains("not valid JSON"))
        try Data("{\"format\": ".utf8).write(to: dir.appendingPathComponent("petal.json"))
        #expect(try BundleTests.loadError(dir).contains("not valid JSON"))
    }

    @Test func aFileThatIsAFolderIsNamed() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, _, _) = try BundleTests.irisBundle(folder)
        let model = dir.appendingPathComponent("model.json")
        try FileManager.default.removeItem(at: model)
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: false)
        let message = try BundleTests.loadError(dir)
        #expect(message.contains("model.json in the bundle: this is a folder, not a file"), "\(message)")
        #expect(!message.contains("NSCocoaErrorDomain"))
    }
}
