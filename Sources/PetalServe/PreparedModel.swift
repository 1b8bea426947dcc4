import PetalBundle
import PetalData

/// A model ready to serve: the model, its field names as bytes, the answer fragments that never change
/// (quoted labels), and the `/metadata` document. Built once per model, shared by every request on it; a reload
/// builds a new one and swaps it in, so a request keeps the one it started with.
public final class PreparedModel: Sendable {
    public let model: any ServableModel
    public let description: ModelDescription
    let names: FieldNames
    /// `"setosa"` etc. as JSON bytes, in class order.
    let quotedLabels: [[UInt8]]
    /// `"setosa":` etc., the keys of a probabilities object.
    let labelKeys: [[UInt8]]
    /// The `/metadata` body.
    public let metadata: [UInt8]
    /// The latest rows this model answered, for `/drift`.
    let window: InputWindow

    public init(_ model: any ServableModel, maxBodyBytes: Int) {
        self.model = model
        let d = model.description
        description = d
        names = FieldNames(d.inputs)
        quotedLabels = d.classes.map(JSONOut.quoted)
        labelKeys = d.classes.map { JSONOut.quoted($0) + [UInt8(ascii: ":")] }
        metadata = ModelMetadata.json(d, maxBodyBytes: maxBodyBytes)
        window = InputWindow(fields: d.inputs)
    }

    /// A one-row `dataframe_records` request built from a training row (for help text and `/metadata`).
    public var exampleRequest: String { ModelMetadata.exampleRequest(description) }

    /// Decodes a whole body (JSON, or CSV when `csv`) into a frame in input order, as `/invocations` does.
    public func decode(_ body: [UInt8], csv: Bool = false) throws -> DecodedRequest {
        try body.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, b.count > 0 else { throw ServeError("the body is empty") }
            return try decode(base, count: b.count, csv: csv)
        }
    }

    /// Decodes a body of the given kind into a frame in input order.
    func decode(_ p: UnsafePointer<UInt8>, count: Int, csv: Bool) throws -> DecodedRequest {
        csv ? try CSVPayload.decode(p, count: count, model: description, names: names)
            : try PayloadDecoder.decode(p, count: count, model: description, names: names)
    }

    /// The `{"predictions": …}` body for `predictions` in `style`.
    public func answer(_ predictions: Predictions, style: AnswerStyle) -> [UInt8] {
        var out = JSONOut(capacity: 64 + predictions.count * (24 + 28 * max(1, quotedLabels.count)))
        out.raw("{\"predictions\":")
        switch (predictions, style) {
        case (.classes(let codes, let p), .records):
            let k = quotedLabels.count
            out.byte(UInt8(ascii: "["))
            for (r, code) in codes.enumerated() {
                if r > 0 { out.byte(UInt8(ascii: ",")) }
                out.raw("{\"label\":"); out.raw(quotedLabels[code]); out.raw(",\"probabilities\":{")
                for c in 0..<k {
                    if c > 0 { out.byte(UInt8(ascii: ",")) }
                    out.raw(labelKeys[c]); out.number(p[r * k + c])
                }
                out.raw("}}")
            }
            out.byte(UInt8(ascii: "]"))
        case (.classes(let codes, let p), .columns):
            let k = quotedLabels.count
            out.raw("{\"label\":[")
            for (r, code) in codes.enumerated() {
                if r > 0 { out.byte(UInt8(ascii: ",")) }
                out.raw(quotedLabels[code])
            }
            out.raw("],\"probabilities\":[")
            for r in codes.indices {
                out.raw(r > 0 ? ",[" : "[")
                for c in 0..<k {
                    if c > 0 { out.byte(UInt8(ascii: ",")) }
                    out.number(p[r * k + c])
                }
                out.byte(UInt8(ascii: "]"))
            }
            out.raw("]}")
        case (.values(let v), .records):
            out.byte(UInt8(ascii: "["))
            for (r, x) in v.enumerated() {
                out.raw(r > 0 ? ",{\"value\":" : "{\"value\":"); out.number(x); out.byte(UInt8(ascii: "}"))
            }
            out.byte(UInt8(ascii: "]"))
        case (.clusters(let v), .records):
            out.byte(UInt8(ascii: "["))
            for (r, x) in v.enumerated() { out.raw(r > 0 ? ",{\"label\":" : "{\"label\":"); out.int(x); out.byte(UInt8(ascii: "}")) }
            out.byte(UInt8(ascii: "]"))
        case (.clusters(let v), .columns):
            out.raw("{\"label\":[")
            for (r, x) in v.enumerated() { if r > 0 { out.byte(UInt8(ascii: ",")) }; out.int(x) }
            out.raw("]}")
        case (.values(let v), .columns):
            out.raw("{\"value\":[")
            for (r, x) in v.enumerated() {
                if r > 0 { out.byte(UInt8(ascii: ",")) }
                out.number(x)
            }
            out.raw("]}")
        }
        out.raw("}\n")
        return out.bytes
    }
}

