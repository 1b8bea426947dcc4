import Foundation
import Testing

/// The diagnostics of issue 13 through the real binary: `curves --json` against scikit-learn's numbers, a
/// decision threshold carried through export into `petal predict`, and `evaluate … by=`.
@Suite struct DiagnosticsEndToEndTests {
    /// The JSON object of each command of `petal exec --json SCRIPT`.
    static func exec(_ script: String) throws -> [[String: Any]] {
        let r = try Petal.run(["exec", "--json", script])
        #expect(r.status == 0, "\(r.stderr)")
        return try r.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    static func close(_ a: Any?, _ b: Any?) -> Bool {
        // JSON null stands for scikit-learn's +∞ (the first ROC threshold), which the fixture writes as "inf".
        func numbers(_ v: Any?) -> [Double] { (v as? [Any] ?? []).map { ($0 as? Double) ?? (($0 as? Int).map(Double.init)) ?? .infinity } }
        let x = numbers(a), y = numbers(b)
        return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || abs($0 - $1) <= 1e-12 }
    }

    @Test func curvesJSONEqualsScikitLearn() throws {
        let data = try Data(contentsOf: Petal.root.appendingPathComponent("Tests/Fixtures/sklearn/diagnostics.json"))
        let fixture = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let iris = try #require(fixture["iris"] as? [String: Any])
        let objects = try Self.exec("open samples/iris.csv; pipeline p = \(try #require(iris["pipeline"] as? String)); \(try #require(iris["command"] as? String)); curves p")
        let result = try #require(objects.last?["result"] as? [String: Any])
        let classes = try #require(result["classes"] as? [[String: Any]])
        let expected = try #require(iris["curves"] as? [[String: Any]])
        #expect(classes.count == 3)
        for (c, x) in zip(classes, expected) {
            #expect(c["class"] as? String == x["class"] as? String)
            let roc = try #require(c["roc"] as? [String: Any]), pr = try #require(c["precision_recall"] as? [String: Any])
            let cal = try #require(c["calibration"] as? [String: Any])
            #expect(Self.close(roc["fpr"], x["fpr"]) && Self.close(roc["tpr"], x["tpr"]) && Self.close(roc["thresholds"], x["roc_thresholds"]))
            #expect(Self.close(pr["precision"], x["precision"]) && Self.close(pr["recall"], x["recall"]) && Self.close(pr["thresholds"], x["pr_thresholds"]))
            #expect(Self.close(cal["prob_true"], x["prob_true"]) && Self.close(cal["prob_pred"], x["prob_pred"]))
            #expect(Self.close([c["roc_auc"] as Any], [x["roc_auc"] as Any]) && Self.close([c["average_precision"] as Any], [x["average_precision"] as Any]))
        }
        let lc = try #require(result["learning_curve"] as? [String: Any]), xl = try #require(iris["learning_curve"] as? [String: Any])
        #expect(lc["train_sizes"] as? [Int] == xl["train_sizes"] as? [Int])
        for (a, b) in zip(lc["test_scores"] as? [Any] ?? [], xl["test_scores"] as? [Any] ?? []) { #expect(Self.close(a, b)) }
        for (a, b) in zip(lc["train_scores"] as? [Any] ?? [], xl["train_scores"] as? [Any] ?? []) { #expect(Self.close(a, b)) }
    }

    @Test func aThresholdTravelsThroughExportAndPredict() throws {
        let dir = Petal.freshFolder("threshold")
        defer { try? FileManager.default.removeItem(at: dir) }
        let objects = try Self.exec("""
            open samples/iris.csv; filter iris variety != 'setosa' as two; pipeline b = logistic_regression; fit b on two target=variety seed=3
            threshold b 0.15; export b to \(dir.path)/cut
            save two to \(dir.path)/two.csv
            """)
        #expect(objects.allSatisfy { $0["ok"] as? Bool == true }, "\(objects)")
        let manifest = try String(contentsOf: dir.appendingPathComponent("cut/petal.json"), encoding: .utf8)
        #expect(manifest.contains("\"decision_threshold\" : 0.15"), "\(manifest)")
        let r = try Petal.run(["predict", "\(dir.path)/cut", "\(dir.path)/two.csv", "--predictions-only"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(lines.first == ["predicted", "p_versicolor", "p_virginica"])
        var moved = 0
        for row in lines.dropFirst() {
            let p1 = try #require(Double(row[2]))
            #expect(row[0] == (p1 >= 0.15 ? "virginica" : "versicolor"), "\(row)")
            if p1 >= 0.15 && p1 < 0.5 { moved += 1 }
        }
        // The cut changed some labels from what the most probable class would give.
        #expect(moved > 0)
        // A bundle without a threshold keeps the most probable class.
        _ = try Self.exec("open \(dir.path)/two.csv as two; pipeline b = logistic_regression; fit b on two target=variety seed=3; export b to \(dir.path)/plain")
        let plain = try Petal.run(["predict", "\(dir.path)/plain", "\(dir.path)/two.csv", "--predictions-only"])
        for row in plain.stdout.split(separator: "\n").dropFirst().map({ $0.split(separator: ",").map(String.init) }) {
            let p1 = try #require(Double(row[2]))
            #expect(row[0] == (p1 > 0.5 ? "virginica" : "versicolor"), "\(row)")
        }
        #expect(!(try String(contentsOf: dir.appendingPathComponent("plain/petal.json"), encoding: .utf8)).contains("decision_threshold"))
    }

    @Test func evaluateBySlicesAPopulation() throws {
        let objects = try Self.exec("""
            open samples/penguins.csv; pipeline q = imputer | one_hot | gaussian_nb; fit q on penguins target=species seed=1
            evaluate q on penguins by=island
            """)
        let result = try #require(objects.last?["result"] as? [String: Any])
        #expect(result["by"] as? String == "island")
        let slices = try #require(result["slices"] as? [[String: Any]])
        #expect(slices.map { $0["value"] as? String ?? "" } == ["Biscoe", "Dream", "Torgersen"])
        #expect(slices.map { $0["rows"] as? Int ?? 0 } == [168, 124, 52])
        for s in slices {
            let m = try #require(s["metrics"] as? [String: Any])
            #expect((m["accuracy"] as? Double).map { (0...1).contains($0) } == true)
        }
        let text = try Petal.run(["exec", "open samples/penguins.csv; pipeline q = imputer | one_hot | gaussian_nb; fit q on penguins target=species seed=1; evaluate q on penguins by=sex"])
        #expect(text.stdout.contains("by sex (each value's rows scored apart") && text.stdout.contains("(missing)"), "\(text.stdout)")
    }
}
