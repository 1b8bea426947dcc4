import PetalData
import PetalML

/// Keeps numbers that are not finite away from a model's answers. Inputs are checked before this (a request or
/// file with `inf`, `1e999`, or NaN where the model has no imputer is refused naming the field); what is left
/// are finite inputs that overflow inside the pipeline — `±1e308` through a scaler, a power transform of a
/// large value — and estimators whose arithmetic overflows on them (exponentials of huge distances). Both
/// are refused naming the row, so no answer is ever a label with `null` or empty probabilities.
public enum FiniteGuard {
    /// Throws when a feature is not finite after the pipeline's transforms.
    /// - Parameters:
    ///   - x: the rows' features before the transforms (finite, or NaN where imputed).
    ///   - frame: the same rows as input columns, to name the values at fault.
    ///   - firstRow: the 0-based batch row of `x`'s first row (batch scoring predicts in slices).
    /// - Returns: the features after the transforms (`model.transformed(x)`), for predicting from them without
    ///   transforming again.
    /// - Throws: `BundleInputError` naming the first row and the input whose feature overflowed.
    @discardableResult
    public static func requireFiniteFeatures(_ model: FittedPipeline, _ x: Matrix, frame: Frame, firstRow: Int = 0) throws -> Matrix {
        guard model.steps.count > 1 else { return x }  // no transforms: the inputs were checked already
        let t = model.transformed(x)
        guard let bad = NaNScan.firstNonFinite(t.values), t.columns > 0 else { return t }
        let r = bad / t.columns, j = bad % t.columns
        // The input column feeding feature j (transforms keep the schema's columns unless they say otherwise).
        let field = t.columns == model.schema.features.count ? inputName(ofFeature: j, model.schema) : nil
        let culprit = field ?? largestInputs(frame, row: r).first?.name ?? "the input"
        throw BundleInputError(field: culprit, expected: "a finite number", row: firstRow + r,
                               message: "row \(firstRow + r + 1): \(field.map { "field \($0)" } ?? "an input") becomes \(describe(t[r, j])) inside the "
                                + "pipeline's transforms (\(values(frame, row: r))); send values within the training range")
    }

    /// Throws when an answer is not finite: a probability, a predicted value or a class score.
    /// - Parameters:
    ///   - outputs: the answers, `width` per row, row-major.
    /// - Throws: `BundleInputError` naming the first such row and its largest inputs.
    public static func requireFiniteOutputs(_ outputs: [Double], width: Int, frame: Frame, firstRow: Int = 0) throws {
        guard width > 0, let bad = NaNScan.firstNonFinite(outputs) else { return }
        let r = bad / width
        let culprit = largestInputs(frame, row: r).first?.name ?? "the input"
        throw BundleInputError(field: culprit, expected: "a finite number", row: firstRow + r,
                               message: "row \(firstRow + r + 1): the model's answer is not a finite number (its arithmetic overflows on "
                                + "\(values(frame, row: r))); send values within the training range")
    }

    /// The schema input that makes matrix column `feature`.
    static func inputName(ofFeature feature: Int, _ schema: FeatureSchema) -> String? {
        var start = 0
        for input in schema.inputs {
            if feature < start + input.width { return input.column }
            start += input.width
        }
        return nil
    }

    /// Row `r`'s number inputs, largest magnitude first.
    static func largestInputs(_ frame: Frame, row r: Int) -> [(name: String, value: Double)] {
        var found: [(name: String, value: Double)] = []
        for column in frame.columns where column.type.isNumeric && r < column.count && column.isValid(r) {
            if let v = column[r].doubleValue { found.append((column.name, v)) }
        }
        return found.sorted { abs($0.value) > abs($1.value) }
    }

    /// "a = 1e+308, b = -1e+308" for the (at most three) largest number inputs of row `r`.
    static func values(_ frame: Frame, row r: Int) -> String {
        let shown = largestInputs(frame, row: r).prefix(3).map { "\($0.name) = \(NumberText.shortest($0.value))" }
        return shown.isEmpty ? "its inputs" : shown.joined(separator: ", ")
    }

    static func describe(_ v: Double) -> String { v.isNaN ? "NaN" : v > 0 ? "infinite" : "-infinite" }
}
