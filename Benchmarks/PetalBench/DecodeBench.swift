import Foundation
import PetalBundle
import PetalData
import PetalML
import PetalServe

/// Times decoding `/invocations` bodies into a frame: PetalServe's purpose-built decoder against Foundation's
/// `JSONSerialization` (parse, then copy the numbers into columns) and `JSONDecoder` (into Codable records),
/// for one row and for 10,000 rows. Usage: PetalBench --decode IRIS_CSV
func decodeBenchmark(_ irisPath: String) throws {
    guard let frame = try Loaders.load(path: irisPath).frame else { throw PetalError("no iris frame") }
    let pipeline = try Pipeline(steps: [try Step(name: "standard_scaler", parameters: []), try Step(name: "logistic_regression", parameters: [])])
    let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
    let fitted = try pipeline.fit(try schema.matrix(frame, dataset: "iris"), labels: try schema.labels(frame, dataset: "iris"), schema: schema)
    let model = PreparedModel(PipelineModel(fitted, name: "iris"), maxBodyBytes: 1 << 30)
    let names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    let row = #"{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}"#

    struct Record: Decodable { var sepal_length: Double; var sepal_width: Double; var petal_length: Double; var petal_width: Double }
    struct Body: Decodable { var dataframe_records: [Record] }

    for rows in [1, 10_000] {
        let body = Array(("{\"dataframe_records\": [" + Array(repeating: row, count: rows).joined(separator: ", ") + "]}").utf8)
        let data = Data(body)
        let iterations = max(3, 200_000 / rows)
        func time(_ work: () throws -> Int) rethrows -> Double {
            var best = Double.infinity
            var sink = 0
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<iterations { sink &+= try work() }
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(iterations))
            }
            if sink == 42 { print("") }
            return best
        }
        let petal = try time { try model.decode(body).frame.rowCount }
        let serialization = try time {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let records = object["dataframe_records"] as? [[String: Any]] else { return 0 }
            var columns = names.map { _ in [Double]() }
            for r in records { for (k, n) in names.enumerated() { columns[k].append((r[n] as? NSNumber)?.doubleValue ?? .nan) } }
            return try Frame(columns: zip(names, columns).map { Column(name: $0, storage: .float($1)) }).rowCount
        }
        let decoder = try time {
            let records = try JSONDecoder().decode(Body.self, from: data).dataframe_records
            let columns = [records.map(\.sepal_length), records.map(\.sepal_width), records.map(\.petal_length), records.map(\.petal_width)]
            return try Frame(columns: zip(names, columns).map { Column(name: $0, storage: .float($1)) }).rowCount
        }
        let whole = try time {
            let request = try model.decode(body)
            return model.answer(try model.model.predict(request.frame), style: request.style).count
        }
        print(String(format: "%6d rows: decode + predict + answer %9.2f µs", rows, whole))
        print(String(format: "%6d rows (%7d bytes): PetalServe decoder %9.2f µs · JSONSerialization %9.2f µs (%.1fx) · JSONDecoder %9.2f µs (%.1fx)",
                     rows, body.count, petal, serialization, serialization / petal, decoder, decoder / petal))
    }
}
