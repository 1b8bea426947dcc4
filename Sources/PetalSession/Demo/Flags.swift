import Foundation
import PetalData

/// Gradio-style flagging: a demo form's inputs, prediction, probabilities and an optional comment appended to
/// `.petal/flags.csv`, one column per input so flagged rows can go straight back into training
/// (`open .petal/flags.csv`). Columns: the inputs, `prediction`, `probability_CLASS` per class, `comment`,
/// `time`, `model`. A model whose columns differ from those of an existing `flags.csv` flags into
/// `flags-MODEL.csv` beside it instead, so no file mixes two shapes.
public enum Flags {
    public static let path = ".petal/flags.csv"

    /// The header a model's flags have.
    static func header(_ model: DemoModel) -> [String] {
        model.fields.map(\.name) + ["prediction"] + model.classes.map { "probability_" + $0 } + ["comment", "time", "model"]
    }

    /// Appends one flag to `path`, or to `flags-MODEL.csv` beside it when `path` holds another model's columns.
    /// - Returns: the file written and the line number of the row.
    @discardableResult
    public static func append(model: DemoModel, texts: [String], prediction: DemoPrediction?, comment: String,
                              at path: String = Flags.path, date: Date = Date()) throws -> (path: String, line: Int) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let header = header(model).map { CSVField.quoted($0, separator: ",") }.joined(separator: ",")
        var target = path
        if let existing = firstLine(of: path), existing != header {
            let slug = String(model.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
            target = (folder as NSString).appendingPathComponent("flags-\(slug).csv")
            if let other = firstLine(of: target), other != header {
                throw PetalError("\(target) holds flags with other columns than \(model.name)'s", hint: "move it away, then flag again")
            }
        }
        let predicted = prediction?.label ?? prediction?.value.map { NumberText.shortest($0) } ?? ""
        let probabilities = model.classes.map { name in
            prediction?.probabilities.first { $0.name == name }.map { String(format: "%.4f", $0.p) } ?? ""
        }
        let stamp = ISO8601DateFormatter().string(from: date)
        let cells = model.fields.indices.map { texts[safe: $0] ?? "" } + [predicted] + probabilities + [comment, stamp, model.name]
        let row = cells.map { CSVField.quoted($0, separator: ",") }.joined(separator: ",") + "\n"
        let isNew = !FileManager.default.fileExists(atPath: target)
        let text = (isNew ? header + "\n" : "") + row
        if isNew {
            try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        } else {
            guard let handle = FileHandle(forWritingAtPath: target) else {
                throw PetalError("cannot write \(target)", hint: "check the folder's permissions")
            }
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        }
        let content = (try? String(contentsOfFile: target, encoding: .utf8)) ?? ""
        return (target, content.split(separator: "\n").count)
    }

    private static func firstLine(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 65_536)) ?? Data()
        return String(decoding: data, as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
    }

}
