import Foundation
import Testing

/// `leaderboard` and `automl` through the real binary: `--json` rows, runs under one parent, the budget, and a
/// fitted pipeline that `report` reads.
@Suite struct ChoosingModelTests {
    /// The `result` object of each JSON line.
    func results(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["ok"] as? Bool == true, "\(line)")
            return object["result"] as? [String: Any] ?? [:]
        }
    }

    @Test func leaderboardJSONHasARowPerFamilyAndTheBaseline() throws {
        let home = Petal.freshFolder("leaderboard")
        let r = try Petal.run(["exec", "--json", "open samples/penguins.csv; leaderboard penguins target=species folds=3 exclude=mlp,gradient_boosting,random_forest,extra_trees,ada_boost"],
                              environment: ["PETAL_HOME": home.path])
        #expect(r.status == 0, "\(r.stderr)")
        let board = try #require(try results(r.stdout).last)
        let rows = try #require(board["rows"] as? [[String: Any]])
        #expect(board["metric"] as? String == "accuracy")
        #expect((board["test"] as? String)?.contains("Nadeau") == true)
        let families = rows.compactMap { $0["family"] as? String }
        // (The slowest families are left out to keep a debug build's test short; ModelComparisonTests checks that
        // every registered family is a candidate.)
        for family in ["knn", "logistic_regression", "hist_gradient_boosting", "svm", "lda", "gaussian_nb", "baseline"] {
            #expect(families.contains(family), "\(family) missing from \(families)")
        }
        #expect(!families.contains("ridge") && !families.contains("kmeans") && !families.contains("mlp"))
        // Best first; the best is marked; the baseline is far below it and marked worse.
        let first = try #require(rows.first)
        #expect(first["not_significantly_worse"] as? Bool == true)
        let accuracy = { (row: [String: Any]) -> Double in ((row["metrics"] as? [String: Any])?["accuracy"] as? [String: Any])?["mean"] as? Double ?? -1 }
        #expect(accuracy(first) > 0.95)
        let baseline = try #require(rows.first { $0["family"] as? String == "baseline" })
        #expect(accuracy(baseline) < 0.5 && baseline["not_significantly_worse"] as? Bool == false)
        // penguins has missing numbers and text: knn gets an imputer, one_hot and a scaler; histogram boosting no imputer.
        let knn = try #require(rows.first { $0["family"] as? String == "knn" })
        #expect((knn["pipeline"] as? String)?.hasPrefix("imputer") == true && (knn["pipeline"] as? String)?.contains("standard_scaler") == true)
        let hist = try #require(rows.first { $0["family"] as? String == "hist_gradient_boosting" })
        #expect((hist["pipeline"] as? String)?.hasPrefix("one_hot") == true)
        // One parent run and a child run per candidate.
        let runs = try Petal.run(["runs", "all", "--json"], environment: ["PETAL_HOME": home.path])
        let list = try #require((try results(runs.stdout).first)?["runs"] as? [[String: Any]])
        let parentID = try #require(board["run_id"] as? Int)
        let children = list.filter { (($0["tags"] as? [String: Any])?["parent_run"] as? String) == String(parentID) }
        #expect(children.count == rows.count - 1)
    }

    @Test func leaderboardRegressionAndBadOptions() throws {
        let r = try Petal.run(["exec", "--json", "open samples/penguins.csv; filter penguins body_mass_g is not null as birds; leaderboard birds target=body_mass_g folds=3 families=ridge,knn,decision_tree metric=rmse"])
        #expect(r.status == 0, "\(r.stderr)")
        let board = try #require(try results(r.stdout).last)
        #expect(board["task"] as? String == "regression")
        let rows = try #require(board["rows"] as? [[String: Any]])
        // Lower RMSE is better: ranked ascending, the baseline (the mean) last.
        let rmse = rows.compactMap { ((($0["metrics"] as? [String: Any])?["rmse"] as? [String: Any])?["mean"] as? Double) }
        #expect(rmse == rmse.sorted() && rows.last?["family"] as? String == "baseline")
        #expect(Set(rows.compactMap { $0["family"] as? String }) == ["ridge", "knn", "decision_tree", "baseline"])
        let bad = try Petal.run(["exec", "open samples/penguins.csv; leaderboard penguins target=species families=ridge"])
        #expect(bad.status == 1 && bad.stderr.contains("ridge cannot do classification"))
        let metric = try Petal.run(["exec", "open samples/penguins.csv; leaderboard penguins target=species metric=rmse"])
        #expect(metric.status == 1 && metric.stderr.contains("metric=rmse does not score classification"))
    }

    @Test func automlKeepsItsBudgetAndLeavesAFittedPipeline() throws {
        let started = Date()
        let r = try Petal.run(["exec", "--json", "open samples/penguins.csv; automl penguins target=species time=6 seed=1 as best; report best"])
        let wall = Date().timeIntervalSince(started)
        #expect(r.status == 0, "\(r.stderr)")
        let out = try results(r.stdout)
        let automl = try #require(out[safe: 1])
        let elapsed = try #require(automl["elapsed_seconds"] as? Double)
        let finalFit = automl["final_fit_seconds"] as? Double ?? 0
        #expect(elapsed <= 6 * 1.1, "search took \(elapsed) s")
        #expect(wall < 6 * 1.1 + finalFit + 5, "the process took \(wall) s")
        #expect((automl["trials"] as? Int ?? 0) > 10)
        let metrics = try #require(automl["metrics"] as? [String: Any])
        #expect((metrics["accuracy"] as? Double ?? 0) > 0.95)
        #expect(out[safe: 2]?.isEmpty == false)
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
