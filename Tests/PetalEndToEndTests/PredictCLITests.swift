import Foundation
import Testing

/// `petal export` then `petal predict BUNDLE INPUT [-o OUT]` through the real binary, and every bad input of
/// issue 6 that reaches it: a half-written bundle, one from a newer Petal, a tampered file, a missing column,
/// a string where a number belongs, an unknown category.
@Suite struct PredictCLITests {
    /// A temporary folder with an iris bundle (`iris`) and a penguins bundle (`penguins`, text inputs).
    static func bundles() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-predict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try Petal.run(["exec", """
            open samples/iris.csv; pipeline p = standard_scaler | logistic_regression; fit p on iris target=variety
            export p to \(dir.path)/iris
            open samples/penguins.csv; pipeline q = imputer | one_hot | gaussian_nb; fit q on penguins target=species
            export q to \(dir.path)/penguins
            """])
        #expect(r.status == 0, "\(r.stderr)")
        return dir
    }

    static func write(_ text: String, _ url: URL) throws { try Data(text.utf8).write(to: url) }

    @Test func scoresAFileToCSVAndNDJSON() throws {
        let dir = try Self.bundles()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("scored.csv")
        let r = try Petal.run(["predict", "\(dir.path)/iris", "samples/iris.csv", "-o", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("scored 150 rows with p"))
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 151)
        #expect(lines[0] == "sepal_length,sepal_width,petal_length,petal_width,variety,predicted,p_setosa,p_versicolor,p_virginica")
        #expect(lines[1].hasPrefix("5.1,3.5,1.4,0.2,setosa,setosa,0.97"))
        #expect(!FileManager.default.fileExists(atPath: out.path + ".partial"))
        let nd = try Petal.run(["predict", "\(dir.path)/penguins", "samples/penguins.csv", "--predictions-only", "-o", "\(dir.path)/p.ndjson"])
        #expect(nd.status == 0, "\(nd.stderr)")
        let first = try String(contentsOf: dir.appendingPathComponent("p.ndjson"), encoding: .utf8).split(separator: "\n")[0]
        #expect(first.hasPrefix("{\"predicted\":\"Adelie\",\"p_Adelie\":"))
        // Standard output when no -o.
        let stdout = try Petal.run(["predict", "\(dir.path)/iris", "samples/iris.csv", "--predictions-only"])
        #expect(stdout.stdout.split(separator: "\n").count == 151)
    }

    /// `--predictions-only` reads only the model's input columns of a CSV: the predictions equal those of a full
    /// read (here with extra columns holding quoted newlines and text), and a missing input is still named.
    @Test func predictionsOnlyReadsTheInputsAndGivesTheSamePredictions() throws {
        let dir = try Self.bundles()
        defer { try? FileManager.default.removeItem(at: dir) }
        let iris = try String(contentsOfFile: "samples/iris.csv", encoding: .utf8).split(separator: "\n")
        var text = "note," + iris[0] + ",extra\n"
        for (i, line) in iris.dropFirst().enumerated() { text += "\"row \(i)\nsays \"\"hi\"\"\"," + line + ",\(i % 2 == 0 ? "x" : "3.5")\n" }
        let input = dir.appendingPathComponent("extra.csv")
        try Self.write(text, input)
        let full = try Petal.run(["predict", "\(dir.path)/iris", input.path, "-o", "\(dir.path)/full.csv"])
        let only = try Petal.run(["predict", "\(dir.path)/iris", input.path, "--predictions-only", "-o", "\(dir.path)/only.csv"])
        #expect(full.status == 0 && only.status == 0, "\(full.stderr)\(only.stderr)")
        let wide = try String(contentsOf: dir.appendingPathComponent("full.csv"), encoding: .utf8)
        let narrow = try String(contentsOf: dir.appendingPathComponent("only.csv"), encoding: .utf8).split(separator: "\n")
        #expect(narrow.count == 151)
        #expect(narrow[0] == "predicted,p_setosa,p_versicolor,p_virginica")
        // Each record of the full output ends with the same predictions.
        for line in narrow.dropFirst() { #expect(wide.contains("," + line + "\n"), "\(line)") }
        let missing = dir.appendingPathComponent("missing.csv")
        try Self.write("sepal_length,sepal_width,petal_length,other\n5.1,3.5,1.4,2\n", missing)
        let m = try Petal.run(["predict", "\(dir.path)/iris", missing.path, "--predictions-only"])
        #expect(m.status == 1)
        #expect(m.stderr.contains("the input has no field \"petal_width\" (number)"), "\(m.stderr)")
    }

    @Test func refusesInputThatDoesNotFit() throws {
        let dir = try Self.bundles()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("missing.csv")
        try Self.write("sepal_length,sepal_width,petal_length\n5.1,3.5,1.4\n", missing)
        let a = try Petal.run(["predict", "\(dir.path)/iris", missing.path, "-o", "\(dir.path)/out.csv"])
        #expect(a.status == 1)
        #expect(a.stderr.contains("the input has no field \"petal_width\" (number)"))
        #expect(a.stderr.contains("nothing was scored"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir.path)/out.csv"))
        let text = dir.appendingPathComponent("text.csv")
        try Self.write("sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\nlong,3.0,1.4,0.2\n", text)
        let b = try Petal.run(["predict", "\(dir.path)/iris", text.path])
        #expect(b.status == 1)
        #expect(b.stderr.contains("field sepal_length should be a number"), "\(b.stderr)")
        let unknown = dir.appendingPathComponent("unknown.csv")
        try Self.write("island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\nAtlantis,39.1,18.7,181,3750,male,2007\n", unknown)
        let c = try Petal.run(["predict", "\(dir.path)/penguins", unknown.path])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stderr.contains("warning: field island: 1 row with categories the model never saw (\"Atlantis\")"))
    }

    @Test func refusesBadBundles() throws {
        let dir = try Self.bundles()
        defer { try? FileManager.default.removeItem(at: dir) }
        let iris = dir.appendingPathComponent("iris")
        // Tampered: one byte of the model changed.
        let model = iris.appendingPathComponent("model.json")
        var data = try Data(contentsOf: model)
        data[data.count - 2] = data[data.count - 2] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try data.write(to: model)
        let a = try Petal.run(["predict", iris.path, "samples/iris.csv"])
        #expect(a.status == 1 && a.stderr.contains("model.json in iris does not match its checksum"), "\(a.stderr)")
        // From a newer Petal.
        let penguins = dir.appendingPathComponent("penguins")
        let manifest = penguins.appendingPathComponent("petal.json")
        let text = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 2")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let b = try Petal.run(["predict", penguins.path, "samples/penguins.csv"])
        #expect(b.status == 1 && b.stderr.contains("made by a newer Petal"), "\(b.stderr)")
        // Half-written: no manifest.
        try FileManager.default.removeItem(at: manifest)
        let c = try Petal.run(["predict", penguins.path, "samples/penguins.csv"])
        #expect(c.status == 1 && c.stderr.contains("has no petal.json"), "\(c.stderr)")
    }
}
