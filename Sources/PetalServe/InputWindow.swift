import PetalBundle
import PetalData
import Synchronization

/// The most recent request rows a model has answered (up to `capacity`, oldest dropped first), column by column,
/// so `GET /drift` can compare what the server sees with the training data. One window per served model: a
/// swapped-in model starts with an empty one.
final class InputWindow: Sendable {
    struct State {
        /// Per field: numbers (NaN when missing) or texts (nil when missing), as ring buffers.
        var numbers: [[Double]]
        var texts: [[String?]]
        /// Rows held (at most `capacity`).
        var count = 0
        /// Where the next row goes once the buffers are full.
        var next = 0
        var seen = 0
    }

    let fields: [RequestField]
    let capacity: Int
    private let state: Mutex<State>

    init(fields: [RequestField], capacity: Int = 10_000) {
        self.fields = fields
        self.capacity = capacity
        state = Mutex(State(numbers: fields.map { _ in [] }, texts: fields.map { _ in [] }))
    }

    /// Adds the rows of a decoded request (its columns are the fields, in order).
    func record(_ frame: Frame) {
        let n = frame.rowCount
        guard n > 0, frame.columns.count == fields.count else { return }
        // Only the last `capacity` rows of a large request can stay.
        let start = max(0, n - capacity)
        var numbers: [[Double]] = []
        var texts: [[String?]] = []
        for (i, field) in fields.enumerated() {
            let column = frame.columns[i]
            if case .number = field.kind {
                numbers.append(Array((column.doublesWithNaN() ?? [])[start...]))
                texts.append([])
            } else {
                numbers.append([])
                texts.append((start..<n).map { column.isValid($0) ? column[$0].plainText : nil })
            }
        }
        state.withLock { s in
            s.seen += n
            for r in 0..<(n - start) {
                let full = s.count == capacity
                for i in fields.indices {
                    if case .number = fields[i].kind {
                        if full { s.numbers[i][s.next] = numbers[i][r] } else { s.numbers[i].append(numbers[i][r]) }
                    } else {
                        if full { s.texts[i][s.next] = texts[i][r] } else { s.texts[i].append(texts[i][r]) }
                    }
                }
                if full { s.next = (s.next + 1) % capacity } else { s.count += 1 }
            }
        }
    }

    /// The rows in the window as a frame, and how many rows were seen in all.
    func snapshot() throws -> (frame: Frame, seen: Int) {
        let s = state.withLock { $0 }
        var columns: [Column] = []
        for (i, field) in fields.enumerated() {
            if case .number = field.kind {
                columns.append(Column(name: field.name, storage: .float(s.numbers[i])))
            } else {
                columns.append(Column.fromValues(name: field.name, s.texts[i].map { $0.map(Value.text) ?? .null }))
            }
        }
        return (try Frame(columns: columns), s.seen)
    }
}
