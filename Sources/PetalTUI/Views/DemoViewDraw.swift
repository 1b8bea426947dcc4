import Foundation
import PetalData
import PetalSession

extension DemoView {
    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        let model = output.model
        let labelWidth = min(24, model.fields.map { TextWidth.of($0.label) }.max() ?? 0)
        let valueWidth = 12
        var y = rect.y
        grid.put("demo of \(model.name) → \(model.target.isEmpty ? "clusters" : model.target)", x: rect.x, y: y, style: .accent, maxX: rect.maxX)
        if output.live { grid.put(" live ", x: rect.maxX - 6, y: y, style: CellStyle(.success, bold: true, reverse: true)) }
        y += 2
        let formWidth = 2 + labelWidth + 2 + valueWidth + 4 + 16
        let side = rect.width >= formWidth + 36
        for (i, f) in model.fields.enumerated() where y < rect.maxY {
            let selected = i == field
            grid.put(selected ? (context.unicode ? "▶" : ">") : " ", x: rect.x, y: y, style: .accent)
            grid.put(TextWidth.truncate(f.label, to: labelWidth), x: rect.x + 2, y: y, style: selected ? CellStyle(.accent, bold: true) : .plain)
            let text = output.texts[safe: i] ?? ""
            let problem = model.problem(field: i, text: text)
            var box = CellStyle(.normal, underline: true)
            if selected { box.reverse = true }
            if let problem { box.tint = problem.refuses ? .error : .warning }
            let shown = text + (selected ? "▏" : "")
            grid.put(" " + TextWidth.truncate(shown, to: valueWidth - 1) + String(repeating: " ", count: max(0, valueWidth - 1 - TextWidth.of(shown))),
                     x: rect.x + 3 + labelWidth, y: y, style: box, maxX: rect.x + 3 + labelWidth + valueWidth)
            let infoX = rect.x + 5 + labelWidth + valueWidth
            switch f.kind {
            case .number(let lo, let hi, _, _, let integer):
                grid.put("\(DemoField.format(lo, integer: integer)) – \(DemoField.format(hi, integer: integer))", x: infoX, y: y, style: .muted,
                         maxX: side ? rect.x + formWidth : rect.maxX)
                if problem != nil && !(problem?.refuses ?? false) {
                    grid.put(context.unicode ? " ⚠" : " !", x: infoX + 12, y: y, style: CellStyle(.warning, bold: true), maxX: rect.maxX)
                }
            case .category(let choices):
                let list = selected ? choices.joined(separator: " | ") : "\(choices.count) choices (↑↓)"
                grid.put(list, x: infoX, y: y, style: .muted, maxX: side ? rect.x + formWidth + 8 : rect.maxX, ellipsis: true)
            }
            y += 1
        }
        y += 1
        // Examples, the last message and warnings wrap within the form's column instead of being cut.
        let leftMaxX = side ? rect.x + formWidth + 8 : rect.maxX
        if !model.examples.isEmpty && y < rect.maxY {
            var x = grid.put("examples (PgUp/PgDn): ", x: rect.x, y: y, style: .muted, maxX: leftMaxX)
            for (k, e) in model.examples.enumerated() {
                let item = "\(k + 1) " + (e.label ?? e.values.prefix(2).joined(separator: ","))
                if x + TextWidth.of(item) > leftMaxX && x > rect.x + 2 { y += 1; x = rect.x + 2 }
                guard y < rect.maxY else { break }
                x = grid.put(item + "  ", x: x, y: y, style: CellStyle(e.label.flatMap { model.classes.firstIndex(of: $0) }.map { .series($0) } ?? .normal),
                             maxX: leftMaxX)
            }
            y += 1
        }
        var notes: [(String, CellStyle)] = []
        if let message {
            let isRefusal = message.contains("refused") || message.contains("needs a number") || message.hasPrefix("could not")
            notes.append((message, CellStyle(isRefusal ? .error : .accent)))
        }
        // A warning the message already gives is not repeated.
        for note in output.notes where !(message?.contains(note) ?? false) { notes.append(("warning: " + note, CellStyle(.warning))) }
        for (text, style) in notes {
            for line in TextWidth.wrap(text, width: max(1, leftMaxX - rect.x), indent: "  ") where y < rect.maxY {
                grid.put(line, x: rect.x, y: y, style: style, maxX: leftMaxX)
                y += 1
            }
        }
        let resultRect = side ? Rect(x: rect.x + formWidth + 10, y: rect.y + 2, width: rect.maxX - (rect.x + formWidth + 10), height: rect.height - 2)
            : Rect(x: rect.x, y: y + 1, width: rect.width, height: rect.maxY - y - 1)
        if showsRequest {
            drawRequest(into: &grid, rect: resultRect)
        } else {
            drawResult(into: &grid, rect: resultRect, context: context)
        }
    }

    private func drawResult(into grid: inout Grid, rect: Rect, context: DrawContext) {
        guard rect.height > 0, rect.width > 8 else { return }
        let model = output.model
        guard let p = prediction else {
            grid.put("Enter predicts", x: rect.x, y: rect.y, style: .muted, maxX: rect.maxX)
            return
        }
        var y = rect.y
        let stale = output.texts != predictedTextsForDrawing
        if let value = p.value {
            grid.put("predicted \(model.target)", x: rect.x, y: y, style: .muted, maxX: rect.maxX)
            grid.put(NumberFormat.single(value), x: rect.x, y: y + 1, style: CellStyle(.accent, bold: true), maxX: rect.maxX)
            if let r = model.targetRange {
                grid.put("training range \(NumberFormat.single(r.lowerBound)) – \(NumberFormat.single(r.upperBound))", x: rect.x, y: y + 2, style: .muted, maxX: rect.maxX)
            }
            return
        }
        guard let label = p.label else { return }
        let big = label.uppercased().map(String.init).joined(separator: " ")
        let top = p.probabilities.first.map { String(format: "%.0f%%", $0.p * 100) } ?? ""
        let classIndex = model.classes.firstIndex(of: label)
        let tint: Tint = classIndex.map { .series($0) } ?? .accent
        let inner = "  " + big + "  " + top + "  "
        let w = TextWidth.of(inner)
        grid.put((context.unicode ? "╭" : "+") + String(repeating: context.unicode ? "─" : "-", count: w) + (context.unicode ? "╮" : "+"), x: rect.x, y: y, style: CellStyle(tint), maxX: rect.maxX)
        grid.put((context.unicode ? "│" : "|"), x: rect.x, y: y + 1, style: CellStyle(tint))
        grid.put(inner, x: rect.x + 1, y: y + 1, style: CellStyle(tint, bold: true, reverse: true), maxX: rect.maxX)
        grid.put((context.unicode ? "│" : "|"), x: rect.x + 1 + w, y: y + 1, style: CellStyle(tint), maxX: rect.maxX)
        grid.put((context.unicode ? "╰" : "+") + String(repeating: context.unicode ? "─" : "-", count: w) + (context.unicode ? "╯" : "+"), x: rect.x, y: y + 2, style: CellStyle(tint), maxX: rect.maxX)
        if stale {
            // Beside the label when it fits, else under it: never cut.
            let marker = "(Enter to update)"
            if rect.x + w + 3 + TextWidth.of(marker) <= rect.maxX {
                grid.put(marker, x: rect.x + w + 3, y: y + 1, style: .muted, maxX: rect.maxX)
            } else {
                grid.put(marker, x: rect.x + 1, y: y + 3, style: .muted, maxX: rect.maxX)
            }
        }
        y += 4
        let nameWidth = min(20, p.probabilities.map { TextWidth.of($0.name) }.max() ?? 0)
        let barWidth = max(6, min(30, rect.width - nameWidth - 8))
        for (name, prob) in p.probabilities where y < rect.maxY {
            grid.put(TextWidth.truncate(name, to: nameWidth), x: rect.x, y: y, style: name == label ? CellStyle(.normal, bold: true) : .plain, maxX: rect.maxX)
            let bar = Bars.horizontal(prob, width: barWidth, unicode: context.unicode)
            grid.put(bar, x: rect.x + nameWidth + 1, y: y, style: CellStyle(model.classes.firstIndex(of: name).map { .series($0) } ?? .accent), maxX: rect.maxX)
            grid.put(String(format: "%.2f", prob), x: rect.x + nameWidth + 2 + barWidth, y: y, style: .muted, maxX: rect.maxX)
            y += 1
        }
        if model.isIris, let flower = Flower.drawing(for: label, unicode: context.unicode) {
            y += 1
            for line in flower where y < rect.maxY {
                grid.put(line, x: rect.x + 2, y: y, style: CellStyle(tint), maxX: rect.maxX)
                y += 1
            }
        }
    }

    private func drawRequest(into grid: inout Grid, rect: Rect) {
        var y = rect.y
        let serve = output.model.bundlePath.map { "petal serve \($0) --port 8080" } ?? "export \(output.model.name) to bundles/\(output.model.name); petal serve bundles/\(output.model.name) --port 8080"
        for (text, style) in [("the same prediction from petal serve (Ctrl-R hides):", CellStyle.muted), (serve, CellStyle(.accent)),
                              ("curl -s localhost:8080/invocations \\", .plain), ("  -H 'Content-Type: application/json' \\", .plain),
                              ("  -d '\(request.body)'", .plain)] where y < rect.maxY {
            // Long lines wrap at spaces (between JSON fields) so the whole request can be copied.
            for piece in TextWidth.wrap(text, width: max(1, rect.width), indent: "    ") where y < rect.maxY {
                grid.put(piece, x: rect.x, y: y, style: style, maxX: rect.maxX)
                y += 1
            }
        }
    }
}
