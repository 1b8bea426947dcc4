import PetalBundle
import PetalData

/// A request the server refuses: its kind (which fixes the HTTP status and MLflow-style `error_code`), a message
/// that says what was wrong and what to do, and for a bad field, its name and the type the model expects.
public struct ServeError: Error, Sendable, CustomStringConvertible {
    /// Every way the server refuses or fails a request, each with its one HTTP status and `error_code`: the one
    /// place that maps an error kind to a status (`refusal(for:)` maps the program's other errors onto these).
    public enum Kind: String, Sendable, CaseIterable {
        case badRequest = "BAD_REQUEST"
        case malformedRequest = "MALFORMED_REQUEST"
        case unauthenticated = "UNAUTHENTICATED"
        case notFound = "NOT_FOUND"
        case notAvailable = "NOT_AVAILABLE"
        case methodNotAllowed = "METHOD_NOT_ALLOWED"
        case requestTimeout = "REQUEST_TIMEOUT"
        case requestTooLarge = "REQUEST_TOO_LARGE"
        case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
        case internalError = "INTERNAL_ERROR"
        case logFailed = "LOG_FAILED"

        /// The HTTP status answered for this kind.
        public var status: Int {
            switch self {
            case .badRequest, .malformedRequest: return 400
            case .unauthenticated: return 401
            case .notFound, .notAvailable: return 404
            case .methodNotAllowed: return 405
            case .requestTimeout: return 408
            case .requestTooLarge: return 413
            case .unsupportedMediaType: return 415
            case .internalError, .logFailed: return 500
            }
        }
    }

    public var kind: Kind
    public var message: String
    public var field: String?
    public var expected: String?
    /// The 0-based row of the batch at fault, when one row is.
    public var row: Int?
    /// True when the request cannot be read to its end (bad framing), so the answer closes the connection.
    public var closesConnection = false

    public init(_ kind: Kind, _ message: String, field: String? = nil, expected: String? = nil, row: Int? = nil,
                closesConnection: Bool = false) {
        self.kind = kind; self.message = message; self.field = field; self.expected = expected; self.row = row
        self.closesConnection = closesConnection
    }

    /// A 400 `BAD_REQUEST`: the request's data does not fit the model.
    public init(_ message: String, field: String? = nil, expected: String? = nil, row: Int? = nil) {
        self.init(.badRequest, message, field: field, expected: expected, row: row)
    }

    /// The HTTP status (from `kind`).
    public var status: Int { kind.status }
    /// The `error_code` of the JSON body (from `kind`).
    public var code: String { kind.rawValue }

    public var description: String { "\(status) \(code): \(message)" }

    /// A 400 for an input the bundle's checks refused (a field, or a row that overflows inside the pipeline).
    init(bundleInput e: BundleInputError) {
        let expected = e.expected == "number" ? "a number" : e.expected == "text" ? "a string" : e.expected
        self.init(e.message, field: e.field, expected: expected, row: e.row)
    }

    /// Any error met while answering a request, as the refusal the client gets: a `ServeError` as it is, the
    /// bundle's input checks and `PetalError` (the data did not fit the model) as 400, anything else as 500.
    static func refusal(for error: any Error, doing what: String) -> ServeError {
        switch error {
        case let e as ServeError: return e
        case let e as BundleInputError: return ServeError(bundleInput: e)
        case let e as PetalError: return ServeError(e.message + (e.hint.map { " (\($0))" } ?? ""))
        default: return ServeError(.internalError, "\(what) failed: \(error)")
        }
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
