/// Where in a source a problem was found: file, line, column, or a JSON path.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The name of the field (CSV header or JSON key), when known.
    public var field: String?
    /// A JSON path such as `$[3].engine.cylinders`, when the source is JSON.
    public var path: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, path: String? = nil) {
        self.file = file; self.line = line; self.column = column; self.field = field; self.path = path
    }

    public var description: String {
        var text = file
        if let line { text += ", line \(line)" }
        if let column { text += ", column \(column)" }
        if let field { text += " (field \"\(field)\")" }
        if let path { text += " at \(path)" }
        return text
    }
}

/// Petal's error for anything a user gave it — data, a command, a pipeline, a tracking or registry request, a
/// bundle, a model to serve: says what was wrong, where (file, line, column, field or JSON path) and what to do.
/// (It was named `DataError` when only the loaders used it.) PetalServe's `ServeError` maps it to HTTP statuses.
public struct PetalError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?
    public var hint: String?

    public init(_ message: String, at location: SourceLocation? = nil, hint: String? = nil) {
        self.message = message; self.location = location; self.hint = hint
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += message
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

/// A non-fatal observation made while loading or computing (a skipped line, a type fallback).
public struct DataWarning: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?
    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message; self.location = location
    }
    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
