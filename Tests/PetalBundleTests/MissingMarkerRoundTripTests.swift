import Foundation
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle

/// Issue 15: every writer shares one quoting rule (CSVField), so a text value that spells a missing marker
/// ("NA", "null", "NaN", …) comes back as that text, not as a missing value, through every CSV/TSV writer.
@Suite struct MissingMarkerRoundTripTests {
    /// pandas' default markers, as Petal reads them; the empty string is missing in every reader, so it is left out.
    static let markers = ["NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "null", "NULL", "None", "#N/A", "#N/A N/A",
                          "#NA", "<NA>", "-1.#IND", "-1.#QNAN", "1.#IND", "1.#QNAN"]

    @Test func saveKeepsMarkerTextInCSVAndTSV() throws {
        let values = Self.markers.map { Value.text($0) } + [.text("plain"), .null]
        let frame = try Frame(columns: [Column.fromValues(name: "word", values),
                                        Column.fromValues(name: "n", (0..<values.count).map { .int(Int64($0)) })])
        for sep: Character in [",", "\t"] {
            let text = FrameWriter.delimited(frame, separator: sep)
            let (back, _) = try CSVReader.read(bytes: Array(text.utf8), file: sep == "," ? "m.csv" : "m.tsv")
            let words = try #require(back.column(named: "word"))
            #expect((0..<words.count).map { words[$0] } == values, "separator \(sep == "," ? "comma" : "tab")")
        }
    }

    @Test func quotedEmptyFieldIsStillMissingAndUnquotedMarkersStayMissing() throws {
        let (back, _) = try CSVReader.read(bytes: Array("a,b\n\"\",NA\n\"NA\",1\n".utf8), file: "q.csv")
        let a = try #require(back.column(named: "a")), b = try #require(back.column(named: "b"))
        #expect(a[0] == .null && a[1] == .text("NA"))
        #expect(b[0] == .null && b[1] == .int(1))
    }

    /// `petal predict`'s writer: class labels that spell markers come back as the labels.
    @Test func predictOutputKeepsMarkerLabels() throws {
        let labels = ["NA", "null", "None"]
        let n = 90
        let x = (0..<n).map { Value.float(Double($0 % 3) * 10 + Double($0 % 7) * 0.1) }
        let y = (0..<n).map { Value.text(labels[$0 % 3]) }
        let frame = try Frame(columns: [Column.fromValues(name: "x", x), Column.fromValues(name: "y", y)])
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try Fixture.fit("decision_tree", frame, target: "y", task: .classification)
        let bundle = try ServingBundle.load(from: try Fixture.export(model, training: frame, in: folder))
        for format in [BatchScorer.Format.csv, .tsv] {
            let scorer = BatchScorer(bundle: bundle, format: format)
            var data = Data()
            try scorer.score(frame, write: { data.append(contentsOf: $0) }, progress: { _, _ in })
            let (back, _) = try CSVReader.read(bytes: Array(data), file: format == .csv ? "p.csv" : "p.tsv")
            let predicted = try #require(back.column(named: "predicted"))
            #expect((0..<predicted.count).map { predicted[$0] } == y)
        }
    }
}
