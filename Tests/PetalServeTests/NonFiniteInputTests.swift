import Foundation
import PetalBundle
import PetalData
import PetalML
@testable import PetalServe
import Testing

/// Values that are not finite numbers, or not numbers at all, never reach the model: in every payload style a
/// boolean, 1e999, a 5,000-digit integer, NaN or Infinity in a number field is a 400 naming the field and the
/// row, and inputs that overflow inside the pipeline are a 400 naming the row, never a 200 with null
/// probabilities.
@Suite struct NonFiniteInputTests {
    static let columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    static let good = ["5.1", "3.5", "1.4", "0.2"]

    /// The bad JSON literals, and what the server must say about each.
    static let badJSON: [(literal: String, says: String)] = [
        ("true", "boolean"), ("false", "boolean"), ("1e999", "finite"), ("-1e999", "finite"),
        (String(repeating: "9", count: 5000), "finite"), ("-" + String(repeating: "7", count: 5000) + ".5", "finite"),
        ("NaN", "NaN"), ("Infinity", "infinite"), ("-Infinity", "infinite"), ("null", "null"),
    ]

    /// A body of two rows in `style`, the second with `bad` as sepal_width.
    static func body(_ style: String, bad: String) -> String {
        let second = ["5.9", bad, "5.1", "1.8"]
        switch style {
        case "dataframe_split":
            let names = columns.map { "\"\($0)\"" }.joined(separator: ",")
            return "{\"dataframe_split\": {\"columns\": [\(names)], \"data\": [[\(good.joined(separator: ","))], [\(second.joined(separator: ","))]]}}"
        case "dataframe_records", "instances-records":
            let key = style == "dataframe_records" ? "dataframe_records" : "instances"
            func record(_ v: [String]) -> String { "{" + zip(columns, v).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}" }
            return "{\"\(key)\": [\(record(good)), \(record(second))]}"
        case "instances", "inputs":
            return "{\"\(style)\": [[\(good.joined(separator: ","))], [\(second.joined(separator: ","))]]}"
        case "inputs-columns":
            return "{\"inputs\": {" + columns.indices.map { "\"\(columns[$0])\": [\(good[$0]), \(second[$0])]" }.joined(separator: ", ") + "}}"
        default: fatalError(style)
        }
    }

    static let styles = ["dataframe_split", "dataframe_records", "instances-records", "instances", "inputs", "inputs-columns"]

    @Test func everyStyleRefusesEveryBadNumber() async throws {
        try await withServer(Fixtures.iris) { server in
            for style in Self.styles {
                #expect(try await HTTP.post(server, Self.body(style, bad: "3.0")).status == 200, "\(style) with good rows")
                for (literal, says) in Self.badJSON {
                    let r = try await HTTP.post(server, Self.body(style, bad: literal))
                    let shown = literal.prefix(20)
                    #expect(r.status == 400, "\(style) with \(shown): \(r.body.prefix(300))")
                    #expect(r.object["field"] as? String == "sepal_width", "\(style) with \(shown): \(r.body.prefix(300))")
                    #expect(r.object["row"] as? Int == 1, "\(style) with \(shown): \(r.body.prefix(300))")
                    #expect((r.object["message"] as? String)?.contains(says) == true, "\(style) with \(shown): \(r.body.prefix(300))")
                    #expect(r.body.count < 1000, "the answer quotes at most a prefix of a long number: \(r.body.prefix(300))")
                }
            }
            let metrics = try await HTTP.request(server.url + "/metrics").body
            #expect(metrics.contains("petal_predicted_rows_total \(Self.styles.count * 2)\n"), "no bad row was predicted: \(metrics)")
        }
    }

    @Test func csvRefusesEveryBadNumber() async throws {
        try await withServer(Fixtures.iris) { server in
            let header = Self.columns.joined(separator: ",")
            for cell in ["true", "false", "inf", "-inf", "Infinity", "1e999", String(repeating: "9", count: 5000), "nan", "NaN", ""] {
                let r = try await HTTP.post(server, "\(header)\n5.1,3.5,1.4,0.2\n5.9,\(cell),5.1,1.8\n", contentType: "text/csv")
                #expect(r.status == 400, "\(cell.prefix(20)): \(r.body.prefix(300))")
                #expect(r.object["field"] as? String == "sepal_width", "\(cell.prefix(20)): \(r.body.prefix(300))")
                #expect(r.object["row"] as? Int == 1, "\(cell.prefix(20)): \(r.body.prefix(300))")
            }
        }
    }

