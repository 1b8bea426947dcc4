import Foundation
import PetalData

/// Gradio-style flagging: a demo form's inputs, prediction and an optional comment appended to
/// `.petal/flags.csv` (one CSV per working folder; columns grow when models differ: a new header is written
/// only when the file is new, and each row names its model and its inputs as `name=value` pairs).
public enum Flags {
    public static let path = ".petal/flags.csv"

    /// Appends one flag; returns the line number written.
    @discardableResult
    public static func append(model: DemoModel, texts: [String], prediction: DemoPrediction?, comment: String,
                              at path: String = Flags.path, date: Date = Date()) throws -> Int {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let inputs = model.fields.enumerated().map { "\($1.name)=\(texts[safe: $0] ?? "")" }.joined(separator: "; ")
        let top = prediction?.probabilities.first?.p
        let predicted = prediction?.label ?? prediction?.value.map { NumberText.shortest($0) } ?? ""
        let stamp = ISO8601DateFormatter().string(from: date)
        let row = [stamp, model.name, inputs, predicted, top.map { String(format: "%.4f", $0) } ?? "", comment].map(quote).joined(separator: ",") + "\n"
        let isNew = !FileManager.default.fileExists(atPath: path)
        let text = (isNew ? "time,model,inputs,prediction,probability,comment\n" : "") + row
        if isNew {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } else {
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw DataError("cannot write \(path)", hint: "check the folder's permissions")
            }
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        }
        let content = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return content.split(separator: "\n").count
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
