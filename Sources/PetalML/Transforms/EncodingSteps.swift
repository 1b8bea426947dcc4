import PetalData

/// Encodes the text columns given with `columns=` as category indices instead of one-hot columns
/// (scikit-learn's `OrdinalEncoder`; categories in sorted order; unseen or null → NaN for an imputer).
public struct OrdinalEncoder: Sendable, Codable, Hashable {
    public static let stepName = "ordinal"
    public static let summary = "encode the text columns named with columns= as category numbers (0, 1, 2, … in sorted order)"
    public static let parameters: [ParameterDescriptor] = []
    public init(_ p: ParameterValues) {}
}

/// Adds a feature crossing two category columns (`columns=a,b`): one indicator per pair of values seen in
/// training, e.g. `island×sex=Biscoe×male`.
public struct FeatureCross: Sendable, Codable, Hashable {
    public static let stepName = "feature_cross"
    public static let summary = "cross two category columns (columns=a,b): one indicator per pair of values"
    public static let parameters: [ParameterDescriptor] = []
    public init(_ p: ParameterValues) {}
}

/// Leaves the columns given with `columns=` out of the features (`drop columns=year,island`).
public struct DropColumns: Sendable, Codable, Hashable {
    public static let stepName = "drop"
    public static let summary = "leave the columns named with columns= out of the features"
    public static let parameters: [ParameterDescriptor] = []
    public init(_ p: ParameterValues) {}
}

extension Pipeline {
    /// How the schema should encode text columns, from the `ordinal` and `feature_cross` steps.
    public func directives(textColumns: [String], autoEncode: Bool = true) throws -> EncodingDirectives {
        var d = EncodingDirectives()
        d.autoEncode = autoEncode
        for (i, step) in steps.enumerated() {
            let selection = columns[safe: i] ?? nil
            switch step {
            case .ordinal:
                switch selection {
                case .names(let n)?: d.ordinal.formUnion(n)
                case .type(let t)? where t == "text": d.ordinal.formUnion(textColumns)
                default: throw DataError("ordinal needs columns= naming text columns", hint: "e.g. ordinal columns=island,sex (or columns=text)")
                }
            case .dropColumns:
                guard case .names(let n)? = selection else {
                    throw DataError("drop needs columns= naming the columns to leave out", hint: "e.g. drop columns=year")
                }
                d.dropped.formUnion(n)
            case .featureCross:
                guard case .names(let n)? = selection, n.count == 2 else {
                    throw DataError("feature_cross needs exactly two columns", hint: "e.g. feature_cross columns=island,sex")
                }
                d.crosses.append((n[0], n[1]))
            default: break
            }
        }
        return d
    }
}
