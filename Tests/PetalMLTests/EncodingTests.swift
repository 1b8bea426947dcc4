import Foundation
import PetalTestSupport
import Testing
import CKernels
import PetalData
@testable import PetalML

/// Imputer statistics and one-hot pipelines against scikit-learn (Tests/Fixtures/sklearn/encoding.json).
@Suite struct EncodingTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("encoding.json")

    @Test func imputerMatchesSimpleImputer() throws {
        let rows = try #require(Self.fixture["imputer_X"] as? [[Any]])
        let x = Matrix(rows: rows.count, columns: 4, values: rows.flatMap { $0.map { ($0 as? Double) ?? .nan } })
        let expected = try #require(Self.fixture["imputers"] as? [String: [Double]])
        for (strategy, stats) in expected {
            var params = [("strategy", strategy)]
            if strategy == "constant" { params.append(("fill_value", "-1")) }
            guard let imputer = try Step(name: "imputer", parameters: params).recipe as? SimpleImputer else { Issue.record("not an imputer"); continue }
            let fitted = imputer.fill(x)
            #expect(zip(fitted.fill, stats).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(strategy): \(fitted.fill) vs \(stats)")
            #expect(!fitted.transform(x).values.contains { $0.isNaN })
        }
    }

    /// A text column's categories are found through its dictionary codes (no String per row): the matrix is the
    /// same as from the same values in a column without a dictionary (Value by Value), with a missing value, a
    /// category the model never saw, and a dictionary entry no row uses.
    @Test func categoryCodesFromTheDictionaryMatchTheValues() throws {
        let texts: [String?] = ["b", nil, "a", "zzz", "b", "c", nil, "a"]
        let validity = Bitmap(texts.map { $0 != nil })
        let dictionary = ["unused", "b", "a", "zzz", "c"]
        let codes: [Int32] = texts.map { t in Int32(dictionary.firstIndex(of: t ?? "unused") ?? 0) }
        let coded = Column(name: "k", storage: .text(codes: codes, dictionary: TextDictionary(dictionary)), validity: validity)
        let categories = ["a", "b", "c"]
        let fromCodes = FeatureSchema.categoryCodes(coded, categories)
        #expect((0..<texts.count).map(fromCodes) == [1, nil, 0, nil, 1, 2, nil, 0])
        // The same values as an int column's texts go by value, and agree.
        let numbers = Column(name: "k", storage: .int([2, 0, 1, 9, 2, 3, 0, 1]), validity: validity)
        let byValue = FeatureSchema.categoryCodes(numbers, ["1", "2", "3"])
        #expect((0..<texts.count).map(byValue) == [1, nil, 0, nil, 1, 2, nil, 0])
        let schema = FeatureSchema(inputs: [.oneHot("k", categories: categories), .ordinal("k", categories: categories)], target: "", classes: [])
        let x = try schema.matrix(try Frame(columns: [coded]), dataset: "t")
        #expect(x[0, 3] == 1 && x[2, 3] == 0 && x[5, 3] == 2 && x[1, 3].isNaN && x[3, 3].isNaN)
        #expect((0..<texts.count).map { i in (0..<3).map { x[i, $0] } } == [[0, 1, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0], [1, 0, 0]])
    }

    /// A split's matrices, made in one pass over the columns, are the rows of the whole matrix (numbers with NaN,
    /// one-hot, ordinal and crossed columns; a text column's codes); an empty part is empty; a row in both parts or
    /// out of the frame is refused.
    @Test func splitMatricesAreTheWholeMatrixsRows() throws {
        let path = RepoPaths.path("samples/penguins.csv")
        let frame = try #require(try Loaders.load(path: path).frame)
        let split = TrainTestSplit.random(rows: frame.rowCount, testCount: 80, seed: 5)
        let inferred = try FeatureSchema.infer(frame: frame, target: "species", dataset: "penguins", trainRows: split.train)
        let numbers = inferred.inputs.filter { if case .number = $0 { return true } else { return false } }
        let islands = ["Biscoe", "Dream", "Torgersen"], sexes = ["FEMALE", "MALE"]
        let crossed = islands.flatMap { i in sexes.map { "\(i)×\($0)" } }
        for inputs in [numbers, inferred.inputs, numbers + [.ordinal("island", categories: islands), .cross("island", "sex", categories: crossed)]] {
            let schema = FeatureSchema(inputs: inputs, target: "species", classes: inferred.classes)
            let whole = try schema.matrix(frame, dataset: "penguins")
            let (train, test, _) = try schema.splitMatrices(frame, dataset: "penguins", train: split.train, test: split.test)
            #expect(whole.values.contains { $0.isNaN })
            #expect(train.values.map(\.bitPattern) == whole.rows(split.train).values.map(\.bitPattern))
            #expect(test.values.map(\.bitPattern) == whole.rows(split.test).values.map(\.bitPattern))
            #expect(train.columns == schema.features.count && test.rows == 80)
            let (all, none, _) = try schema.splitMatrices(frame, dataset: "penguins", train: Array(0..<frame.rowCount), test: [])
            #expect(all.values.map(\.bitPattern) == whole.values.map(\.bitPattern) && none.rows == 0 && none.values.isEmpty)
        }
        let schema = FeatureSchema(inputs: numbers, target: "species", classes: inferred.classes)
        #expect(throws: PetalError.self) { try schema.splitMatrices(frame, dataset: "penguins", train: [0, 1], test: [1]) }
        #expect(throws: PetalError.self) { try schema.splitMatrices(frame, dataset: "penguins", train: [0, frame.rowCount], test: []) }
    }

    /// Many rows are written in blocks on every core: every value lands where the rows' places say (numbers with
    /// NaN and -0.0 beside one-hot columns, before, after and between them; runs of four number columns and shorter
    /// ones; rows left out of the split; the whole matrix in order), by both versions of the rows' kernel
    /// (`petal_unstage_rows`).
    @Test(arguments: [true, false])
    func largeMatricesWrittenInBlocksPutEveryValueInItsPlace(wide: Bool) throws {
        try withKernels(wide: wide) { try writeLargeMatrices() }
    }

    /// `body` with the CPU kernels at their portable version (`wide` false) or the CPU's best.
    private func withKernels(wide: Bool, _ body: () throws -> Void) throws {
        try KernelVersionLock.exclusive {
            petal_kernels_use_wide(wide ? 1 : 0)
            defer { petal_kernels_use_wide(1) }
            try body()
        }
    }

    private func writeLargeMatrices() throws {
        let n = 60_013
        var g = SystemRandomNumberGenerator()
        let a = (0..<n).map { $0 % 97 == 0 ? Double.nan : Double($0) * 0.5 }, b = (0..<n).map { _ in Double.random(in: -1...1, using: &g) }
        let more: [[Double]] = (0..<4).map { c -> [Double] in (0..<n).map { r -> Double in r % 1_001 == c ? -0.0 : Double(r * 10 + c) + 0.25 } }
        let kinds = ["x", "y", "z"]
        let frame = try Frame(columns: [Column(name: "a", storage: .float(a)), Column(name: "b", storage: .float(b)),
                                        Column(name: "k", storage: .text(codes: (0..<n).map { Int32($0 % 3) }, dictionary: TextDictionary(kinds)))]
                                       + more.enumerated().map { Column(name: "m\($0.offset)", storage: .float($0.element)) })
        let order = Array(0..<n).shuffled(using: &g)
        let train = Array(order[0..<40_000]), test = Array(order[40_000..<55_000])
        let m: [FeatureEncoding] = (0..<4).map { .number("m\($0)") }
        let layouts: [[FeatureEncoding]] = [[.number("a"), .number("b")], [.number("b"), .oneHot("k", categories: kinds), .number("a")],
                                            m + [.number("a")], [.number("b")] + m, [.number("a"), .number("b"), .oneHot("k", categories: kinds)] + m,
                                            [m[0], m[1], .oneHot("k", categories: kinds), m[2], m[3], .number("a")]]
        for inputs in layouts {
            let schema = FeatureSchema(inputs: inputs, target: "", classes: [])
            let w = schema.features.count
            func expected(_ r: Int) -> [Double] {
                inputs.flatMap { input -> [Double] in
                    switch input {
                    case .number("a"): return [a[r]]
                    case .number("b"): return [b[r]]
                    case .number(let name): return [more[Int(String(name.dropFirst())) ?? 0][r]]
                    default: return kinds.indices.map { $0 == r % 3 ? 1 : 0 }
                    }
                }
            }
            func same(_ m: Matrix, _ rows: [Int]) -> Bool {
                m.rows == rows.count && m.columns == w
                    && rows.enumerated().allSatisfy { i, r in zip(m.values[(i * w)..<((i + 1) * w)], expected(r)).allSatisfy { $0.bitPattern == $1.bitPattern } }
            }
            let (trainX, testX, _) = try schema.splitMatrices(frame, dataset: "t", train: train, test: test)
            #expect(same(trainX, train) && same(testX, test))
            #expect(same(try schema.matrix(frame, dataset: "t"), Array(0..<n)))
        }
    }

    /// A split says its matrices hold no NaN only when that is so: every feature a number column and no value copied
    /// NaN (a NaN in any row, at a block's edge or in the last row, in a float column or as an integer column's null,
    /// says otherwise; so do one-hot columns, whose values are not looked at). Many rows, so the blocks run on every core;
    /// both versions of the rows' kernel, which sees the NaN.
    @Test(arguments: [true, false])
    func splitMatricesSayWhetherTheyHoldNaN(wide: Bool) throws {
        try withKernels(wide: wide) { try splitAndLookForNaN() }
    }

    private func splitAndLookForNaN() throws {
        let n = 50_000
        var g = SystemRandomNumberGenerator()
        let order = Array(0..<n).shuffled(using: &g)
        let train = Array(order[0..<40_000]), test = Array(order[40_000...])
        let kinds = ["x", "y"]
        func frame(nanAt: Int?, nullAt: Int?) throws -> Frame {
            let a = (0..<n).map { $0 == nanAt ? Double.nan : Double($0) * 0.25 }
            let validity = Bitmap((0..<n).map { $0 != nullAt })
            return try Frame(columns: [Column(name: "a", storage: .float(a)), Column(name: "i", storage: .int((0..<n).map { Int64($0 % 7) }), validity: validity),
                                       Column(name: "k", storage: .text(codes: (0..<n).map { Int32($0 % 2) }, dictionary: TextDictionary(kinds))),
                                       Column(name: "b", storage: .float((0..<n).map { Double($0) })), Column(name: "c", storage: .float((0..<n).map { -Double($0) }))])
        }
        // Two number columns, and five (one of them twice).
        let numbers = FeatureSchema(inputs: [.number("a"), .number("i")], target: "", classes: [])
        let tiled = FeatureSchema(inputs: [.number("b"), .number("a"), .number("c"), .number("i"), .number("b")], target: "", classes: [])
        // The NaN and the null in the columns after a run of four (copied one at a time).
        let after = FeatureSchema(inputs: [.number("b"), .number("c"), .number("b"), .number("c"), .number("a"), .number("i")], target: "", classes: [])
        let withOneHot = FeatureSchema(inputs: [.number("a"), .oneHot("k", categories: kinds)], target: "", classes: [])
        for (nanAt, nullAt) in [(nil, nil), (0, nil), (n - 1, nil), (4_095, nil), (test[0], nil), (nil, train[17]), (nil, n - 1)] as [(Int?, Int?)] {
            let f = try frame(nanAt: nanAt, nullAt: nullAt)
            for schema in [numbers, tiled, after, withOneHot] {
                let (trainX, testX, noNaN) = try schema.splitMatrices(f, dataset: "t", train: train, test: test)
                let holdsNaN = trainX.values.contains { $0.isNaN } || testX.values.contains { $0.isNaN }
                #expect(!(noNaN && holdsNaN), "nan at \(String(describing: nanAt)), null at \(String(describing: nullAt))")
                #expect(noNaN == (nanAt == nil && nullAt == nil && schema != withOneHot), "nan at \(String(describing: nanAt)), null at \(String(describing: nullAt))")
            }
        }
    }

    @Test func oneHotPipelinesMatchScikitLearn() throws {
        let path = RepoPaths.path("samples/penguins.csv")
        let all = try #require(try Loaders.load(path: path).frame)
        let sex = try all.requireColumn("sex")
        let frame = all.filter { sex.isValid($0) }
        let classesSchema = try FeatureSchema.infer(frame: frame, target: "species", dataset: "penguins")
        let y = try classesSchema.labels(frame, dataset: "penguins")
        let split = TrainTestSplit.random(rows: frame.rowCount, testCount: try TrainTestSplit.testCount(rows: frame.rowCount, fraction: 0.25), seed: 3)
        let schema = try FeatureSchema.infer(frame: frame, target: "species", dataset: "penguins", trainRows: split.train)
        #expect(schema.encodedColumns == ["island", "sex"])
        let x = try schema.matrix(frame, dataset: "penguins")
        for c in try #require(Self.fixture["penguins"] as? [[String: Any]]) {
            let text = try #require(c["pipeline"] as? String)
            let model = try PipelineParityTests.pipeline(text).fit(x.rows(split.train), labels: split.train.map { y[$0] }, schema: schema)
            #expect(c["pipeline"] != nil)
            let xt = x.rows(split.test)
            #expect(model.predict(xt).map { schema.classes[$0] } == c["predicted"] as? [String], "\(text)")
            let expected = try #require(c["probabilities"] as? [[Double]])
            let p = model.predictProba(xt)
            var worst = 0.0
            for r in 0..<p.rows { for k in 0..<p.columns { worst = max(worst, abs(p[r, k] - expected[r][k])) } }
            #expect(worst <= 1e-6, "\(text): largest difference \(worst)")
        }
    }

    @Test func missingValuesNeedAnImputer() throws {
        let x = Matrix(rows: 3, columns: 1, values: [1, .nan, 3])
        let schema = FeatureSchema(features: ["a"], target: "y", classes: ["n", "y"])
        let e = try #require(throws: PetalError.self) { try PipelineParityTests.pipeline("knn k=1").fit(x, labels: [0, 1, 0], schema: schema) }
        #expect(e.hint?.contains("imputer") == true)
        #expect(throws: Never.self) { try PipelineParityTests.pipeline("imputer | knn k=1").fit(x, labels: [0, 1, 0], schema: schema) }
    }
}
