import Foundation
import Testing
import PetalData
@testable import PetalML

/// `model.json` written by `ModelJSONWriter`: the same bytes Foundation's encoder writes with the same settings, for
/// every family; trees as flat number arrays; files from before (a value array per tree node) still load.
@Suite struct ModelJSONWriterTests {
    /// Foundation's encoder with ModelFormat's settings and unescaped slashes (the one spelling that differs).
    static func foundation<T: Encodable>(_ value: T) throws -> Data {
        let e = ModelFormat.encoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(value)
    }

    static let cases: [(String, String?, LearningTask)] = ModelCodingTests.iris + [
        ("extra_trees n_estimators=4 random_state=2", "variety", .classification),
        ("hist_gradient_boosting max_iter=5", "variety", .classification),
        ("ada_boost n_estimators=5", "variety", .classification),
        ("extra_trees n_estimators=3", "petal_width", .regression),
        ("hist_gradient_boosting max_iter=4", "petal_width", .regression),
    ]

    @Test(arguments: 0..<20) func sameBytesAsFoundation(_ i: Int) throws {
        let (text, target, task) = Self.cases[i]
        let (model, x) = try ModelCodingTests.fit(text, try PipelineParityTests.iris(), target: target, task: task)
        let fast = try ModelFormat.encode(model)
        #expect(fast == (try Self.foundation(model)), "\(text)")
        try ModelCodingTests.roundTrip(model, x, text)
    }

    struct Odd: Codable, Equatable {
        var name = "quote \" backslash \\ slash / tab \t newline \n bell \u{7} é 😀"
        var numbers: [Double] = [0, -0.0, 1, -2.5, 1e-7, 1e16, 123456789012345, 0.1 + 0.2, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        var ints: [Int] = [0, 9, 10, -1, Int.max, Int.min]
        var nested: [[Double]] = [[], [1.5], [2, 3]]
        var flags: [Bool] = [true, false]
        var small: [UInt8] = [0, 255]
        var big = UInt64.max
        var float: Float = 0.1
        var missing: Int? = nil
        var present: Double? = 2
        var map: [String: Int] = ["b": 1, "a10": 2, "a9": 3, "B": 4, "é": 5]
        var intMap: [Int: String] = [3: "x", 10: "y"]
    }

