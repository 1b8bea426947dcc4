import Foundation
import Testing

/// The README's commands, run through the real binary.
@Suite struct HeadlessTests {
    @Test func execExploresIris() throws {
        let r = try Petal.run(["exec", "open samples/iris.csv; describe iris; counts iris.variety; hist iris.petal_length bins=12"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("iris: 150 rows × 5 columns"))
        #expect(r.stdout.contains("std         0.828066     0.435866      1.765298     0.762238"))
        #expect(r.stdout.contains("setosa         50   33.3%"))
        #expect(r.stdout.contains("[6.4083, 6.9000]   4"))
        #expect(r.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func execJSONIsOneObjectPerCommand() throws {
        let r = try Petal.run(["exec", "--json", "open samples/penguins.csv; nulls penguins; corr penguins"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["ok"] as? Bool == true)
        }
        #expect(lines[2].contains("\"command\": \"corr\""))
        #expect(lines[2].contains("\"matrix\": [[1.0, "))
    }

    @Test func failuresExitNonZeroAndKeepGoing() throws {
        let r = try Petal.run(["exec", "--json", "open missing.csv; open samples/iris.csv; describe iris"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains("\"ok\": false") && lines[0].contains("\"file\": \"missing.csv\""))
        #expect(lines[2].contains("\"ok\": true"))
        let text = try Petal.run(["exec", "describe nothing"])
        #expect(text.status == 1 && text.stderr.contains("error: no data set called \"nothing\""))
    }

    @Test(arguments: ["01-explore-iris.md", "01b-data-sources.md", "02-train-iris.md", "03-experiments.md", "04-serve-iris.md", "05-demo.md",
                      "06-model-families.md", "07-choosing-a-model.md", "07b-diagnostics.md", "08-serverless-iris.md"])
    func notebooksAreUpToDate(notebook: String) throws {
        let r = try Petal.run(["run", "notebooks/\(notebook)", "--check"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("all outputs match"))
    }

    @Test func replReadsCommandsFromAPipe() throws {
        let r = try Petal.run(["repl"], input: "open samples/iris.csv\nhead iris 2\nbogus\ndatasets\n")
        #expect(r.stdout.contains("… 148 more rows"))
        #expect(r.stderr.contains("unknown command \"bogus\""))
        #expect(r.stdout.contains("iris   150"))   // still running after the error
    }

    @Test func workbenchOpensIrisByDefault() throws {
        let here = try Petal.run([], input: "datasets\n")
        #expect(here.stdout.contains("iris: 150 rows"))
        let elsewhere = try Petal.run([], input: "describe iris\n", cwd: FileManager.default.temporaryDirectory)
        #expect(elsewhere.stdout.contains("built-in sample") && elsewhere.stdout.contains("5.843333"))
    }

    @Test func helpDescribesTheLanguage() throws {
        let r = try Petal.run(["help"])
        #expect(r.status == 0 && r.stdout.contains("describe") && r.stdout.contains("USAGE"))
        let one = try Petal.run(["help", "hist"])
        #expect(one.stdout.contains("usage: hist NAME.COL"))
    }

    @Test func badFilesNeverCrash() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let files: [(String, [UInt8])] = [
            ("empty.csv", []), ("ragged.csv", Array("a,b\n1,2\n3\n".utf8)), ("quote.csv", Array("a\n\"x\n".utf8)),
            ("utf.csv", Array("a\n".utf8) + [0xC3, 0x28, 0x0A]), ("nul.csv", [0x61, 0x0A, 0x00, 0x0A]),
            ("bad.json", Array("[{\"a\": 1,}]".utf8)), ("bad.db", Array("not a database at all, just text".utf8)),
        ]
        for (name, bytes) in files {
            FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data(bytes))
        }
        let script = files.map { "open \(dir.appendingPathComponent($0.0).path)" }.joined(separator: "; ") + "; open samples/iris.csv"
        let r = try Petal.run(["exec", "--json", script])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == files.count + 1)
        for line in lines.dropLast() { #expect(line.contains("\"ok\": false") && line.contains("\"file\": ")) }
        #expect(lines.last?.contains("\"ok\": true") == true)
    }
}
