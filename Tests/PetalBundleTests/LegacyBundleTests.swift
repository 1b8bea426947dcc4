import Foundation
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle

/// Bundles written by Petal 0.6.0 (Tests/Fixtures/bundles-0.6.0, one per fitted step kind of that release, made
/// by its make.sh) and tree models in model format 1 (Tests/Fixtures/bundles-model-v1: every node's values, before
/// format 2 kept leaves' only) still load, and answer exactly what the Petal that wrote them answered for every
/// row of the sample.
@Suite struct LegacyBundleTests {
    static let folder = Fixture.root.appendingPathComponent("Tests/Fixtures")
    static func names(_ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path)) ?? [])
            .filter { !$0.contains(".") }.sorted().map { "\(sub)/\($0)" }
    }
    static let names = names("bundles-0.6.0") + names("bundles-model-v1")

    @Test func everyKindOf060IsKept() {
        #expect(Self.names.filter { $0.hasPrefix("bundles-0.6.0/") }.count >= 16, "the 0.6.0 fixtures are missing: \(Self.names)")
        #expect(Self.names.filter { $0.hasPrefix("bundles-model-v1/") }.count >= 5, "the model format 1 fixtures are missing: \(Self.names)")
    }

    @Test(arguments: names) func loadsAndPredictsAsWritten(_ name: String) throws {
        let bundle = try ServingBundle.load(from: Self.folder.appendingPathComponent(name))
        let recorded = try #require(try Loaders.load(path: Self.folder.appendingPathComponent("\(name).predictions.csv").path).frame)
        let answer = try bundle.predict(recorded)
        switch answer.task {
        case .classification:
            let predicted = try recorded.requireColumn("predicted")
            #expect((0..<recorded.rowCount).allSatisfy { predicted[$0] == .text(answer.labels[$0]) }, "\(name): labels")
            let p = try #require(answer.probabilities)
            for (c, label) in answer.classes.enumerated() {
                let column = try recorded.requireColumn("p_\(label)")
                for r in 0..<recorded.rowCount {
                    guard let v = column[r].doubleValue else { Issue.record("\(name): p_\(label) row \(r)"); continue }
                    #expect(abs(p[r, c] - v) <= 1e-12, "\(name): p_\(label) row \(r): \(p[r, c]) as written: \(v)")
                }
            }
        case .regression:
            let column = try recorded.requireColumn("predicted")
            for r in 0..<recorded.rowCount {
                guard let v = column[r].doubleValue else { Issue.record("\(name): row \(r)"); continue }
                #expect(abs(answer.values[r] - v) <= 1e-9 * max(1, abs(v)), "\(name): row \(r): \(answer.values[r]) as written: \(v)")
            }
        case .clustering:
            let column = try recorded.requireColumn("cluster")
            #expect((0..<recorded.rowCount).allSatisfy { column[$0].doubleValue == Double(answer.clusters[$0]) }, "\(name): clusters")
        }
        // Written again, the model reads back as the same model in the current format.
        let model = try ModelFormat.decode(try Data(contentsOf: Self.folder.appendingPathComponent("\(name)/model.json")))
        #expect(try ModelFormat.decode(try ModelFormat.encode(model)) == model)
    }
}