/// The `/metadata` document: the model's name and version, its inputs (name, type, categories), its classes,
/// the answer shapes, the body limit and an example request built from a training row.
enum ModelMetadata {
    static func json(_ d: ModelDescription, maxBodyBytes: Int) -> [UInt8] {
        var out = JSONOut(capacity: 1024)
        out.raw("{\"name\":"); out.string(d.name)
        out.raw(",\"version\":"); out.string(d.version)
        out.raw(",\"task\":"); out.string(d.task.rawValue)
        out.raw(",\"inputs\":[")
        for (i, f) in d.inputs.enumerated() {
            if i > 0 { out.byte(UInt8(ascii: ",")) }
            out.raw("{\"name\":"); out.string(f.name)
            out.raw(",\"type\":"); out.string(f.typeName)
            out.raw(",\"nullable\":"); out.raw(f.nullable ? "true" : "false")
            if case .category(let c) = f.kind {
                out.raw(",\"categories\":[")
                for (j, s) in c.enumerated() { if j > 0 { out.byte(UInt8(ascii: ",")) }; out.string(s) }
                out.byte(UInt8(ascii: "]"))
            }
            out.byte(UInt8(ascii: "}"))
        }
        out.raw("],\"classes\":[")
        for (j, s) in d.classes.enumerated() { if j > 0 { out.byte(UInt8(ascii: ",")) }; out.string(s) }
        out.raw("],\"outputs\":")
        if d.isClassifier {
            out.raw("{\"records\":{\"label\":\"string\",\"probabilities\":\"object: class -> probability\"},")
            out.raw("\"columns\":{\"label\":\"list of string\",\"probabilities\":\"list of lists in classes order\"}}")
        } else if d.task == .clustering {
            out.raw("{\"records\":{\"label\":\"cluster (int)\"},\"columns\":{\"label\":\"list of int\"}}")
        } else {
            out.raw("{\"records\":{\"value\":\"double\"},\"columns\":{\"value\":\"list of double\"}}")
        }
        out.raw(",\"request_formats\":[\"dataframe_split\",\"dataframe_records\",\"instances\",\"inputs\",\"text/csv\"]")
        out.raw(",\"max_body_bytes\":"); out.int(maxBodyBytes)
        out.raw(",\"example_request\":"); out.raw(exampleRequest(d)); out.raw("}\n")
        return out.bytes
    }

    /// `{"dataframe_records":[{"sepal_length":5.8,…}]}` from the description's example row.
    static func exampleRequest(_ d: ModelDescription) -> String {
        var out = JSONOut()
        out.raw("{\"dataframe_records\":[{")
        var first = true
        for f in d.inputs {
            guard let v = d.example[f.name] else { continue }
            if !first { out.byte(UInt8(ascii: ",")) }
            first = false
            out.string(f.name); out.byte(UInt8(ascii: ":"))
            switch v {
            case .number(let x): out.number(x)
            case .text(let s): out.string(s)
            }
        }
        out.raw("}]}")
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