    @Test func scalarsAndEscapesMatchFoundation() throws {
        let fast = try ModelJSONWriter().encode(Odd())
        #expect(fast == (try Self.foundation(Odd())))
        let back = try ModelFormat.decoder().decode(Odd.self, from: fast)
        #expect(back.name == Odd().name && back.ints == Odd().ints && back.nested == Odd().nested && back.map == Odd().map)
        #expect(back.numbers.count == 13 && back.numbers[8].isNaN && back.numbers[9] == .infinity && back.numbers[1].sign == .minus)
        #expect(zip(back.numbers, Odd().numbers).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }

    /// Trees are written straight from their arrays (`TreeJSONBytes`): still Foundation's bytes for odd numbers (−0,
    /// NaN, infinities, integral and long values, negative indexes), for nodes of unequal widths (the nested
    /// shape), for an empty tree, and for a forest of eight or more written in parallel.
    @Test func treesWrittenDirectlyMatchFoundation() throws {
        var odd = TreeModel()
        odd.feature = [0, -1, 2, -1, -1, Int.max, Int.min]
        odd.threshold = [-0.0, 0, 1e16, 0.1 + 0.2, -2.5, .infinity, .nan]
        odd.left = [1, -1, 3, -1, -1, 10, -123456789]
        odd.right = [2, -1, 4, -1, -1, 11, 9]
        odd.value = [[0.5, 0.5], [1, 0], [0.3333333333333333, 0.6666666666666666], [0, 1], [-.infinity, 123456789012345],
                     [.leastNonzeroMagnitude, -.greatestFiniteMagnitude], [1e-7, -1]]
        odd.importance = [0.25, 0, 0.75]
        var nested = odd
        nested.value[3] = [1]
        nested.value[5] = []
        for tree in [odd, nested, TreeModel()] {
            #expect(try ModelJSONWriter().encode(tree) == (try Self.foundation(tree)))
        }
        let forest = (0..<9).map { $0 % 2 == 0 ? odd : nested }
        #expect(try ModelJSONWriter().encode(forest) == (try Self.foundation(forest)))
        #expect(try ModelJSONWriter().encode(["trees": forest]) == (try Self.foundation(["trees": forest])))
    }

    /// `write(toFile:)` writes `encode`'s bytes, its pieces (large parts whole, small ones gathered) placed on every
    /// core: a forest with parts over 64 KiB and under, every family's model, and an odd value; an existing file is
    /// replaced, and nothing is left beside it. A folder that does not exist is an error naming the file.
    @Test func writingToAFileGivesTheEncodedBytes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("petal-jsonfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("model.json").path
        func check<T: Encodable>(_ value: T, _ label: String) throws {
            try ModelJSONWriter().write(value, toFile: path)
            #expect(FileManager.default.contents(atPath: path) == (try ModelJSONWriter().encode(value)), "\(label)")
        }
        var big = TreeModel()
        let n = 20_000
        big.feature = (0..<n).map { $0 % 7 - 1 }
        big.threshold = (0..<n).map { Double($0) * 0.318309886183791 }
        big.left = (0..<n).map { $0 + 1 }
        big.right = (0..<n).map { $0 + 2 }
        big.value = (0..<n).map { [Double($0) / 3, 1 - Double($0) / 3] }
        big.importance = [0.5, 0.5]
        var small = TreeModel()
        small.feature = [0, -1, -1]; small.threshold = [0.5, 0, 0]; small.left = [1, -1, -1]; small.right = [2, -1, -1]
        small.value = [[], [1, 0], [0, 1]]
        try check(["trees": (0..<10).map { $0 % 3 == 0 ? big : small }, "name": [small]], "forest")
        try check(Odd(), "odd")
        for i in [0, 5, 11, 16] {
            let (text, target, task) = Self.cases[i]
            let (model, _) = try ModelCodingTests.fit(text, try PipelineParityTests.iris(), target: target, task: task)
            try ModelFormat.write(model, toFile: path)
            #expect(FileManager.default.contents(atPath: path) == (try ModelFormat.encode(model)), "\(text)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.json"])
        #expect(throws: PetalError.self) { try ModelJSONWriter().write(Odd(), toFile: folder.appendingPathComponent("no/such/model.json").path) }
    }

    @Test func treesKeepLeafValuesOnlyAndAnImplicitLeft() throws {
        let (model, _) = try ModelCodingTests.fit("random_forest n_estimators=3", try PipelineParityTests.iris(), target: "variety", task: .classification)
        let json = try #require(try JSONSerialization.jsonObject(with: ModelFormat.encode(model)) as? [String: Any])
        let steps = try #require(json["steps"] as? [[String: Any]])
        let tree = try #require((steps.last?["trees"] as? [[String: Any]])?.first)
        let feature = try #require(tree["feature"] as? [Int])
        let leaves = feature.filter { $0 < 0 }.count
        #expect(leaves > 1 && leaves < feature.count)
        #expect(tree["width"] as? Int == 3)
        #expect((tree["leaf_value"] as? [Double])?.count == 3 * leaves, "one flat array of numbers, three per leaf")
        #expect(tree["value"] == nil && tree["left"] == nil, "inner values and the implicit left are not written")
    }

    /// A tree whose left children are not the next nodes keeps `left`; inner nodes' values are dropped both ways.
    @Test func anExplicitLeftIsWrittenAndInnerValuesDropped() throws {
        var tree = TreeModel()
        tree.feature = [0, -1, -1]; tree.threshold = [0.5, 0, 0]; tree.left = [2, -1, -1]; tree.right = [1, -1, -1]
        tree.value = [[0.5, 0.5], [1, 0], [0, 1]]; tree.importance = [1]
        let text = String(decoding: try ModelJSONWriter().encode(tree), as: UTF8.self)
        #expect(text == #"{"feature":[0,-1,-1],"importance":[1],"leaf_value":[1,0,0,1],"left":[2,-1,-1],"right":[1,-1,-1],"threshold":[0.5,0,0],"width":2}"#)
        var expected = tree
        expected.value[0] = []
        #expect(try JSONDecoder().decode(TreeModel.self, from: Data(text.utf8)) == expected)
    }

    /// Models written before format 2 — format 1 (every node's values flat, with `width`, and `left`) and Petal
    /// 0.6.0's (an array per node, no `width`) — load and predict the same; inner nodes' values, whatever they
    /// were, are ignored.
    @Test func olderTreeShapesStillLoad() throws {
        let cases = [("random_forest n_estimators=3", "variety", LearningTask.classification), ("decision_tree", "petal_width", .regression),
                     ("hist_gradient_boosting max_iter=3", "variety", .classification)]
        for nestedShape in [false, true] {
            for (text, target, task) in cases {
                let (model, x) = try ModelCodingTests.fit(text, try PipelineParityTests.iris(), target: target, task: task)
                var json = try #require(try JSONSerialization.jsonObject(with: ModelFormat.encode(model)) as? [String: Any])
                var rewritten = 0
                func older(_ any: Any) -> Any {
                    if var object = any as? [String: Any] {
                        if let width = object["width"] as? Int, let flat = object["leaf_value"] as? [Double], let feature = object["feature"] as? [Int] {
                            var at = 0
                            let values: [[Double]] = feature.map { f in
                                guard f < 0 else { return [Double](repeating: 7, count: width) }
                                defer { at += width }
                                return Array(flat[at..<(at + width)])
                            }
                            if object["left"] == nil { object["left"] = feature.indices.map { feature[$0] < 0 ? -1 : $0 + 1 } }
                            object["leaf_value"] = nil
                            if nestedShape { object["value"] = values; object["width"] = nil } else { object["value"] = values.flatMap { $0 } }
                            rewritten += 1
                            return object
                        }
                        return object.mapValues(older)
                    }
                    if let array = any as? [Any] { return array.map(older) }
                    return any
                }
                json = try #require(older(json) as? [String: Any])
                json["version"] = 1
                #expect(rewritten > 0, "\(text): no tree was rewritten")
                let back = try ModelFormat.decode(try JSONSerialization.data(withJSONObject: json))
                // JSONSerialization (used here to rewrite the file) rounds a double's last digit, so compare to 1e-12.
                func close(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 || ($0.isNaN && $1.isNaN) } }
                #expect(close(back.predictProba(x).values, model.predictProba(x).values), "\(text)")
                #expect(close(back.predictValues(x) ?? [], model.predictValues(x) ?? []), "\(text)")
            }
        }
    }

    @Test func flatValuesOfTheWrongLengthAreRefused() throws {
        let (model, _) = try ModelCodingTests.fit("decision_tree", try PipelineParityTests.iris(), target: "variety", task: .classification)
        var json = try #require(try JSONSerialization.jsonObject(with: ModelFormat.encode(model)) as? [String: Any])
        var steps = try #require(json["steps"] as? [[String: Any]])
        var trees = try #require(steps[steps.count - 1]["trees"] as? [[String: Any]])
        trees[0]["leaf_value"] = Array(((trees[0]["leaf_value"] as? [Double]) ?? []).dropLast())
        steps[steps.count - 1]["trees"] = trees
        json["steps"] = steps
        let error = try #require(throws: PetalError.self) { try ModelFormat.decode(try JSONSerialization.data(withJSONObject: json)) }
        #expect(error.message.contains("width 3"), "\(error.message)")
    }
}
