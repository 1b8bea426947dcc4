import Foundation
import PetalData

/// A Markdown notebook: fenced ```petal blocks are commands; the ```output block after each holds what they printed.
/// `check` compares recorded output with a fresh run; `update` rewrites the output blocks.
public struct Notebook: Sendable {
    /// One ```petal block: its commands and, when present, the recorded output that follows it.
    public struct Block: Sendable {
        /// 0-based line index of the opening fence.
        public var fenceLine: Int
        public var commands: String
        /// Lines (0-based, half-open) of the output block including its fences, when there is one.
        public var outputLines: Range<Int>?
        public var recordedOutput: String?
    }

    public var path: String
    public var lines: [String]
    public var blocks: [Block]

    /// Reads and parses the notebook at `path`.
    public init(path: String) throws {
        try FileCheck.requireReadableFile(path)
        let bytes = try FileCheck.readAll(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PetalError("the notebook is not valid UTF-8", at: SourceLocation(file: path))
        }
        try self.init(path: path, text: text)
    }

    public init(path: String, text: String) throws {
        self.path = path
        lines = text.components(separatedBy: "\n")
        blocks = []
        var i = 0
        while i < lines.count {
            let fence = lines[i].trimmingCharacters(in: .whitespaces)
            guard fence.hasPrefix("```"), fence.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased() == "petal" else { i += 1; continue }
            let start = i
            guard let end = (i + 1..<lines.count).first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "```" }) else {
                throw PetalError("a ```petal block is never closed", at: SourceLocation(file: path, line: start + 1), hint: "end it with a line of ```")
            }
            var block = Block(fenceLine: start, commands: lines[(start + 1)..<end].joined(separator: "\n"))
            var j = end + 1
            while j < lines.count && lines[j].trimmingCharacters(in: .whitespaces).isEmpty { j += 1 }
            if j < lines.count && lines[j].trimmingCharacters(in: .whitespaces) == "```output" {
                guard let close = (j + 1..<lines.count).first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "```" }) else {
                    throw PetalError("an ```output block is never closed", at: SourceLocation(file: path, line: j + 1))
                }
                block.outputLines = j..<(close + 1)
                block.recordedOutput = lines[(j + 1)..<close].joined(separator: "\n")
                i = close + 1
            } else {
                i = end + 1
            }
            blocks.append(block)
        }
    }

    /// The output text of one block run in `session` (every command's text, separated by blank lines).
    public static func output(of block: Block, in session: Session) -> (text: String, executions: [Execution]) {
        let executions = session.executeScript(block.commands)
        let text = executions.map { $0.renderText(in: session.renderContext) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        return (normalize(text), executions)
    }

    /// Trailing spaces removed from each line, trailing blank lines removed.
    public static func normalize(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n").map { line -> String in
            var l = line
            while l.last == " " || l.last == "\t" { l.removeLast() }
            return l
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// A difference between recorded and fresh output.
    public struct Mismatch: Sendable {
        public var block: Int
        /// 1-based line in the notebook where the difference shows.
        public var line: Int
        public var expected: String
        public var actual: String
    }

    /// Runs every block and compares with the recorded output.
    public func check(in session: Session) -> (mismatches: [Mismatch], failures: [Execution]) {
        var mismatches: [Mismatch] = []
        var failures: [Execution] = []
        for (k, block) in blocks.enumerated() {
            let (actual, executions) = Notebook.output(of: block, in: session)
            failures += executions.filter { !$0.ok }
            let expected = Notebook.normalize(block.recordedOutput ?? "")
            guard expected != actual else { continue }
            let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
            let first = (0..<max(e.count, a.count)).first { e[safe: $0] != a[safe: $0] } ?? 0
            let base = (block.outputLines?.lowerBound ?? block.fenceLine) + 2
            mismatches.append(Mismatch(block: k + 1, line: base + first, expected: e[safe: first] ?? "(nothing)", actual: a[safe: first] ?? "(nothing)"))
        }
        return (mismatches, failures)
    }

    /// The notebook's text with every output block replaced by a fresh run (added where missing).
    public func updated(in session: Session) -> String {
        var out: [String] = []
        var i = 0
        for block in blocks {
            let commandsEnd = block.fenceLine + block.commands.components(separatedBy: "\n").count + 1
            while i <= commandsEnd && i < lines.count { out.append(lines[i]); i += 1 }
            let (text, _) = Notebook.output(of: block, in: session)
            out.append("")
            out.append("```output")
            if !text.isEmpty { out += text.components(separatedBy: "\n") }
            out.append("```")
            if let r = block.outputLines { i = r.upperBound }
        }
        while i < lines.count { out.append(lines[i]); i += 1 }
        return out.joined(separator: "\n")
    }
}
