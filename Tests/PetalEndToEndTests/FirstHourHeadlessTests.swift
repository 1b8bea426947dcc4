import Foundation
import Testing

/// Issue 14 through the real binary: one version, and mistyped paths that say they do not exist.
@Suite struct FirstHourHeadlessTests {
    @Test func versionIsPrintedTheSameTwoWays() throws {
        for args in [["--version"], ["version"]] {
            let r = try Petal.run(args)
            #expect(r.status == 0 && r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.6.0", "\(args): \(r.stdout) \(r.stderr)")
        }
    }

    @Test func aMistypedBundlePathSaysItDoesNotExist() throws {
        let folder = Petal.freshFolder("mistyped")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bundles/iris"), withIntermediateDirectories: true)
        for args in [["demo", "bundles/iri"], ["serve", "bundles/iri"], ["exec", "demo bundles/iri"]] {
            let r = try Petal.run(args, cwd: folder)
            let text = r.stdout + r.stderr
            #expect(r.status != 0 && text.contains("no bundle folder bundles/iri: it does not exist") && text.contains("did you mean bundles/iris?"),
                    "\(args): \(text)")
        }
    }

    @Test func asciiOutputHasNoNonASCIIAndNoQuestionMarks() throws {
        let script = "describe iris; hist iris.petal_length; scatter iris.petal_length iris.petal_width; pipeline p = standard_scaler | knn; "
            + "fit p on iris target=variety; demo p; runs"
        for args in [["exec", "--ascii", script], ["exec", script]] {
            let env = args.contains("--ascii") ? [:] : ["LANG": "C", "LC_ALL": "C"]
            let r = try Petal.run(args, environment: env)
            #expect(r.status == 0, "\(r.stderr)")
            let bad = r.stdout.unicodeScalars.filter { !$0.isASCII }
            #expect(bad.isEmpty, "non-ASCII: \(String(String.UnicodeScalarView(bad.prefix(20))))")
            #expect(!r.stdout.contains("?"), "a ? stands in for a character:\n\(r.stdout)")
        }
    }
}
