import Foundation
import PetalData
import PetalSession

/// The demo form (Gradio's Interface in the terminal): a field per model input, the prediction large with a bar
/// per class, examples, live mode, flagging, and the `curl` request that asks `petal serve` the same.
public struct DemoView: WorkbenchView {
    public private(set) var output: DemoOutput
    public private(set) var field = 0
    public private(set) var prediction: DemoPrediction?
    public private(set) var message: String?
    public private(set) var showsRequest = false
    private var example = -1
    /// True until the first key typed into the field just entered: that key replaces the pre-filled value.
    private var freshField = true
    /// The field texts the prediction was made for (it goes stale while typing outside live mode).
    private var predictedTexts: [String] = []
    var predictedTextsForDrawing: [String] { predictedTexts }

    /// Where Ctrl-F appends flags.
    public var flagsPath = Flags.path

    public init(output: DemoOutput) {
        self.output = output
        predict()
    }

    public var title: String { "demo: \(output.model.name)" + (output.live ? " (live)" : "") }
    public var capturesKeys: Bool { true }
    public var texts: [String] { output.texts }

    public var hints: [KeyHint] {
        [KeyHint("Tab", "next field"), KeyHint("↑↓", "nudge"), KeyHint("Enter", "predict"), KeyHint("PgUp/PgDn", "example"),
         KeyHint("^T", output.live ? "live off" : "live"), KeyHint("^F", "flag"), KeyHint("^R", "request"), KeyHint("Esc", "back")]
    }

    // MARK: - Editing

    mutating func predict() {
        switch output.prediction {
        case .success(let p):
            prediction = p
            predictedTexts = output.texts
        case .failure(let e):
            message = e.message
        }
    }

    private mutating func edited() {
        example = -1
        if output.live { predict() }
    }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        let model = output.model
        guard let current = model.fields[safe: field] else { return .ignored }
        message = nil
        switch key {
        case .tab:
            field = (field + 1) % model.fields.count
            freshField = true
        case .backTab:
            field = (field - 1 + model.fields.count) % model.fields.count
            freshField = true
        case .up, .character("+"):
            if isNumber(current) { nudge(current, by: 1) } else if key == .up { cycle(current, by: -1) } else { type("+") }
        case .down: if isNumber(current) { nudge(current, by: -1) } else { cycle(current, by: 1) }
        case .character("-"):
            // "-" nudges a number down; in an emptied field it starts a negative number.
            if isNumber(current) && !output.texts[field].isEmpty { nudge(current, by: -1) } else { type("-") }
        case .enter:
            predict()
            if let problem = model.problem(field: field, text: output.texts[safe: field] ?? ""), !problem.refuses { message = problem.message }
        case .backspace:
            if !output.texts[field].isEmpty { output.texts[field].removeLast() }
            freshField = false
            edited()
        case .pageDown: fillExample(example + 1)
        case .pageUp: fillExample(example - 1)
        case .control("t"):
            output.live.toggle()
            if output.live { predict() }
            message = output.live ? "live: predicting on every keystroke" : "live off: Enter predicts"
        case .control("r"): showsRequest.toggle()
        case .control("f"): return .ask(prompt: "flag this prediction; comment (optional): ", purpose: "flag")
        case .function(1), .character("?") where isNumber(current): return .push(HelpView())
        case .character(let c): type(String(c))
        case .click(let x, let y): return click(x: x, y: y, rect: rect)
        default: return .ignored
        }
        return .handled
    }

    public mutating func answer(_ text: String, to purpose: String, rect: Rect) -> ViewResponse {
        guard purpose == "flag" else { return .ignored }
        do {
            let written = try Flags.append(model: output.model, texts: output.texts, prediction: prediction, comment: text, at: flagsPath)
            return .message("flagged: \(written.path) line \(written.line) (flags lists them)")
        } catch {
            return .message("could not flag: \(error)")
        }
    }

    private func isNumber(_ f: DemoField) -> Bool { if case .number = f.kind { return true } else { return false } }

    /// Typing: a number field takes only what can make a number; a category field takes any text.
    private mutating func type(_ s: String) {
        guard let current = output.model.fields[safe: field] else { return }
        if isNumber(current) {
            guard s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "E") }) else {
                message = "\(current.label) takes numbers only (\"\(s)\" refused)"
                return
            }
        }
        // The first key after moving to a field replaces the pre-filled value, as in a form.
        if freshField { output.texts[field] = "" }
        freshField = false
        output.texts[field] += s
        edited()
    }

    private mutating func nudge(_ f: DemoField, by direction: Double) {
        freshField = false
        guard case .number(_, _, let median, let step, let integer) = f.kind else { return }
        let v = Double(output.texts[field]) ?? median
        let next = ((v + direction * step) * 1e9).rounded() / 1e9
        output.texts[field] = DemoField.format(next, integer: integer)
        edited()
    }

    private mutating func cycle(_ f: DemoField, by direction: Int) {
        guard case .category(let choices) = f.kind, !choices.isEmpty else { return }
        let i = choices.firstIndex(of: output.texts[field]) ?? -1
        output.texts[field] = choices[((i + direction) % choices.count + choices.count) % choices.count]
        edited()
    }

    private mutating func fillExample(_ index: Int) {
        let examples = output.model.examples
        guard !examples.isEmpty else { message = "no examples (demo P examples=ROW,… adds some)"; return }
        let k = (index % examples.count + examples.count) % examples.count
        for (i, v) in examples[k].values.enumerated() where i < output.texts.count { output.texts[i] = v }
        predict()
        example = k
        freshField = true
        message = "example \(k + 1) of \(examples.count)" + (examples[k].label.map { ": a \($0) from the training data" } ?? "")
    }

    private mutating func click(x: Int, y: Int, rect: Rect) -> ViewResponse {
        let row = y - rect.y - 2
        guard row >= 0, row < output.model.fields.count else { return .ignored }
        field = row
        freshField = true
        return .handled
    }

    /// The request that asks `petal serve` for this prediction.
    public var request: (command: String, body: String) {
        let pairs = output.model.fields.enumerated().map { i, f -> String in
            let text = output.texts[safe: i] ?? ""
            if case .number = f.kind, let v = Double(text), v.isFinite { return JSONText.string(f.name) + ":" + NumberText.shortest(v) }
            return JSONText.string(f.name) + ":" + JSONText.string(text)
        }
        // A space between fields lets the panel wrap the body between them, never inside a name or number.
        let body = "{\"dataframe_records\": [{" + pairs.joined(separator: ", ") + "}]}"
        return ("curl -s localhost:8080/invocations -H 'Content-Type: application/json' -d '\(body)'", body)
    }
}
