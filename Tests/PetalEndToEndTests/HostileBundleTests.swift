import Foundation
import Testing

/// The real binary with hostile bundles and inputs: keys and signed bundles (`petal keygen`, `export … sign=`,
/// `--require-signature` for serve and predict), batch scoring of values that are not finite numbers, and a
/// port in use.
@Suite(.serialized) struct HostileBundleTests {
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func signedBundlesEndToEnd() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keygen = try Petal.run(["keygen", dir.appendingPathComponent("keys").path])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        #expect(keygen.stdout.contains("petal-signing.key") && keygen.stdout.contains("petal-signing.pub"))
        let secret = dir.appendingPathComponent("keys/petal-signing.key").path, pub = dir.appendingPathComponent("keys/petal-signing.pub").path
        #expect(try Petal.run(["keygen", dir.appendingPathComponent("keys").path]).stderr.contains("already exists"))

        let export = try Petal.run(["exec", """
            open samples/iris.csv; pipeline p = standard_scaler | logistic_regression; fit p on iris target=variety
            export p to \(dir.path)/signed sign=\(secret)
            export p to \(dir.path)/plain
            """])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("signed   Ed25519, key"))
        #expect(try Petal.run(["exec", "open samples/iris.csv; pipeline p = gaussian_nb; fit p on iris target=variety; export p to \(dir.path)/x sign=\(pub)"])
            .stderr.contains("is a public key"))

        // Signed: served and scored under --require-signature; unsigned: refused.
        let server = try ServeEndToEndTests.Server(bundle: "\(dir.path)/signed", extra: ["--require-signature", pub])
        let ok = try await ServeEndToEndTests.post(server, #"{"inputs": [[5.1, 3.5, 1.4, 0.2]]}"#)
        #expect(ok.status == 200)
        _ = server.stop()
        let unsigned = try Petal.run(["serve", "\(dir.path)/plain", "--port", "0", "--require-signature", pub])
        #expect(unsigned.status == 1)
        #expect(unsigned.stderr.contains("is not signed"), "\(unsigned.stderr)")
        #expect(try Petal.run(["predict", "\(dir.path)/signed", "samples/iris.csv", "--require-signature", pub, "--predictions-only"]).status == 0)
        #expect(try Petal.run(["predict", "\(dir.path)/plain", "samples/iris.csv", "--require-signature", pub]).status == 1)

        #expect(try Petal.run(["demo", "\(dir.path)/signed", "--require-signature", pub]).status == 0)
        let demoUnsigned = try Petal.run(["demo", "\(dir.path)/plain", "--require-signature", pub])
        #expect(demoUnsigned.status == 1 && demoUnsigned.stderr.contains("is not signed"), "\(demoUnsigned.stderr)")

        // Another key's public half: refused.
        #expect(try Petal.run(["keygen", dir.appendingPathComponent("other").path]).status == 0)
        let other = try Petal.run(["predict", "\(dir.path)/signed", "samples/iris.csv", "--require-signature",
                                   dir.appendingPathComponent("other/petal-signing.pub").path])
        #expect(other.status == 1 && other.stderr.contains("signed by another key"), "\(other.stderr)")

        // Edited (the manifest's checksums are unit-tested recomputed too, in BundleIntegrityTests) (the manifest's own digest too): refused under the signature.
        let manifestURL = dir.appendingPathComponent("signed/petal.json")
        var text = try String(contentsOf: manifestURL, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"name\" : \"sepal_length\"", with: "\"name\" : \"sepal_len\"")
        #expect(text.contains("sepal_len\""))
        try text.write(to: manifestURL, atomically: true, encoding: .utf8)
        let edited = try Petal.run(["serve", "\(dir.path)/signed", "--port", "0", "--require-signature", pub])
        #expect(edited.status == 1)
        #expect(edited.stderr.contains("does not match its own checksum") || edited.stderr.contains("signature"), "\(edited.stderr)")
    }

    @Test func batchScoringRefusesNonFiniteValues() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Petal.run(["exec", "open samples/iris.csv; pipeline p = standard_scaler | logistic_regression; fit p on iris target=variety; export p to \(dir.path)/iris"])
        #expect(r.status == 0, "\(r.stderr)")
        let header = "sepal_length,sepal_width,petal_length,petal_width\n"
        // An infinite input: refused before anything is written, naming the field and row.
        let inf = dir.appendingPathComponent("inf.csv")
        try Data((header + "5.1,3.5,1.4,0.2\n5.9,inf,5.1,1.8\n").utf8).write(to: inf)
        let a = try Petal.run(["predict", "\(dir.path)/iris", inf.path, "-o", "\(dir.path)/a.csv"])
        #expect(a.status == 1)
        #expect(a.stderr.contains("field sepal_width is infinite in row 2"), "\(a.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/a.csv"))
        // Finite inputs that overflow inside the pipeline: an error naming the row, never empty probabilities.
        for row in ["1e308,-1e308,1.4,0.2", "1.7e308,3.0,1.4,0.2"] {
            let big = dir.appendingPathComponent("big.csv")
            try Data((header + "5.1,3.5,1.4,0.2\n" + row + "\n").utf8).write(to: big)
            let b = try Petal.run(["predict", "\(dir.path)/iris", big.path, "--predictions-only"])
            #expect(b.status == 1, "\(row): \(b.stdout)")
            #expect(b.stderr.contains("row 2:"), "\(row): \(b.stderr)")
            #expect(!b.stdout.contains(",,"), "\(row): \(b.stdout)")
            // The in-session verb says the same.
            let c = try Petal.run(["exec", "open \(big.path) as big; predict \(dir.path)/iris on big"])
            #expect(c.status == 1)
            #expect(c.stderr.contains("row 2:"), "\(row): \(c.stderr)")
        }
    }

    @Test func aPortInUseIsSaidPlainly() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Petal.run(["exec", "open samples/iris.csv; pipeline p = gaussian_nb; fit p on iris target=variety; export p to \(dir.path)/iris"])
        #expect(r.status == 0, "\(r.stderr)")
        let first = try ServeEndToEndTests.Server(bundle: "\(dir.path)/iris")
        defer { _ = first.stop() }
        let port = String(first.url.split(separator: ":").last ?? "")
        let second = try Petal.run(["serve", "\(dir.path)/iris", "--port", port])
        #expect(second.status == 1)
        #expect(second.stderr.contains("port \(port) is in use; pick another with --port N"), "\(second.stderr)")
        #expect(!second.stderr.contains("BIND_FAILED") && !second.stderr.contains("500"))
        let workbench = try Petal.run(["exec", "serve \(dir.path)/iris port=\(port)"])
        #expect(workbench.status == 1)
        #expect(workbench.stderr.contains("port \(port) is in use; pick another with port=N"), "\(workbench.stderr)")
    }
}
