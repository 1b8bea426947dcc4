import Foundation
import Testing

/// Issue 12 through the real binary: special files get an error saying what they are (no hang), `petal predict`
/// reads its input the same safe way, a damaged tracking store is reported and repaired, a folder that is not a
/// bundle is named.
@Suite struct HostileInputTests {
    @Test func specialFilesAreNamedNotHungOn() throws {
        let dir = Petal.freshFolder("special")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe.csv").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let started = Date()
        let open = try Petal.run(["exec", "open \(fifo)"])
        #expect(open.status != 0)
        #expect(open.stdout.contains("named pipe (FIFO)") || open.stderr.contains("named pipe (FIFO)"), "\(open.stdout)\(open.stderr)")
        let zero = try Petal.run(["exec", "open /dev/zero"])
        #expect((zero.stdout + zero.stderr).contains("character device"))
        // petal predict's input goes through the same reader.
        let bundle = dir.appendingPathComponent("iris").path
        let export = try Petal.run(["exec", "open samples/iris.csv; pipeline p = standard_scaler | logistic_regression; fit p on iris target=variety; export p to \(bundle)"])
        #expect(export.status == 0, "\(export.stderr)")
        for input in [fifo, "/dev/null"] {
            let r = try Petal.run(["predict", bundle, input])
            #expect(r.status == 1)
            #expect(r.stderr.contains(input == fifo ? "named pipe" : "character device"), "\(r.stderr)")
        }
        #expect(Date().timeIntervalSince(started) < 60)
        // A folder without petal.json is not taken for a registered model.
        let demo = try Petal.run(["demo", dir.path])
        #expect(demo.status == 1)
        #expect((demo.stdout + demo.stderr).contains("is a folder but not a bundle"), "\(demo.stdout)\(demo.stderr)")
    }

    @Test func damagedStoreIsReportedAndRepaired() throws {
        let home = Petal.freshFolder("damaged-store")
        defer { try? FileManager.default.removeItem(at: home) }
        let env = ["PETAL_HOME": home.path]
        let fits = (1...40).map { "fit p on iris target=variety seed=\($0)" }.joined(separator: "\n")
        let r = try Petal.run(["exec", "open samples/iris.csv\npipeline p = standard_scaler | knn\n" + fits], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let db = home.appendingPathComponent("petal.db").path
        let pages = ((try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0) / 4096
        #expect(pages > 8)
        let handle = try #require(FileHandle(forUpdatingAtPath: db))
        for page in [pages / 2, pages - 2] {
            try handle.seek(toOffset: UInt64((page - 1) * 4096 + 100))
            try handle.write(contentsOf: Data(repeating: 0x5A, count: 3000))
        }
        try handle.close()
        let listed = try Petal.run(["runs"], environment: env)
        #expect(listed.stderr.contains("is damaged") && listed.stderr.contains("runs repair"), "\(listed.stderr)")
        let repaired = try Petal.run(["runs", "repair"], environment: env)
        #expect(repaired.status == 0, "\(repaired.stdout)\(repaired.stderr)")
        #expect(repaired.stdout.contains("repaired the tracking store"), "\(repaired.stdout)")
        let after = try Petal.run(["runs", "--json"], environment: env)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(!after.stderr.contains("is damaged"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.hasPrefix("petal.db.damaged-") }
        #expect(!kept.isEmpty)
    }
}
