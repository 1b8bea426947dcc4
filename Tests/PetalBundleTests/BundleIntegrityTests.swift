import Foundation
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle

/// What covers a bundle beyond its file checksums: the manifest's own digest, `model.onnx` read back and
/// compared with the manifest, Ed25519 signatures, and bundles written by Petal 0.6.0 (a committed fixture).
@Suite struct BundleIntegrityTests {
    /// A bundle exported by Petal 0.6.0 (before manifests had a digest), committed as a fixture.
    static let v060 = Fixture.root.appendingPathComponent("Tests/Fixtures/bundles/iris-0.6.0")

    static func loadError(_ dir: URL, key: BundleVerifyingKey? = nil) throws -> String {
        try #require(throws: PetalError.self) { try ServingBundle.load(from: dir, requireSignature: key) }.message
    }

    /// Edits petal.json as JSON; with `reseal`, recomputes its digest as someone who edits a bundle with care would.
    static func editManifest(_ dir: URL, reseal: Bool = false, _ edit: (inout [String: Any]) -> Void) throws {
        let url = dir.appendingPathComponent("petal.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&json)
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted]).write(to: url)
        if reseal { try resealManifest(dir) }
    }

    /// Recomputes `manifest_sha256` (and drops nothing else): the checksums agree again, the signature does not.
    static func resealManifest(_ dir: URL) throws {
        let url = dir.appendingPathComponent("petal.json")
        let manifest = try ModelFormat.decoder().decode(BundleManifest.self, from: Data(contentsOf: url))
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        json["manifest_sha256"] = SHA256.hex(try ManifestIntegrity.canonical(manifest))
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted]).write(to: url)
    }

    /// Replaces a file and its checksum in the manifest (then reseals): a tampered bundle whose checksums all agree.
    static func replaceFile(_ dir: URL, _ name: String, with data: Data) throws {
        try data.write(to: dir.appendingPathComponent(name))
        try editManifest(dir, reseal: true) { json in
            var files = json["files"] as? [String: String] ?? [:]
            files[name] = SHA256.hex(data)
            json["files"] = files
        }
    }

    @Test func aBundleFromPetal060StillLoadsAndPredicts() throws {
        let bundle = try ServingBundle.load(from: Self.v060)
        #expect(bundle.manifest.petalVersion == "0.6.0")
        #expect(bundle.manifest.manifestSHA256 == nil && bundle.manifest.signature == nil)
        let iris = try Fixture.sample("iris.csv")
        let prediction = try bundle.predict(iris)
        #expect(prediction.labels.count == iris.rowCount)
        #expect(prediction.labels.first == "setosa")
        // It has no signature, so it cannot pass --require-signature.
        let key = BundleSigningKey().publicKey
        #expect(try Self.loadError(Self.v060, key: key).contains("exported by an older Petal"))
    }

    @Test func theManifestIsCoveredByItsDigest() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, _, _) = try BundleTests.irisBundle(folder)
        let manifest = try ServingBundle.load(from: dir).manifest
        #expect(manifest.manifestSHA256 == SHA256.hex(try ManifestIntegrity.canonical(manifest)))
        // Layout does not matter: the same content re-indented still loads.
        try Self.editManifest(dir) { _ in }
        _ = try ServingBundle.load(from: dir)
        // Any change of content does.
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("an input renamed", { j in
                var inputs = j["inputs"] as? [[String: Any]] ?? []; inputs[0]["name"] = "sepal_len"; j["inputs"] = inputs }),
            ("an input's type changed", { j in
                var inputs = j["inputs"] as? [[String: Any]] ?? []; inputs[1]["type"] = "text"; j["inputs"] = inputs }),
            ("a field made nullable", { j in
                var inputs = j["inputs"] as? [[String: Any]] ?? []; inputs[2]["nullable"] = true; j["inputs"] = inputs }),
            ("a class label changed", { j in j["class_labels"] = ["setosa", "versicolor", "virginica2"] }),
            ("a metric changed", { j in j["metrics"] = ["accuracy": 1.0] }),
            ("a file checksum changed", { j in
                var files = j["files"] as? [String: String] ?? [:]; files["README.md"] = String(repeating: "0", count: 64); j["files"] = files }),
        ]
        for (what, edit) in edits {
            let (fresh, _, _) = try BundleTests.irisBundle(folder)
            try Self.editManifest(fresh, edit)
            #expect(try Self.loadError(fresh).contains("does not match its own checksum"), "\(what)")
        }
    }

    @Test func modelOnnxIsReadBackAndComparedWithTheManifest() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, _, _) = try BundleTests.irisBundle(folder)
        let onnx = try Data(contentsOf: dir.appendingPathComponent("model.onnx"))
        let interface = try ONNXInterface(parsing: onnx)
        let manifest = try ServingBundle.load(from: dir).manifest
        #expect(interface.irVersion == 8 && interface.opsets == ["ai.onnx": 17, "ai.onnx.ml": 3])
        #expect(interface.inputs.map(\.name) == manifest.inputs.map(\.name))
        #expect(interface.inputs.allSatisfy { $0.type == "double" && $0.shape == [-1] })
        #expect(interface.outputs.map(\.name) == ["label", "probabilities"])

        // Random bytes, text, an empty file and a truncated model, each with matching checksums: refused.
        var rng = SplitMix64(seed: 3)
        let random = Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        let cases: [(String, Data)] = [("random bytes", random), ("text", Data("this is not a model\n".utf8)), ("an empty file", Data()),
                                       ("a truncated model", onnx.prefix(onnx.count / 2))]
        for (what, data) in cases {
            let (fresh, _, _) = try BundleTests.irisBundle(folder)
            try Self.replaceFile(fresh, "model.onnx", with: data)
            let message = try Self.loadError(fresh)
            #expect(message.contains("model.onnx is not an ONNX model"), "\(what): \(message)")
        }
        // A real ONNX model of another pipeline (other inputs): refused for disagreeing with the manifest.
        let penguins = try Fixture.penguins()
        let other = try Fixture.fit("imputer | one_hot | logistic_regression", penguins, target: "species", task: .classification)
        let otherDir = try Fixture.export(other, training: penguins, in: folder, name: "penguins")
        let (fresh, _, _) = try BundleTests.irisBundle(folder)
        try Self.replaceFile(fresh, "model.onnx", with: try Data(contentsOf: otherDir.appendingPathComponent("model.onnx")))
        let message = try Self.loadError(fresh)
        #expect(message.contains("model.onnx takes the inputs") && message.contains("but petal.json lists"), "\(message)")
    }

    @Test func theProtobufReaderRefusesEveryMalformedShape() throws {
        let cases: [[UInt8]] = [
            [0x08],                          // a varint that ends
            [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],  // longer than ten bytes
            [0x3a, 0x05, 0x01],              // a length past the end
            [0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f],  // a huge length
            [0x0b],                          // a group (wire type 3)
            [0x00],                          // field number 0
            [0x08, 0x08],                    // ir_version only, no graph
        ]
        for bytes in cases {
            #expect(throws: ProtobufReader.Malformed.self, "\(bytes)") { _ = try ONNXInterface(parsing: Data(bytes)) }
        }
    }

    @Test func signedBundlesVerifyAndEditsAreRefused() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (secretPath, publicPath) = try BundleKeyFile.generate(in: folder.appendingPathComponent("keys"))
        let secret = try BundleSigningKey(file: secretPath), pub = try BundleVerifyingKey(file: publicPath)
        #expect(pub == secret.publicKey)
        let attributes = try FileManager.default.attributesOfItem(atPath: secretPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // A second keygen into the same folder does not overwrite the key.
        #expect(throws: PetalError.self) { _ = try BundleKeyFile.generate(in: folder.appendingPathComponent("keys")) }

        let iris = try Fixture.sample("iris.csv")
        let model = try Fixture.fit("standard_scaler | logistic_regression", iris, target: "variety", task: .classification)
        func signed() throws -> URL {
            let dir = folder.appendingPathComponent("signed-\(UUID().uuidString.prefix(6))")
            var export = BundleExport(name: "iris", model: model, training: iris, metrics: [:])
            export.signingKey = secret
            try BundleWriter.write(export, to: dir)
            return dir
        }
        let dir = try signed()
        let bundle = try ServingBundle.load(from: dir, requireSignature: pub)
        #expect(bundle.manifest.signature?.publicKey == pub.base64)
        _ = try ServingBundle.load(from: dir)  // verifies against the key it names

        // Another key is refused.
        let stranger = BundleSigningKey().publicKey
        #expect(try Self.loadError(dir, key: stranger).contains("signed by another key"))
        // An unsigned bundle is refused when a signature is required.
        let (unsigned, _, _) = try BundleTests.irisBundle(folder)
        #expect(try Self.loadError(unsigned, key: pub).contains("is not signed"))

        // Edits with every checksum recomputed: refused, with or without --require-signature.
        let edits: [(String, (URL) throws -> Void)] = [
            ("an input renamed", { d in try Self.editManifest(d, reseal: true) { j in
                var inputs = j["inputs"] as? [[String: Any]] ?? []; inputs[0]["name"] = "sepal_len"; j["inputs"] = inputs } }),
            ("model.json replaced", { d in
                var text = try String(contentsOf: d.appendingPathComponent("model.json"), encoding: .utf8)
                text = text.replacingOccurrences(of: "\"intercepts\":[", with: "\"intercepts\":[1")
                try Self.replaceFile(d, "model.json", with: Data(text.utf8)) }),
            ("the signature removed", { d in try Self.editManifest(d, reseal: true) { j in j["signature"] = nil } }),
        ]
        for (what, edit) in edits {
            let d = try signed()
            try edit(d)
            let required = try Self.loadError(d, key: pub)
            #expect(required.contains("signature") || required.contains("signed") || required.contains("does not match"), "\(what): \(required)")
            if what != "the signature removed" {
                #expect(throws: PetalError.self, "\(what) without --require-signature") { try ServingBundle.load(from: d) }
            }
        }
        // A signature that names another key than the one that made it does not verify against the key it names.
        let renamed = try signed()
        try Self.editManifest(renamed) { j in
            var s = j["signature"] as? [String: Any] ?? [:]; s["public_key"] = stranger.base64; j["signature"] = s
        }
        #expect(try Self.loadError(renamed).contains("does not match its content"))
    }

    @Test func keyFilesAreCheckedWithClearErrors() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (secretPath, publicPath) = try BundleKeyFile.generate(in: folder)
        #expect(try #require(throws: PetalError.self) { try BundleSigningKey(file: publicPath) }.message.contains("is a public key"))
        #expect(try #require(throws: PetalError.self) { try BundleVerifyingKey(file: secretPath) }.message.contains("is a secret key"))
        #expect(try #require(throws: PetalError.self) { try BundleVerifyingKey(file: folder.appendingPathComponent("nope.pub").path) }.message
            .contains("no key file"))
        let junk = folder.appendingPathComponent("junk.pub")
        for text in ["", "hello", "petal-ed25519-public-key !!!", "petal-ed25519-public-key AAAA"] {
            try Data(text.utf8).write(to: junk)
            #expect(try #require(throws: PetalError.self) { try BundleVerifyingKey(file: junk.path) }.message.contains("not a Petal public key file"), "\(text)")
        }
        let text = try String(contentsOfFile: publicPath, encoding: .utf8)
        #expect(text.hasPrefix("petal-ed25519-public-key ") && text.hasSuffix("\n") && text.count == "petal-ed25519-public-key ".count + 44 + 1)
    }
}