    @Test func overflowInsideThePipelineIsRefusedNamingTheRow() async throws {
        try await withServer(Fixtures.iris) { server in
            // Finite inputs whose scaled values overflow (1.7e308 / a standard deviation below 1), and inputs
            // whose scaled values are finite but make the logistic scores overflow (±1e308 in two columns).
            let cases = [["1.7e308", "3.0", "1.4", "0.2"], ["1e308", "-1e308", "1.4", "0.2"], ["-1.7e308", "1.7e308", "1e308", "-1e308"]]
            for values in cases {
                for style in ["dataframe_records", "inputs", "csv"] {
                    let r: HTTPReply
                    if style == "csv" {
                        r = try await HTTP.post(server, Self.columns.joined(separator: ",") + "\n5.1,3.5,1.4,0.2\n" + values.joined(separator: ",") + "\n",
                                                contentType: "text/csv")
                    } else if style == "inputs" {
                        r = try await HTTP.post(server, "{\"inputs\": [[5.1,3.5,1.4,0.2], [\(values.joined(separator: ","))]]}")
                    } else {
                        let record = "{" + zip(Self.columns, values).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
                        r = try await HTTP.post(server, "{\"dataframe_records\": [\(Fixtures.irisRow), \(record)]}")
                    }
                    #expect(r.status == 400, "\(values) as \(style): \(r.body)")
                    #expect(r.object["row"] as? Int == 1, "\(values) as \(style): \(r.body)")
                    #expect((r.object["message"] as? String)?.hasPrefix("row 2:") == true, "\(values) as \(style): \(r.body)")
                    #expect(Self.columns.contains(r.object["field"] as? String ?? ""), "\(r.body)")
                    #expect(!r.body.contains("null"), "\(r.body)")
                }
            }
        }
    }

    @Test func regressionOverflowIsRefusedToo() async throws {
        let (fitted, frame) = try Fixtures.fit("iris.csv", target: "petal_width", steps: [("standard_scaler", []), ("linear_regression", [])],
                                               task: .regression)
        let model = PipelineModel(fitted, name: "width", exampleFrame: frame)
        try await withServer(model) { server in
            let ok = try await HTTP.post(server, #"{"dataframe_records": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "variety": "setosa"}]}"#)
            #expect(ok.status == 200, "\(ok.body)")
            let r = try await HTTP.post(server, #"{"dataframe_records": [{"sepal_length": 1e308, "sepal_width": -1e308, "petal_length": 1e308, "variety": "setosa"}]}"#)
            #expect(r.status == 400, "\(r.body)")
            #expect(r.object["row"] as? Int == 0, "\(r.body)")
        }
    }

    @Test func aBooleanFieldTakesBooleans() async throws {
        // A number field whose training column was boolean takes true/false (and CSV's True/false); others refuse them.
        let n = 40
        let flag = Column(name: "flag", storage: .bool((0..<n).map { $0 % 2 == 0 }))
        let size = Column(name: "size", storage: .float((0..<n).map { Double($0 % 7) }))
        let label = Column(name: "label", storage: .text(codes: (0..<n).map { Int32($0 % 2) }, dictionary: ["even", "odd"]))
        let frame = try Frame(columns: [flag, size, label])
        let schema = try FeatureSchema.infer(frame: frame, target: "label", dataset: "flags")
        let fitted = try Pipeline(steps: [try Step(name: "logistic_regression", parameters: [])])
            .fit(try schema.matrix(frame, dataset: "flags"), target: .classes(try schema.labels(frame, dataset: "flags")), schema: schema)
        try await withServer(PipelineModel(fitted, name: "flags", exampleFrame: frame)) { server in
            #expect(try await HTTP.post(server, #"{"dataframe_records": [{"flag": true, "size": 3}, {"flag": false, "size": 1}]}"#).status == 200)
            #expect(try await HTTP.post(server, "flag,size\nTrue,3\nfalse,1\n", contentType: "text/csv").status == 200)
            let r = try await HTTP.post(server, #"{"dataframe_records": [{"flag": true, "size": false}]}"#)
            #expect(r.status == 400)
            #expect(r.object["field"] as? String == "size")
            #expect(try await HTTP.post(server, "flag,size\ntrue,yes\n", contentType: "text/csv").status == 400)
        }
    }
}
