import PetalData

/// `class_weight=balanced`: each training row of class c weighs n_samples / (n_classes · count(c)), so every class
/// carries the same total weight, as scikit-learn's `compute_class_weight("balanced")` (n_classes counts the
/// classes present in the training rows, as scikit-learn's `classes_`). Declared once here; a family that
/// scikit-learn gives `class_weight` lists `ClassWeight.param` among its parameters and passes the row weights
/// to its fit (weighted loss for linear models, weighted counts for trees, a scaled C for support vector machines).
public enum ClassWeight {
    public static let param = Param<String>("class_weight", choices: ["balanced"], default: "none",
                                            help: "balanced: weigh each class by n_rows / (n_classes · its rows), so rare classes count as much as common ones; none: every row counts once")

    /// The weight of each class code (1 for a class absent from `labels`), or nil when `mode` is not `balanced`.
    public static func perClass(_ mode: String, labels: [Int], classCount: Int) -> [Double]? {
        guard mode == "balanced" else { return nil }
        var counts = [Int](repeating: 0, count: classCount)
        for l in labels where l >= 0 && l < classCount { counts[l] += 1 }
        let present = Double(counts.filter { $0 > 0 }.count)
        return counts.map { $0 == 0 ? 1 : Double(labels.count) / (present * Double($0)) }
    }

    /// The weight of each training row, or nil when every row counts once (`mode` is none).
    /// - Throws: when a class weight is asked of a regression or a clustering, which has no classes.
    public static func rows(_ mode: String, target: Target, classCount: Int, step: String) throws -> [Double]? {
        guard mode == "balanced" else { return nil }
        guard case .classes(let labels) = target else {
            throw PetalError("\(step): class_weight=balanced weighs classes, and this target is numbers, not classes",
                            hint: "leave class_weight out for regression")
        }
        guard let weights = perClass(mode, labels: labels, classCount: classCount) else { return nil }
        return labels.map { weights[$0] }
    }
}
