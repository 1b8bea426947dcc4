import PetalData

/// Marks that text columns are meant to be one-hot encoded (the schema encodes them; this step says so
/// explicitly and silences the notice that `fit` prints otherwise).
public struct OneHotEncoder: EncodingRecipe {
    public static let name = "one_hot"
    public static let summary = "one indicator column per category of each text column (unknown categories → all zeros)"
    public static let parameters: [ParameterDescriptor] = []
    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }
    public func direct(_ directives: inout EncodingDirectives, selection: ColumnSelection?, textColumns: [String]) throws {}
}

/// Encodes the text columns given with `columns=` as category indices instead of one-hot columns
/// (scikit-learn's `OrdinalEncoder`; categories in sorted order; unseen or null → NaN for an imputer).
public struct OrdinalEncoder: EncodingRecipe {
    public static let name = "ordinal"
    public static let summary = "encode the text columns named with columns= as category numbers (0, 1, 2, … in sorted order)"
    public static let parameters: [ParameterDescriptor] = []
    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func direct(_ d: inout EncodingDirectives, selection: ColumnSelection?, textColumns: [String]) throws {
        switch selection {
        case .names(let n)?: d.ordinal.formUnion(n)
        case .type(let t)? where t == "text": d.ordinal.formUnion(textColumns)
        default: throw PetalError("ordinal needs columns= naming text columns", hint: "e.g. ordinal columns=island,sex (or columns=text)")
        }
    }
}

/// Adds a feature crossing two category columns (`columns=a,b`): one indicator per pair of values seen in
/// training, e.g. `island×sex=Biscoe×male`.
public struct FeatureCross: EncodingRecipe {
    public static let name = "feature_cross"
    public static let summary = "cross two category columns (columns=a,b): one indicator per pair of values"
    public static let parameters: [ParameterDescriptor] = []
    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func direct(_ d: inout EncodingDirectives, selection: ColumnSelection?, textColumns: [String]) throws {
        guard case .names(let n)? = selection, n.count == 2 else {
            throw PetalError("feature_cross needs exactly two columns", hint: "e.g. feature_cross columns=island,sex")
        }
        d.crosses.append((n[0], n[1]))
    }
}

/// Leaves the columns given with `columns=` out of the features (`drop columns=year,island`).
public struct DropColumns: EncodingRecipe {
    public static let name = "drop"
    public static let summary = "leave the columns named with columns= out of the features"
    public static let parameters: [ParameterDescriptor] = []
    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func direct(_ d: inout EncodingDirectives, selection: ColumnSelection?, textColumns: [String]) throws {
        guard case .names(let n)? = selection else {
            throw PetalError("drop needs columns= naming the columns to leave out", hint: "e.g. drop columns=year")
        }
        d.dropped.formUnion(n)
    }
}
