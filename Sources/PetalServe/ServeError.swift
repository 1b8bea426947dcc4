import PetalBundle
import PetalData

/// A request the server refuses: the HTTP status, an MLflow-style `error_code`, a message that says what was
/// wrong and what to do, and for a bad field, its name and the type the model expects.
public struct ServeError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var code: String
    public var message: String
    public var field: String?
    public var expected: String?
    /// The 0-based row of the batch at fault, when one row is.
    public var row: Int?
    /// True when the request cannot be read to its end (bad framing), so the answer closes the connection.
    public var closesConnection = false

    public init(status: Int = 400, code: String = "BAD_REQUEST", _ message: String, field: String? = nil, expected: String? = nil, row: Int? = nil,
                closesConnection: Bool = false) {
        self.status = status; self.code = code; self.message = message; self.field = field; self.expected = expected; self.row = row
        self.closesConnection = closesConnection
    }

    public var description: String { "\(status) \(code): \(message)" }

    /// A 400 for an input the bundle's checks refused (a field, or a row that overflows inside the pipeline).
    init(bundleInput e: BundleInputError) {
        let expected = e.expected == "number" ? "a number" : e.expected == "text" ? "a string" : e.expected
        self.init(e.message, field: e.field, expected: expected, row: e.row)
    }

    /// A field with the wrong type or value; the message names the JSON path and the expected type.
    static func field(_ field: String, at path: String, is found: String, expected: String, row: Int? = nil) -> ServeError {
        ServeError("\(path) is \(found); expected \(expected)", field: field, expected: expected, row: row)
    }

    /// The body as JSON (`{"error_code": …, "message": …, "field": …, "expected": …, "row": …}`).
    var json: [UInt8] {
        var out = JSONOut()
        out.raw("{\"error_code\":"); out.string(code)
        out.raw(",\"message\":"); out.string(message)
        if let field { out.raw(",\"field\":"); out.string(field) }
        if let expected { out.raw(",\"expected\":"); out.string(expected) }
        if let row { out.raw(",\"row\":"); out.int(row) }
        out.raw("}\n")
        return out.bytes
    }
}

/// The server's JSON writer into bytes (answers are built without a tree of values): numbers in Swift's shortest
/// round-trip form as `JSONText.number` writes them, strings escaped by `JSONText`.
struct JSONOut {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// A number; NaN and infinities (not JSON) become null.
    mutating func number(_ x: Double) {
        guard x.isFinite else { raw("null"); return }
        if x == x.rounded(.towardZero), abs(x) < 1e15 {
            // Integral values: "1.0" as Swift writes them, without a String allocation for the common 0 and 1.
            if x == 0 { raw(x.sign == .minus ? "-0.0" : "0.0"); return }
            if x == 1 { raw("1.0"); return }
        }
        raw(x.description)
    }

    mutating func int(_ x: Int) { raw(String(x)) }

    /// A string literal, escaped by PetalData's `JSONText` (the project's one JSON escaping rule).
    mutating func string(_ s: String) { JSONText.appendString(s, to: &bytes) }

    /// `s` as a JSON string literal (quotes included), for answers built ahead of time (class labels).
    static func quoted(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONText.appendString(s, to: &out)
        return out
    }
}
