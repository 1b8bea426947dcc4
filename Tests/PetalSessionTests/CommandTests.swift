import Foundation
import Testing
@testable import PetalSession
import PetalData

/// Each core verb, in text and JSON, on the iris sample.
@Suite struct CommandTests {
    @Test func openNamesTheDataSet() {
        let s = Session()
        let e = s.execute("open \(Repo.path("samples/seattle-weather.csv"))")
        #expect(e.ok)
        #expect(s.datasets.map(\.name) == ["seattle_weather"])
        #expect(e.renderText(width: 80).hasPrefix("seattle_weather: 1,461 rows × 6 columns"))
    }

    @Test func describeTextAndJSON() throws {
        let s = irisSession()
        let e = s.execute("describe iris")
        let text = e.renderText(width: 80)
        #expect(text.contains("mean        5.843333     3.057333      3.758000     1.199333"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let json = e.json().serialized()
        #expect(json.hasPrefix("{\"command\": \"describe\", \"input\": \"describe iris\", \"ok\": true, \"result\": {\"dataset\": \"iris\""))
        #expect(json.contains("\"name\": \"variety\", \"type\": \"text\", \"count\": 150, \"null_count\": 0, \"unique\": 3, \"top\": \"setosa\", \"freq\": 50"))
        #expect(json.contains("\"25%\": 5.1"))
    }

    @Test func describeOneColumnAndGroups() {
        let s = irisSession()
        #expect(s.execute("describe iris.petal_length").renderText(width: 80).contains("petal_length"))
        let g = s.execute("describe iris by=variety").renderText(width: 80)
        #expect(g.contains("variety = setosa  (50 rows)"))
        #expect(g.contains("variety = virginica"))
    }

    @Test func histUsesNumpyEdges() {
        let s = irisSession()
        let e = s.execute("hist iris.petal_length bins=12")
        #expect(e.json().serialized().contains("\"counts\": [24, 26, 0, 0, 3, 8, 18, 25, 18, 17, 7, 4]"))
        #expect(e.renderText(width: 80).contains("[1.0000, 1.4917)  24  █"))
        let bad = s.execute("hist iris.variety")
        #expect(!bad.ok && bad.renderText(width: 80).contains("counts iris.variety"))
    }

    @Test func countsNullsCorr() {
        let s = Session()
        _ = s.execute("open \(Repo.path("samples/penguins.csv"))")
        let counts = s.execute("counts penguins.sex").renderText(width: 80)
        #expect(counts.contains("male") && counts.contains("11 null (not counted)"))
        let nulls = s.execute("nulls penguins").json().serialized()
        #expect(nulls.contains("{\"name\": \"sex\", \"type\": \"text\", \"null_count\": 11"))
        let corr = s.execute("corr penguins")
        #expect(corr.ok)
        #expect(corr.renderText(width: 80).contains("(not numeric, left out: species, island, sex)"))
    }

    @Test func headTailSample() {
        let s = irisSession()
        let head = s.execute("head iris 3").renderText(width: 80)
        #expect(head.contains("… 147 more rows"))
        #expect(head.contains("0           5.1          3.5           1.4          0.2  setosa"))
        #expect(s.execute("tail iris 2").renderText(width: 80).contains("149"))
        #expect(s.execute("sample iris 5 seed=1").json().serialized() == s.execute("sample iris 5 seed=1").json().serialized())
    }

    @Test func filterSortSelectSave() throws {
        let s = irisSession()
        #expect(s.execute("filter iris petal_length > 4 and variety != \"setosa\" as big").ok)
        #expect(try s.dataset("big").frame.rowCount == 84)
        #expect(s.execute("sort big by=-petal_length").ok)
        #expect(try s.dataset("big").frame.columns[2][0] == .float(6.9))
        #expect(s.execute("select big petal_length,variety as two").ok)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for ext in ["csv", "tsv", "json", "ndjson"] {
            let path = dir.appendingPathComponent("two.\(ext)").path
            #expect(s.execute("save two to \(path)").ok, "\(ext)")
            let back = s.execute("open \(path) as back_\(ext)")
            #expect(back.ok, "\(back.renderText(width: 80))")
            #expect(try s.dataset("back_\(ext)").frame.rowCount == 84)
        }
    }

    @Test func errorsSayWhatToDo() {
        let s = irisSession()
        let unknown = s.execute("describ iris")
        #expect(unknown.renderText(width: 80).contains("did you mean describe?"))
        let noSet = s.execute("describe flowers")
        #expect(noSet.renderText(width: 80).contains("open data sets: iris"))
        let noCol = s.execute("hist iris.petal_lenght")
        #expect(noCol.renderText(width: 80).contains("did you mean petal_length?"))
        let badOption = s.execute("hist iris.petal_length bin=3")
        #expect(badOption.renderText(width: 80).contains("hist takes: bins="))
        let json = s.execute("open nowhere.csv").json().serialized()
        #expect(json.contains("\"ok\": false, \"error\": {\"message\": \"no such file\", \"file\": \"nowhere.csv\""))
    }

    @Test func completion() {
        let s = irisSession()
        #expect(Completion.candidates(for: "desc", in: s).contains("describe"))
        #expect(Completion.candidates(for: "hist iris.pe", in: s) == ["iris.petal_length", "iris.petal_width"])
        #expect(Completion.candidates(for: "hist iris.petal_length b", in: s) == ["bins="])
        #expect(Completion.candidates(for: "describe ", in: s).contains("iris"))
    }

    @Test func helpListsEveryCommand() {
        let text = Session().execute("help").renderText(width: 80)
        for c in Commands.all { #expect(text.contains(c.name)) }
        #expect(Session().execute("help open").renderText(width: 80).contains("on_bad_lines"))
    }
}

@Suite struct TextTableTests {
    @Test func wideTablesElideMiddleColumns() {
        var t = TextTable(headers: ["", "a_long_name", "b_long_name", "c_long_name", "d_long_name"],
                          alignments: [.right, .right, .right, .right, .right], rows: [["0", "1", "2", "3", "4"]])
        t.subheaders = ["", "int", "int", "int", "int"]
        t.stickyColumns = 1
        let text = t.render(width: 40)
        #expect(text.contains("…"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 40 })
        #expect(t.render(width: 5).contains("…"))
    }
}
