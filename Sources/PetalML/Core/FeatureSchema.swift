import CKernels
import PetalData

/// How one input column becomes matrix columns.
public enum FeatureEncoding: Sendable, Codable, Hashable {
    /// A number (int, float or bool as 0/1); a null becomes NaN for an imputer to fill.
    case number(String)
    /// A text column one-hot encoded over the categories seen in training rows (sorted); an unseen
    /// category or a null gives all zeros (scikit-learn's `OneHotEncoder(handle_unknown="ignore")`).
    case oneHot(String, categories: [String])
    /// A text column as the index of its category in sorted order (scikit-learn's `OrdinalEncoder`);
    /// an unseen category or a null is NaN, for an imputer.
    case ordinal(String, categories: [String])
    /// Two text columns crossed: one-hot over the pairs seen in training (`island×sex=Biscoe×male`).
    case cross(String, String, categories: [String])

    public var column: String {
        switch self {
        case .number(let n), .oneHot(let n, _), .ordinal(let n, _): return n
        case .cross(let a, let b, _): return "\(a)×\(b)"
        }
    }

    /// The matrix columns it makes.
    public var width: Int {
        switch self {
        case .number, .ordinal: return 1
        case .oneHot(_, let c), .cross(_, _, let c): return c.count
        }
    }
}

/// How text columns should be encoded, from the pipeline's `ordinal` and `feature_cross` steps.
public struct EncodingDirectives: Sendable, Hashable {
    public var ordinal: Set<String> = []
    /// Columns left out of the features.
    public var dropped: Set<String> = []
    public var crosses: [(String, String)] = []
    public var autoEncode = true
    public init() {}
    public static func == (a: EncodingDirectives, b: EncodingDirectives) -> Bool {
        a.ordinal == b.ordinal && a.dropped == b.dropped && a.autoEncode == b.autoEncode && a.crosses.map { [$0.0, $0.1] } == b.crosses.map { [$0.0, $0.1] }
    }
    public func hash(into h: inout Hasher) { h.combine(ordinal); h.combine(autoEncode) }
}

/// Which frame columns feed a model and how, and how the target becomes class codes or numbers.
public struct FeatureSchema: Sendable, Codable, Hashable {
    /// Input columns and their encodings, in order.
    public var inputs: [FeatureEncoding]
    public var target: String
    /// Class labels in code order (sorted, as scikit-learn's `classes_`); empty for regression.
    public var classes: [String]
    /// Columns left out of the features (dates), to say so.
    public var skipped: [String] = []

    /// Matrix column names: numbers keep their name, one-hot columns are `column=category`.
    public var features: [String] {
        inputs.flatMap { e -> [String] in
            switch e {
            case .number(let n), .ordinal(let n, _): return [n]
            case .oneHot(let n, let cats): return cats.map { "\(n)=\($0)" }
            case .cross(let a, let b, let cats): return cats.map { "\(a)×\(b)=\($0)" }
            }
        }
    }

    /// The text columns that are one-hot encoded.
    /// True when some input learned its categories from the rows it was inferred on (so inferring it again on
    /// the training rows only can give another schema); numbers alone do not.
    public var learnsCategories: Bool {
        inputs.contains { if case .number = $0 { return false } else { return true } }
    }

    public var encodedColumns: [String] {
        inputs.compactMap { if case .oneHot(let n, _) = $0 { return n } else { return nil } }
    }

    public init(inputs: [FeatureEncoding], target: String, classes: [String]) {
        self.inputs = inputs; self.target = target; self.classes = classes
    }

    /// Numeric features named directly (for tests and matrices built by hand).
    public init(features: [String], target: String, classes: [String]) {
        self.init(inputs: features.map { .number($0) }, target: target, classes: classes)
    }

