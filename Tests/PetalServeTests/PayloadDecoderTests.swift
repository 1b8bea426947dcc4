import Foundation
import PetalData
@testable import PetalServe
import Testing

/// The request decoder on every payload shape and every bad input, without a server.
struct PayloadDecoderTests {
    static let iris = PreparedModel(Fixtures.iris, maxBodyBytes: 1 << 20)
    static let penguins = PreparedModel(Fixtures.penguins, maxBodyBytes: 1 << 20)

    func decode(_ text: String, csv: Bool = false, model: PreparedModel = PayloadDecoderTests.iris) throws -> DecodedRequest {
        try model.decode(Array(text.utf8), csv: csv)
    }

    func error(_ text: String, csv: Bool = false, model: PreparedModel = PayloadDecoderTests.iris) -> ServeError? {
        do { _ = try decode(text, csv: csv, model: model); return nil } catch let e as ServeError { return e } catch { return nil }
    }

    func numbers(_ d: DecodedRequest, _ column: String) -> [Double] {
        d.frame.column(named: column)?.doublesWithNaN() ?? []
    }

    @Test func everyShapeGivesTheSameRows() throws {
        let shapes = [
            #"{"dataframe_records": [{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2},{"petal_width":2.3,"petal_length":5.4,"sepal_width":3.4,"sepal_length":6.2}]}"#,
            #"{"dataframe_split": {"columns": ["sepal_length","sepal_width","petal_length","petal_width"], "data": [[5.1,3.5,1.4,0.2],[6.2,3.4,5.4,2.3]]}}"#,
            #"{"dataframe_split": {"index": [0, 1], "data": [[0.2,1.4,3.5,5.1],[2.3,5.4,3.4,6.2]], "columns": ["petal_width","petal_length","sepal_width","sepal_length"]}}"#,
            #"{"instances": [[5.1,3.5,1.4,0.2],[6.2,3.4,5.4,2.3]]}"#,
            #"{"inputs": [{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2},{"sepal_length":6.2,"sepal_width":3.4,"petal_length":5.4,"petal_width":2.3}]}"#,
            #"{"inputs": {"sepal_length":[5.1,6.2],"sepal_width":[3.5,3.4],"petal_length":[1.4,5.4],"petal_width":[0.2,2.3]}}"#,
            #"{"inputs": {"sepal_length":[[5.1],[6.2]],"sepal_width":[[3.5],[3.4]],"petal_length":[[1.4],[5.4]],"petal_width":[[0.2],[2.3]]}}"#,
            #"{"params": {}, "inputs": [[5.1,3.5,1.4,0.2],[6.2,3.4,5.4,2.3]]}"#,
        ]
        for text in shapes {
            let d = try decode(text)
            #expect(d.frame.rowCount == 2, "\(text)")
            #expect(numbers(d, "sepal_length") == [5.1, 6.2], "\(text)")
            #expect(numbers(d, "petal_width") == [0.2, 2.3], "\(text)")
        }
        let csv = try decode("petal_width,sepal_length,sepal_width,petal_length,extra\n0.2,5.1,3.5,1.4,x\r\n2.3,6.2,3.4,5.4,\"y, z\"\n", csv: true)
        #expect(numbers(csv, "sepal_length") == [5.1, 6.2])
        #expect(numbers(csv, "petal_width") == [0.2, 2.3])
    }

    @Test func answerStyleFollowsTheInputStyle() throws {
        #expect(try decode(#"{"dataframe_records": [\#(Fixtures.irisRow)]}"#).style == .records)
        #expect(try decode(#"{"inputs": [[5.1,3.5,1.4,0.2]]}"#).style == .columns)
        #expect(try decode(#"{"instances": [5.1,3.5,1.4,0.2]}"#).frame.rowCount == 1)
    }

