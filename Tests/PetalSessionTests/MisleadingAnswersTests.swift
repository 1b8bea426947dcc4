import Foundation
import Testing
@testable import PetalSession
import PetalData
import PetalTracking

/// Issue 14: answers that pointed a student the wrong way.
@Suite struct MisleadingAnswersTests {
    static func file(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("misleading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func decimalCommasHintDecimalAndTheHintWorksAsTyped() throws {
        let path = try MisleadingAnswersTests.file("euro.csv", "width;name\n1,5;a\n2,25;b\n10,0;c\n")
        let s = Session()
        let e = s.execute("open \(path) as euro")
        let text = e.renderText(width: 200)
        #expect(text.contains("decimal comma") && text.contains("decimal=\",\""), "\(text)")
        #expect(!text.contains("thousands"), "\(text)")
        // The suggested option, typed as shown, reads the numbers.
        let fixed = s.execute("open \(path) as euro decimal=\",\"")
        #expect(fixed.ok && fixed.output.map { $0.warnings.isEmpty } == true, "\(fixed.renderText(width: 200))")
        #expect((try? s.dataset("euro"))?.frame.columns.first?.type == .float)
    }

    @Test func thousandsSeparatorsStillHintThousands() throws {
        let path = try MisleadingAnswersTests.file("big.csv", "n,name\n\"1,500,000\",a\n\"2,000\",b\n\"12,345.5\",c\n")
        let text = Session().execute("open \(path) as big").renderText(width: 200)
        #expect(text.contains("thousands=\",\""), "\(text)")
    }

    @Test func aBadSeparatorHintShowsAFormThatSurvivesTheCommandLine() throws {
        let path = try MisleadingAnswersTests.file("x.csv", "a;b\n1;2\n")
        let s = Session()
        let text = s.execute("open \(path) sep=ab").renderText(width: 200)
        #expect(text.contains("sep=\";\"") && text.contains("semicolon"), "\(text)")
        #expect(!OpenCommand.help.contains("sep=; "))
        // Both suggested forms open the file as two columns.
        #expect(s.execute("open \(path) sep=\";\" as q").ok && (try? s.dataset("q"))?.frame.columns.count == 2)
        #expect(s.execute("open \(path) sep=semicolon as r").ok && (try? s.dataset("r"))?.frame.columns.count == 2)
    }

    @Test func aMistypedBundlePathSaysItDoesNotExist() throws {
        let folder = try MisleadingAnswersTests.file("keep", "")
        let bundles = (folder as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: bundles + "/iris", withIntermediateDirectories: true)
        let s = Session()
        for command in ["demo \(bundles)/iri", "serve \(bundles)/iri port=0"] {
            let text = s.execute(command).renderText(width: 300)
            #expect(text.contains("does not exist") && text.contains("\(bundles)/iris"), "\(command): \(text)")
            #expect(!text.contains("track") && !text.contains("model reference"), "\(command): \(text)")
        }
        #expect(TrackingStore.isModelReference("iris@champion") && TrackingStore.isModelReference("iris/2"))
        #expect(!TrackingStore.isModelReference("bundles/iri") && !TrackingStore.isModelReference("a/b/3") && !TrackingStore.isModelReference("@x"))
    }

    @Test func kmeansGivenATargetSaysItIgnoresIt() {
        let s = irisSession()
        let e = s.executeScript("pipeline c = standard_scaler | kmeans k=3; fit c on iris target=variety").last
        #expect(e?.ok == true && e?.renderText(width: 200).contains("kmeans ignores target=variety") == true, "\(e?.renderText(width: 200) ?? "")")
        let plain = s.execute("fit c on iris").output?.warnings.map(\.message) ?? []
        #expect(!plain.contains { $0.contains("ignores target") })
    }

    /// Runs and bundles carry the release number (a literal here, so a changed constant fails the test; the
    /// executable's `--version` and the server's `/version` are checked against the same literal in their suites).
    @Test func runsAndBundlesSayTheRelease() throws {
        let folder = NSTemporaryDirectory() + "petal-version-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let s = Session(width: 100, trackingFolder: folder + "/.petal", clock: .counting())
        s.store(BundledSamples.iris(), as: "iris", source: BundledSamples.source)
        mustRun(s, "pipeline p = standard_scaler | knn k=5; fit p on iris target=variety; export p to \(folder)/bundle")
        let store = try #require(s.tracker?.store)
        let run = try store.run(try #require(store.runs().first).id)
        #expect(run.petalVersion == "0.6.0")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/bundle/petal.json")))
        #expect((manifest as? [String: Any])?["petal_version"] as? String == "0.6.0")
    }

    @Test func theBuiltInIrisWorksInEveryFaceAndReplays() throws {
        // Headless (petal exec, notebooks): found by name without a file.
        let headless = Session()
        #expect(headless.execute("describe iris").ok)
        #expect(headless.datasets.first?.source == BundledSamples.source)
        // The workbench stores it at start (no command made it); a run on it replays.
        let folder = NSTemporaryDirectory() + "petal-builtin-\(getpid())-\(UUID().uuidString)"
        let s = Session(width: 100, trackingFolder: folder, clock: .counting())
        s.store(BundledSamples.iris(), as: "iris", source: BundledSamples.source)
        mustRun(s, "pipeline p = standard_scaler | knn k=5; fit p on iris target=variety")
        let out = try #require(mustRun(s, "replay 1").output as? ReplayOutput)
        #expect(out.identical)
        // Other data no command made still cannot be replayed.
        s.store(BundledSamples.iris(), as: "other", source: "test")
        mustRun(s, "fit p on other target=variety")
        #expect(s.execute("replay 2").error?.message.contains("no command of its session created") == true)
    }
}

extension MisleadingAnswersTests {
    @Test func aComparisonOfDifferentTypesIsAnErrorNotAnEmptyResult() {
        let s = irisSession()
        for condition in ["petal_length > \"abc\"", "petal_length > abc", "petal_length in (\"a\", 2)", "variety == 3"] {
            let e = s.execute("filter iris \(condition) as none")
            #expect(!e.ok, "\(condition) should be refused")
            // The error names the mismatch (a number column against text) or the unknown name (an unquoted word).
            let text = e.renderText(width: 200)
            #expect(text.contains("cannot compare") || text.contains("names a column"), "\(condition): \(text)")
        }
        // Comparisons that can hold still work: numbers with numbers, text with quoted text, two columns.
        #expect(s.execute("filter iris petal_length > 4.5 as a").ok)
        #expect(s.execute("filter iris variety == \"setosa\" as b").ok)
        // An unquoted word names a column (issue 12): setosa is not one, so the error says to quote it.
        #expect(s.execute("filter iris variety == setosa as c").renderText(width: 200).contains("quote it"))
        #expect(s.execute("filter iris sepal_length > petal_length as d").ok)
    }
}