    /// The features of `frame` (every column but `target`), with text categories taken from `trainRows`
    /// (all rows when nil), and the class labels of `target`.
    /// - Throws: when the target is missing, a feature is a date, or the target does not fit the task.
    public static func infer(frame: Frame, target: String?, dataset: String, task: LearningTask = .classification,
                             trainRows: [Int]? = nil, directives: EncodingDirectives = EncodingDirectives()) throws -> FeatureSchema {
        var inputs: [FeatureEncoding] = []
        var skipped: [String] = []
        for c in frame.columns where c.name != target && !directives.dropped.contains(c.name) {
            switch c.type {
            case .int, .float, .bool: inputs.append(.number(c.name))
            case .text:
                guard directives.autoEncode || directives.ordinal.contains(c.name) else {
                    throw PetalError("column \(c.name) is text, and auto_encode=off asks not to one-hot encode it",
                                    hint: "leave it out (select), encode it with ordinal columns=\(c.name), or drop auto_encode=off")
                }
                let seen = Set(c.distinctValues(in: trainRows).map(\.plainText))
                inputs.append(directives.ordinal.contains(c.name) ? .ordinal(c.name, categories: seen.sorted())
                              : .oneHot(c.name, categories: seen.sorted()))
            case .date, .datetime:
                skipped.append(c.name)
            }
        }
        if let unknown = directives.dropped.first(where: { frame.column(named: $0) == nil }) {
            throw PetalError("drop names \"\(unknown)\", which \(dataset) does not have", hint: "columns: " + frame.columnNames.joined(separator: ", "))
        }
        for (a, b) in directives.crosses {
            let ca = try frame.requireColumn(a, dataset: dataset), cb = try frame.requireColumn(b, dataset: dataset)
            guard ca.type == .text || ca.type == .bool || ca.type == .int, cb.type == .text || cb.type == .bool || cb.type == .int else {
                throw PetalError("feature_cross crosses categories; \(a) or \(b) is not a category column", hint: "cross two text columns")
            }
            var seen = Set<String>()
            for i in trainRows ?? Array(0..<frame.rowCount) where ca.isValid(i) && cb.isValid(i) {
                seen.insert(ca[i].plainText + "×" + cb[i].plainText)
            }
            inputs.append(.cross(a, b, categories: seen.sorted()))
        }
        guard let target else {
            guard !inputs.isEmpty else { throw PetalError("\(dataset) has no columns to use as features") }
            var schema = FeatureSchema(inputs: inputs, target: "", classes: [])
            schema.skipped = skipped
            return schema
        }
        let y = try frame.requireColumn(target, dataset: dataset)
        guard !inputs.isEmpty else { throw PetalError("\(dataset) has no feature columns besides \(target)") }
        if task == .regression {
            guard y.type.isNumeric else {
                throw PetalError("the target \(target) is \(y.type.rawValue); regression needs a numeric target", hint: "use a classifier for categories")
            }
            var schema = FeatureSchema(inputs: inputs, target: target, classes: [])
            schema.skipped = skipped
            return schema
        }
        try requireDiscrete(y, dataset: dataset)
        let labels = y.distinctValues()
        let classes = labels.sorted { ValueOrder.compare($0, $1) < 0 }.map(\.plainText)
        guard classes.count >= 2 else {
            throw PetalError("the target \(target) has \(classes.count) class\(classes.count == 1 ? "" : "es"); a classifier needs at least two",
                            hint: "choose another target=")
        }
        var schema = FeatureSchema(inputs: inputs, target: target, classes: classes)
        schema.skipped = skipped
        return schema
    }

    /// Throws when a class target is continuous, as scikit-learn's `type_of_target` decides it: a float column
    /// holding a value that is not a whole number (1.0 and 2.0 are classes; 2.5 is not). A classifier would
    /// otherwise learn one class per distinct number.
    public static func requireDiscrete(_ y: Column, dataset: String) throws {
        guard y.type == .float, let values = y.doublesWithNaN() else { return }
        guard let example = values.first(where: { $0.isFinite && $0 != $0.rounded(.towardZero) }) else { return }
        let distinct = Set(values.filter { !$0.isNaN }).count
        throw PetalError("the target \(y.name) of \(dataset) is continuous (\(distinct) distinct numbers, such as \(NumberText.shortest(example))), "
                        + "so a classifier cannot learn it: classes are a few labels, not measurements",
                        hint: "use a regressor (linear_regression, ridge, random_forest, knn, …) to predict \(y.name), "
                            + "or bin it into a few classes first (a text or integer column) and classify those")
    }