    @Test func extraFieldsAreIgnoredAndEscapedKeysMatch() throws {
        let d = try decode(#"{"dataframe_records": [{"id": {"a": [1, 2]}, "sepal_l\u0065ngth":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2, "note": "x"}]}"#)
        #expect(numbers(d, "sepal_length") == [5.1])
    }

    @Test func textColumnsAndMissingValues() throws {
        let row = #"{"island":"Biscoe","bill_length_mm":null,"bill_depth_mm":NaN,"flipper_length_mm":210,"body_mass_g":4500,"sex":null,"year":2008}"#
        let d = try decode(#"{"dataframe_records": [\#(row)]}"#, model: Self.penguins)
        #expect(d.frame.column(named: "island")?[0] == .text("Biscoe"))
        #expect(d.frame.column(named: "sex")?.isValid(0) == false)
        #expect(numbers(d, "bill_length_mm").first?.isNaN == true)
        let e = error(#"{"dataframe_records": [{"island":"Atlantis","bill_length_mm":40,"bill_depth_mm":18,"flipper_length_mm":210,"body_mass_g":4500,"sex":"male","year":2008}]}"#,
                      model: Self.penguins)
        #expect(e?.status == 400)
        #expect(e?.field == "island")
        #expect(e?.message.contains("Atlantis") == true)
        #expect(e?.message.contains("Biscoe") == true)
    }

    @Test func badInputsNameTheFieldAndTheType() throws {
        let missing = error(#"{"dataframe_records": [{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4}]}"#)
        #expect(missing?.field == "petal_width")
        #expect(missing?.expected == "a number")
        #expect(missing?.message == "dataframe_records[0] has no petal_width; expected a number")
        let string = error(#"{"dataframe_records": [{"sepal_length":"wide","sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}"#)
        #expect(string?.message == "dataframe_records[0].sepal_length is a string (\"wide\"); expected a number")
        #expect(string?.field == "sepal_length")
        let nan = error(#"{"inputs": [[5.1, NaN, 1.4, 0.2]]}"#)
        #expect(nan?.field == "sepal_width")
        #expect(nan?.message.contains("NaN") == true)
        #expect(error(#"{"inputs": [[5.1, null, 1.4, 0.2]]}"#)?.message.contains("null") == true)
        #expect(error(#"{"inputs": [[5.1, Infinity, 1.4, 0.2]]}"#)?.message.contains("infinite") == true)
        let short = error(#"{"inputs": [[5.1, 3.5, 1.4]]}"#)
        #expect(short?.message.contains("has 3 values; expected 4") == true)
        let split = error(#"{"dataframe_split": {"columns": ["sepal_length","sepal_width","petal_lenght","petal_width"], "data": [[1,2,3,4]]}}"#)
        #expect(split?.field == "petal_length")
        #expect(split?.message.contains("unknown columns: petal_lenght") == true)
        #expect(error(#"{"dataframe_records": [\#(Fixtures.irisRow)], "inputs": [[1,2,3,4]]}"#)?.message.contains("both") == true)
        #expect(error(#"{"records": []}"#)?.message.contains("unknown key \"records\"") == true)
        #expect(error(#"[[5.1,3.5,1.4,0.2]]"#)?.message.contains("JSON object") == true)
        #expect(error(#"{"dataframe_records": [{"sepal_length":5.1,"sepal_length":5.2}]}"#)?.message.contains("twice") == true)
    }

    @Test func emptyBatchesAreRefused() {
        for text in [#"{"dataframe_records": []}"#, #"{"inputs": []}"#, #"{"instances": {}}"#,
                     #"{"dataframe_split": {"columns": ["sepal_length","sepal_width","petal_length","petal_width"], "data": []}}"#, "", "{}"] {
            let e = error(text)
            #expect(e?.status == 400, "\(text)")
            #expect(e?.message.contains("empty") == true || e?.message.contains("none of") == true, "\(text): \(e?.message ?? "-")")
        }
        #expect(error("sepal_length,sepal_width,petal_length,petal_width\n", csv: true)?.message.contains("empty") == true)
    }

    @Test func malformedJSONSaysWhere() {
        let e = error("{\"inputs\": [[5.1, 3.5,\n 1.4 0.2]]}")
        #expect(e?.code == "MALFORMED_REQUEST")
        #expect(e?.message.contains("line 2, column 6") == true)
        #expect(error(#"{"inputs": [[5.1, 3.5, 1.4, 0.2]]"#)?.code == "MALFORMED_REQUEST")
        #expect(error(#"{"inputs": [[5.1, 3.5, 1.4, 0.2]]} trailing"#)?.message.contains("after the JSON value") == true)
        #expect(error(#"{"inputs": [[5.1, 3.5, 1.4, 0.2]], "params": "#)?.code == "MALFORMED_REQUEST")
        let deep = "{\"params\": " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + ", \"inputs\": [[1,2,3,4]]}"
        #expect(error(deep)?.message.contains("nest") == true)
    }

    /// Escapes are decoded by the loader's scanner (no Foundation fallback); bad ones are 400s that say what.
    @Test func escapesUseTheSharedScanner() throws {
        let d = try decode(#"{"dataframe_records": [{"island":"Bisc\u006fe","bill_length_mm":40,"bill_depth_mm":18,"flipper_length_mm":210,"body_mass_g":4500,"sex":"m\u0061le","year":2008}]}"#,
                           model: Self.penguins)
        #expect(d.frame.column(named: "island")?[0] == .text("Biscoe"))
        #expect(d.frame.column(named: "sex")?[0] == .text("male"))
        let cases: [(String, String)] = [
            (#"{"inputs": [["\x"]]}"#, "bad escape"),
            (#"{"inputs": [["\uD83D"]]}"#, "unpaired surrogate"),
            (#"{"inputs": [["\u12"]]}"#, "four hex digits"),
            (#"{"inputs": [[012, 3.5, 1.4, 0.2]]}"#, "start with 0"),
            (#"{"inputs": [[1., 3.5, 1.4, 0.2]]}"#, "after the decimal point"),
            (#"{"inputs": [[tru, 3.5, 1.4, 0.2]]}"#, "expected a value"),
        ]
        for (body, words) in cases {
            let e = error(body)
            #expect(e?.code == "MALFORMED_REQUEST" && e?.message.contains(words) == true, "\(body): \(e?.message ?? "accepted")")
        }
    }

    @Test func csvErrors() {
        #expect(error("5.1,3.5,1.4,0.2\n", csv: true)?.message.contains("header") == true)
        #expect(error("sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4\n", csv: true)?.message.contains("line 2 has 3 fields") == true)
        #expect(error("sepal_length,sepal_width,petal_length,petal_width\n5.1,abc,1.4,0.2\n", csv: true)?.field == "sepal_width")
        #expect(error("sepal_length,sepal_width,petal_length,petal_width\n5.1,,1.4,0.2\n", csv: true)?.message.contains("empty") == true)
        #expect(error("sepal_length,sepal_width,petal_length,petal_width\n\"open", csv: true)?.message.contains("not closed") == true)
    }

    @Test func tenThousandRows() throws {
        let rows = Array(repeating: "[5.1,3.5,1.4,0.2]", count: 10_000).joined(separator: ",")
        let d = try decode(#"{"inputs": [\#(rows)]}"#)
        #expect(d.frame.rowCount == 10_000)
        let predictions = try Fixtures.iris.predict(d.frame)
        #expect(predictions.count == 10_000)
    }
}
