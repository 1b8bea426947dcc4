import Foundation
import PetalBundle
import PetalData
@testable import PetalServe
import Testing

/// The exact answer shapes for classes, numbers and clusters, in both styles, and the metadata document.
struct AnswerTests {
    static let iris = PreparedModel(Fixtures.iris, maxBodyBytes: 1 << 20)

    func text(_ p: Predictions, _ style: AnswerStyle) -> String {
        String(decoding: Self.iris.answer(p, style: style), as: UTF8.self)
    }

    @Test func classes() {
        let p = Predictions.classes(codes: [2, 0], probabilities: [0.1, 0.2, 0.7, 1, 0, 0])
        #expect(text(p, .records) == #"{"predictions":[{"label":"virginica","probabilities":{"setosa":0.1,"versicolor":0.2,"virginica":0.7}},"#
                + #"{"label":"setosa","probabilities":{"setosa":1.0,"versicolor":0.0,"virginica":0.0}}]}"# + "\n")
        #expect(text(p, .columns) == #"{"predictions":{"label":["virginica","setosa"],"probabilities":[[0.1,0.2,0.7],[1.0,0.0,0.0]]}}"# + "\n")
    }

    @Test func numbersAndClusters() {
        #expect(text(.values([1.5, -2e-7]), .records) == #"{"predictions":[{"value":1.5},{"value":-2e-07}]}"# + "\n")
        #expect(text(.values([1.5, .nan]), .columns) == #"{"predictions":{"value":[1.5,null]}}"# + "\n")
        #expect(text(.clusters([2, 0]), .records) == #"{"predictions":[{"label":2},{"label":0}]}"# + "\n")
        #expect(text(.clusters([2, 0]), .columns) == #"{"predictions":{"label":[2,0]}}"# + "\n")
    }

    @Test func errorsAreJSON() throws {
        let e = ServeError("a \"quoted\"\nline", field: "x", expected: "a number")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(e.json)) as? [String: String])
        #expect(object == ["error_code": "BAD_REQUEST", "message": "a \"quoted\"\nline", "field": "x", "expected": "a number"])
    }

    @Test func metadataDescribesTheModel() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(Self.iris.metadata)) as? [String: Any])
        #expect(object["task"] as? String == "classification")
        #expect(object["classes"] as? [String] == ["setosa", "versicolor", "virginica"])
        #expect(object["max_body_bytes"] as? Int == 1 << 20)
        #expect((object["inputs"] as? [[String: Any]])?.map { $0["type"] as? String } == Array(repeating: "double", count: 4))
        #expect(Self.iris.exampleRequest == #"{"dataframe_records":[{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}"#)
    }

    @Test func quotedCSVFields() throws {
        let d = try PayloadDecoderTests().decode("\"sepal_length\",sepal_width,petal_length,petal_width,note\n5.1,3.5,1.4,0.2,\"two\nlines, \"\"quoted\"\"\"\n", csv: true)
        #expect(d.frame.rowCount == 1)
        #expect(d.frame.column(named: "sepal_length")?.doublesWithNaN() == [5.1])
    }
}