    /// The feature matrix of `frame` (columns found by name). Missing numbers are NaN (an `imputer` fills them).
    /// - Throws: when a column is missing or has another type than in training.
    public func matrix(_ frame: Frame, dataset: String) throws -> Matrix {
        var m = emptyMatrix(rows: frame.rowCount)
        try m.values.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            try write(frame, dataset: dataset, placement: nil, into: [base])
        }
        return m
    }

    /// The feature matrices of a split: `frame`'s rows `train`, then its rows `test`, each in its list's order (a row
    /// in neither is left out). Made in one pass over the columns, without a matrix of every row to gather from.
    /// `noNaN` is true when both are known to hold no NaN (every feature a number column, none of whose values
    /// copied was NaN: looked at in cache as they were copied), so the fit need not read them all again.
    /// - Throws: as `matrix`, and when a row is not in the frame or in both lists.
    public func splitMatrices(_ frame: Frame, dataset: String, train: [Int], test: [Int]) throws -> (train: Matrix, test: Matrix, noNaN: Bool) {
        let n = frame.rowCount
        guard train.count + test.count <= Int(Int32.max) else {
            throw PetalError("\(dataset) has too many rows to split (\(train.count + test.count)); the most is \(Int32.max)")
        }
        var part = [Int8](repeating: -1, count: n), position = [Int32](repeating: 0, count: n)
        try part.withUnsafeMutableBufferPointer { part in
            try position.withUnsafeMutableBufferPointer { position in
                for (p, rows) in [train, test].enumerated() {
                    try rows.withUnsafeBufferPointer { rows in
                        for k in rows.indices {
                            let r = rows[k]
                            guard r >= 0 && r < n && part[r] < 0 else {
                                throw PetalError("row \(r) is not in \(dataset) or is in both the training and the test rows")
                            }
                            part[r] = Int8(p)
                            position[r] = Int32(truncatingIfNeeded: k)
                        }
                    }
                }
            }
        }
        var trainX = emptyMatrix(rows: train.count), testX = emptyMatrix(rows: test.count)
        // An empty part has no memory to point at: its rows are never written (no source row goes there).
        var none = 0.0
        let noNaN = try trainX.values.withUnsafeMutableBufferPointer { a in
            try testX.values.withUnsafeMutableBufferPointer { b in
                // The rows land in permutation order: their pages made resident first, on every core.
                FreshPages.populate(UnsafeMutableRawBufferPointer(a))
                FreshPages.populate(UnsafeMutableRawBufferPointer(b))
                return try withUnsafeMutablePointer(to: &none) { spare in
                    try write(frame, dataset: dataset, placement: RowPlacement(part: part, position: position),
                              into: [a.baseAddress ?? spare, b.baseAddress ?? spare])
                }
            }
        }
        return (trainX, testX, noNaN)
    }

    /// A matrix for `rows` rows of these features: left unwritten when every feature is a number column (`write`
    /// fills every value), else zeros (one-hot columns write only their ones).
    private func emptyMatrix(rows: Int) -> Matrix {
        onlyNumbers ? Matrix(rows: rows, columns: features.count) { _ in } : Matrix(rows: rows, columns: features.count)
    }

    /// True when every feature is a number column as it is (no one-hot, ordinal or crossed columns).
    private var onlyNumbers: Bool {
        features.count == inputs.count && inputs.allSatisfy { if case .number = $0 { return true } else { return false } }
    }

    /// Where each row of a frame goes: matrix `part[r]` (-1: none) at row `position[r]`.
    private struct RowPlacement { var part: [Int8]; var position: [Int32] }

    /// Writes the features of every row of `frame` into the row-major matrices at `bases` (each `features.count`
    /// wide): row r into `bases[0]`'s row r when `placement` is nil, else as `placement` says. Returns true when every
    /// value written was a number column's and none was NaN (seen as it was copied), false when that is not known.
    @discardableResult
    private func write(_ frame: Frame, dataset: String, placement: RowPlacement?, into bases: [UnsafeMutablePointer<Double>]) throws -> Bool {
        let n = frame.rowCount, w = features.count
        precondition(placement.map { $0.part.count == n && $0.position.count == n } ?? true)
        let destination = RowDestination(width: w, placement: placement, bases: bases.map(RowSink.init))
        // Number columns are copied together, a block of rows at a time (below): filled column by column, each value
        // would land on its own cache line of the row-major matrix.
        var numbers: [(column: Int, values: [Double])] = []
        var j = 0
        for input in inputs {
            if case .cross(let a, let b, let categories) = input {
                let ca = try frame.requireColumn(a, dataset: dataset), cb = try frame.requireColumn(b, dataset: dataset)
                var index: [String: Int] = [:]
                for (k, cat) in categories.enumerated() { index[cat] = k }
                for r in 0..<n where ca.isValid(r) && cb.isValid(r) {
                    if let row = destination.place(r), let k = index[ca[r].plainText + "×" + cb[r].plainText] { row[j + k] = 1 }
                }
                j += categories.count
                continue
            }
            let c = try frame.requireColumn(input.column, dataset: dataset)
            switch input {
            case .number(let name):
                guard let values = c.doublesWithNaN(), c.type != .text, values.count == n else {
                    throw PetalError("column \(name) in \(dataset) is \(c.type.rawValue), but the model was trained on numbers")
                }
                numbers.append((j, values))
                j += 1
            case .ordinal(_, let categories):
                let category = Self.categoryCodes(c, categories)
                for r in 0..<n { if let row = destination.place(r) { row[j] = category(r).map(Double.init) ?? .nan } }
                j += 1
            case .cross:
                break
            case .oneHot(_, let categories):
                let category = Self.categoryCodes(c, categories)
                for r in 0..<n {
                    if let row = destination.place(r), let k = category(r) { row[j + k] = 1 }
                }
                j += categories.count
            }
        }
        precondition(j == w && numbers.allSatisfy { $0.column < w })
        guard !numbers.isEmpty else { return false }
        // Blocks of source rows on every core (each source row goes to its own destination row, so the blocks write
        // disjoint rows): the first touch of the matrices' fresh pages is the kernel's work, and shared out too.
        let copy = NumberCopy(numbers: numbers, destination: destination)
        let nan = ConcurrentSlots<Bool>(1)
        RowBlocks.each(rows: n, atLeast: max(1_024, (1 << 16) / numbers.count)) { if copy.rows($0) { nan.set(0, true) } }
        return onlyNumbers && nan.values.isEmpty
    }

    /// The number columns' part of `write`, for a block of source rows at a time.
    private struct NumberCopy: @unchecked Sendable {
        let numbers: [(column: Int, values: [Double])]
        let destination: RowDestination

        /// Writes the number columns of source rows `range`. A block of source rows at a time: the rows they go to
        /// (in order, or scattered by a split) stay in cache while every number column writes its value into them.
        /// The block's columns are first copied side by side into a small staging buffer (column k's values at
        /// k·block), then each destination row is written whole, in order (`petal_unstage_rows`, four rows of four
        /// columns at a time where it can): written a column at a time, every store went to a line of a different
        /// row, most of them lines of fresh pages not yet in any cache.
        /// Returns true when a value copied was NaN (seen by the kernel as it copies).
        func rows(_ range: Range<Int>) -> Bool {
            let w = destination.width
            let block = max(16, (128 << 10) / (8 * max(1, w)))
            let spare = UnsafeMutablePointer<Double>.allocate(capacity: max(1, w))
            defer { spare.deallocate() }
            let rows = UnsafeMutablePointer<UnsafeMutablePointer<Double>>.allocate(capacity: block)
            defer { rows.deallocate() }
            let staging = UnsafeMutablePointer<Double>.allocate(capacity: max(1, numbers.count * block))
            staging.initialize(repeating: 0, count: max(1, numbers.count * block))
            defer { staging.deallocate() }
            let targets = numbers.map(\.column)
            precondition(targets.allSatisfy { $0 >= 0 && $0 < w })
            var sawNaN = false
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(range.upperBound, start + block), count = end - start
                destination.place(start..<end, into: rows, spare: spare)
                for (k, number) in numbers.enumerated() {
                    number.values.withUnsafeBufferPointer { column in
                        precondition(column.count >= end)
                        guard let from = column.baseAddress else { return }
                        (staging + k * block).update(from: from + start, count: count)
                    }
                }
                let nan = targets.withUnsafeBufferPointer { columns in
                    rows.withMemoryRebound(to: UnsafeMutablePointer<Double>?.self, capacity: count) { rows in
                        petal_unstage_rows(staging, block, count, columns.baseAddress, columns.count, rows)
                    }
                }
                sawNaN = sawNaN || nan != 0
                start = end
            }
            return sawNaN
        }
    }

    /// Where `write` puts a source row: row r of `bases[0]` without a placement, else as `placement` says.
    private struct RowDestination: @unchecked Sendable {
        let width: Int
        let placement: RowPlacement?
        let bases: [RowSink]

        /// The start of source row r's place, or nil when it goes nowhere.
        @inline(__always) func place(_ r: Int) -> UnsafeMutablePointer<Double>? {
            guard let placement else { return bases[0].values + r * width }
            let p = Int(placement.part[r])
            return p < 0 ? nil : bases[p].values + Int(placement.position[r]) * width
        }

        /// `place(r)` for each source row r in `range`, into `rows[r - range.lowerBound]` (`spare` for nowhere).
        func place(_ range: Range<Int>, into rows: UnsafeMutablePointer<UnsafeMutablePointer<Double>>, spare: UnsafeMutablePointer<Double>) {
            guard let placement else {
                for r in range { rows[r - range.lowerBound] = bases[0].values + r * width }
                return
            }
            precondition(range.upperBound <= placement.part.count && range.upperBound <= placement.position.count)
            let sinks = bases.map(\.values)
            placement.part.withUnsafeBufferPointer { part in
                placement.position.withUnsafeBufferPointer { position in
                    for r in range {
                        let p = Int(part[r])
                        rows[r - range.lowerBound] = p < 0 ? spare : sinks[p] + Int(position[r]) * width
                    }
                }
            }
        }
    }

    /// Row i's index in `categories` (nil when missing or not among them). A text column's dictionary entries are
    /// looked up once, then each row by its code, so no String is made per row; other types go by each value's text.
    static func categoryCodes(_ c: Column, _ categories: [String]) -> (Int) -> Int? {
        var index: [String: Int] = [:]
        for (k, cat) in categories.enumerated() { index[cat] = k }
        if case .text(let codes, let dictionary) = c.storage {
            let byCode = dictionary.map { index[$0] ?? -1 }
            let validity = c.validity
            return { i in
                guard validity?[i] ?? true else { return nil }
                let code = Int(codes[i])
                guard code >= 0, code < byCode.count, byCode[code] >= 0 else { return nil }
                return byCode[code]
            }
        }
        return { i in c.isValid(i) ? index[c[i].plainText] : nil }
    }

    /// Throws when `x` has a NaN, naming the column and suggesting an imputer.
    public static func requireNoMissing(_ x: Matrix, schema: FeatureSchema, estimator: String) throws {
        guard NaNScan.any(x.values) else { return }
        var columns: [String] = []
        var first = 0
        for j in 0..<x.columns {
            let n = (0..<x.rows).filter { x[$0, j].isNaN }.count
            if n > 0 {
                if columns.isEmpty { first = n }
                columns.append(schema.features[safe: j] ?? "column \(j + 1)")
            }
        }
        let more = columns.count > 1 ? " (and \(columns.dropFirst().joined(separator: ", ")))" : ""
        throw PetalError("\(estimator) cannot take missing values: \(columns.first ?? "a column") has \(first)\(more)",
                        hint: "start the pipeline with imputer (strategy=mean|median|most_frequent|constant), e.g. pipeline p = imputer | standard_scaler | knn")
    }

    /// Class codes of the target column; rows with a null target are an error.
    public func labels(_ frame: Frame, dataset: String) throws -> [Int] {
        let y = try frame.requireColumn(target, dataset: dataset)
        var index: [String: Int] = [:]
        for (k, c) in classes.enumerated() { index[c] = k }
        func missing(_ i: Int) -> PetalError {
            PetalError("the target \(target) is missing in row \(i)", hint: "drop those rows: filter \(dataset) \(target) is not null as labelled")
        }
        func unknown(_ i: Int, _ text: String) -> PetalError {
            PetalError("row \(i) has class \"\(text)\", which the model was not trained on")
        }
        // Text targets map each dictionary entry once, then each row by its code: no string per row.
        if case .text(let codes, let dictionary) = y.storage {
            let byCode = dictionary.map { index[$0] ?? -1 }
            var out = [Int](repeating: 0, count: codes.count)
            for i in codes.indices {
                guard y.isValid(i) else { throw missing(i) }
                let c = Int(codes[i])
                guard byCode.indices.contains(c), byCode[c] >= 0 else { throw unknown(i, dictionary[safe: c] ?? "") }
                out[i] = byCode[c]
            }
            return out
        }
        // Other types: each distinct value's text is looked up once.
        var seen: [Value: Int] = [:]
        return try (0..<y.count).map { i in
            let v = y[i]
            guard !v.isNull else { throw missing(i) }
            if let code = seen[v] { return code }
            guard let code = index[v.plainText] else { throw unknown(i, v.plainText) }
            seen[v] = code
            return code
        }
    }

    /// The numeric target of a regression; rows with a null target are an error.
    public func values(_ frame: Frame, dataset: String) throws -> [Double] {
        let y = try frame.requireColumn(target, dataset: dataset)
        guard let v = y.doublesWithNaN() else { throw PetalError("the target \(target) is not numeric") }
        if let i = v.firstIndex(where: \.isNaN) {
            throw PetalError("the target \(target) is missing in row \(i)", hint: "drop those rows: filter \(dataset) \(target) is not null as labelled")
        }
        return v
    }

    /// The task a target column suggests for an estimator that can do both: numbers with many distinct values
    /// (floats, or integers with more than 20 values) are regression, the rest classification.
    public static func suggestedTask(for column: Column) -> LearningTask {
        switch column.type {
        case .float: return .regression
        case .int: return ValueCounts.compute(column).distinct > 20 ? .regression : .classification
        default: return .classification
        }
    }
}
