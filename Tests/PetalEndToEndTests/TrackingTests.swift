import Foundation
import Testing

/// The experiment log through the real binary: concurrent writers, a killed fit, an unwritable folder, `petal runs`.
@Suite(.serialized) struct TrackingTests {
    /// The runs in a store, as `petal runs all --json` reports them.
    func runs(_ home: URL) throws -> [[String: Any]] {
        let r = try Petal.run(["runs", "all", "experiment=*", "--json"], environment: ["PETAL_HOME": home.path])
        let line = try #require(r.stdout.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let result = try #require(object["result"] as? [String: Any])
        return try #require(result["runs"] as? [[String: Any]])
    }

    @Test func twoProcessesLoggingAtOnceLoseNothing() throws {
        let home = Petal.freshFolder("concurrent")
        let script = "open samples/iris.csv; pipeline p = standard_scaler | knn k=3; "
            + (1...8).map { "fit p on iris target=variety seed=\($0); cv p on iris target=variety folds=3" }.joined(separator: "; ")
        let processes = try (0..<2).map { _ -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Petal.binary)
            p.arguments = ["exec", "--json", script]
            p.currentDirectoryURL = Petal.root
            p.environment = ProcessInfo.processInfo.environment.merging(["PETAL_HOME": home.path]) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        for p in processes { p.waitUntilExit(); #expect(p.terminationStatus == 0) }
        let all = try runs(home)
        #expect(all.count == 32)
        #expect(Set(all.compactMap { $0["id"] as? Int }) == Set(1...32))
        #expect(all.allSatisfy { ($0["status"] as? String) == "finished" })
        #expect(all.allSatisfy { (($0["metrics"] as? [String: Any])?["accuracy"]) != nil })
    }

    @Test func aKilledFitLeavesASoundStoreAndAFailedRun() throws {
        let home = Petal.freshFolder("killed")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Petal.binary)
        p.arguments = ["exec", "open samples/iris.csv; pipeline f = random_forest trees=10000; fit f on iris target=variety test=0"]
        p.currentDirectoryURL = Petal.root
        p.environment = ProcessInfo.processInfo.environment.merging(["PETAL_HOME": home.path]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until the run is recorded as running (the fit has started), then kill the process outright.
        var started = false
        for _ in 0..<600 where !started {
            Thread.sleep(forTimeInterval: 0.05)
            started = (try? runs(home))?.first.map { ($0["status"] as? String) == "running" } ?? false
        }
        #expect(started, "the fit never showed as running")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)
        let next = try Petal.run(["exec", "open \(home.path)/petal.db query=\"PRAGMA integrity_check\" as check; head check"],
                                 environment: ["PETAL_HOME": home.path])
        #expect(next.stdout.contains("ok"), "\(next.stdout)\(next.stderr)")
        #expect(next.stderr.contains("marked run 1 failed"))
        let run = try #require(try runs(home).first)
        #expect(run["status"] as? String == "failed")
    }

    @Test func anUnwritableFolderWarnsAndCommandsStillWork() throws {
        let folder = Petal.freshFolder("readonly")
        let file = folder.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let r = try Petal.run(["exec", "--json", "open samples/iris.csv; pipeline p = knn; fit p on iris target=variety"],
                              environment: ["PETAL_HOME": file.appendingPathComponent(".petal").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: runs are not recorded: cannot create the tracking folder"))
        let fit = try #require(r.stdout.split(separator: "\n").last.map(String.init))
        #expect(fit.contains("\"ok\": true") && fit.contains("\"run_id\": null") && fit.contains("this run was not recorded"))
        let runs = try Petal.run(["runs"], environment: ["PETAL_HOME": file.appendingPathComponent(".petal").path])
        #expect(runs.status == 1 && runs.stderr.contains("cannot create the tracking folder"))
    }

    @Test func petalRunsOnTheCommandLine() throws {
        let home = Petal.freshFolder("cli")
        _ = try Petal.run(["exec", "open samples/iris.csv; pipeline p = knn k=5; fit p on iris target=variety; cv p on iris target=variety"],
                          environment: ["PETAL_HOME": home.path])
        let text = try Petal.run(["runs", "where", "kind = 'cv'"], environment: ["PETAL_HOME": home.path])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("1 run in experiment default where kind = 'cv'"))
        let json = try runs(home)
        #expect(json.map { $0["kind"] as? String } == ["cv", "fit"])
        let bad = try Petal.run(["runs", "where", "accuracy >"], environment: ["PETAL_HOME": home.path])
        #expect(bad.status == 1 && bad.stderr.contains("the condition ends at column"))
    }
}
