import Foundation
import Testing
import PetalData
@testable import PetalML

/// Large matrices in `model.json` (model format 3) are packed: base64 of little-endian doubles, exact for every
/// value, the same bytes from `ModelJSONWriter` as from Foundation's encoder; files that wrote them as numbers
/// still load; damaged packed values are refused with a message.
@Suite struct PackedMatrixTests {
    /// A kNN on penguins keeps its ~3,000 training values: more than `Matrix.packedAbove`.
    static func penguinsKNN() throws -> (FittedPipeline, Matrix) {
        let frame = try ModelCodingTests.penguins()
        let y = try frame.requireColumn("species")
        return try ModelCodingTests.fit("imputer | one_hot | standard_scaler | knn k=5", frame.filter { y.isValid($0) }, target: "species", task: .classification)
    }

    @Test func base64MatchesFoundation() {
        var rng = SplitMix64(seed: 4)
        // Every remainder of 3 and short lengths, and one long enough to be written in parallel pieces.
        for count in Array(0...40) + [3 * (1 << 16) + 7, 3 * (1 << 17) + 2] {
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var out = [UInt8](repeating: 0, count: (count + 2) / 3 * 4)
            bytes.withUnsafeBytes { raw in out.withUnsafeMutableBufferPointer { if let o = $0.baseAddress { Base64.encode(raw, into: o) } } }
            #expect(String(decoding: out, as: UTF8.self) == Data(bytes).base64EncodedString(), "\(count) bytes")
        }
    }

    @Test func oddValuesSurviveExactly() throws {
        var values: [Double] = [0, -0.0, .nan, -.nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1 + 0.2, -1e-300]
        var rng = SplitMix64(seed: 9)
        while values.count < 2 * Matrix.packedAbove { values.append(Double(bitPattern: rng.next())) }
        let matrix = Matrix(rows: values.count / 2, columns: 2, values: values)
        let fast = try ModelJSONWriter().encode(matrix)
        #expect(fast == (try ModelJSONWriterTests.foundation(matrix)))
        let json = try #require(try JSONSerialization.jsonObject(with: fast) as? [String: Any])
        #expect(json["packed"] is String && json["values"] == nil)
        let back = try ModelFormat.decoder().decode(Matrix.self, from: fast)
        #expect(back.rows == matrix.rows && back.columns == 2)
        #expect(back.values.map(\.bitPattern) == values.map(\.bitPattern))
        // At the threshold and below, numbers.
        let small = Matrix(rows: Matrix.packedAbove, columns: 1, values: Array(values.prefix(Matrix.packedAbove)).map { $0.isFinite ? $0 : 1 })
        let smallJSON = try #require(try JSONSerialization.jsonObject(with: ModelJSONWriter().encode(small)) as? [String: Any])
        #expect(smallJSON["values"] is [Any] && smallJSON["packed"] == nil)
    }

    @Test func largeKNNIsPackedAndLoadsAsWritten() throws {
        let (model, x) = try Self.penguinsKNN()
        let data = try ModelFormat.encode(model)
        #expect(data == (try ModelJSONWriterTests.foundation(model)))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"packed\":\""))
        try ModelCodingTests.roundTrip(model, x, "penguins knn")
    }

    /// The same model as format 2 wrote it (the training rows as numbers) loads to the same model.
    @Test func numbersFromFormatTwoStillLoad() throws {
        let (model, x) = try Self.penguinsKNN()
        let step = try #require(model.steps.last?.model as? KNeighbors.Classifier)
        var text = String(decoding: try ModelFormat.encode(model), as: UTF8.self)
        let packed = try #require(text.range(of: #""packed":"[^"]*""#, options: .regularExpression))
        var numbers: [UInt8] = []
        JSONBytes.numbers(step.x.values, into: &numbers)
        text.replaceSubrange(packed, with: "\"values\":" + String(decoding: numbers, as: UTF8.self))
        let version = try #require(text.range(of: "\"version\":\(ModelFormat.version)"))
        text.replaceSubrange(version, with: "\"version\":2")
        let back = try ModelFormat.decode(Data(text.utf8))
        #expect(back == model)
        #expect(back.predictProba(x) == model.predictProba(x))
    }

    @Test func damagedPackedValuesAreRefused() throws {
        let (model, _) = try Self.penguinsKNN()
        let text = String(decoding: try ModelFormat.encode(model), as: UTF8.self)
        let packed = try #require(text.range(of: #""packed":"[^"]*""#, options: .regularExpression))
        for (replacement, expected) in [("\"packed\":\"not base64!\"", "not base64"),
                                        ("\"packed\":\"\(Data(count: 12).base64EncodedString())\"", "not a whole number"),
                                        ("\"packed\":\"\(Data(count: 16).base64EncodedString())\"", "matrix needs"),
                                        ("\"packed\":[1,2]", "packed")] {
            var damaged = text
            damaged.replaceSubrange(packed, with: replacement)
            let error = try #require(throws: PetalError.self) { try ModelFormat.decode(Data(damaged.utf8)) }
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}
