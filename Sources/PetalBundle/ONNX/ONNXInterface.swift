import Foundation
import PetalData

/// What an ONNX model file says about how it is called: IR version, operator sets, graph inputs and outputs
/// (name, element type, shape). Read back from `model.onnx` when a bundle is loaded so that a file that is
/// not an ONNX model, or one whose interface differs from `petal.json`, is refused. Field numbers are
/// onnx.proto's, as `ONNXModel.swift` writes them.
struct ONNXInterface: Equatable {
    var irVersion: Int
    /// Operator set versions by domain (`ai.onnx` for the default domain, as the manifest writes it).
    var opsets: [String: Int]
    var inputs: [OutputField]
    var outputs: [OutputField]

    /// Element type names as the manifest writes them (TensorProto.DataType → name).
    static let typeNames: [Int64: String] = [1: "float", 7: "int64", 8: "string", 9: "bool", 11: "double"]

    /// Parses a serialized ModelProto.
    /// - Throws: `ProtobufReader.Malformed` when the bytes are not a protobuf message of that shape.
    init(parsing data: Data) throws {
        let bytes = [UInt8](data)
        var model = ProtobufReader(bytes[...])
        var ir: Int64?
        var graph: ProtobufReader?
        var opsets: [String: Int] = [:]
        // ModelProto: ir_version 1, graph 7, opset_import 8.
        while let (field, value) = try model.next() {
            switch field {
            case 1: ir = try value.integer()
            case 7: graph = try value.message()
            case 8:
                var set = try value.message()
                var domain = "", version: Int64 = 0
                while let (f, v) = try set.next() {
                    if f == 1 { domain = try v.text() } else if f == 2 { version = try v.integer() }
                }
                opsets[domain.isEmpty ? "ai.onnx" : domain] = Int(clamping: version)
            default: continue
            }
        }
        guard let ir else { throw ProtobufReader.Malformed(description: "no ir_version") }
        guard var graph else { throw ProtobufReader.Malformed(description: "no graph") }
        var inputs: [OutputField] = [], outputs: [OutputField] = []
        // GraphProto: input 11, output 12.
        while let (field, value) = try graph.next() {
            if field == 11 { inputs.append(try ONNXInterface.valueInfo(value)) }
            if field == 12 { outputs.append(try ONNXInterface.valueInfo(value)) }
        }
        irVersion = Int(clamping: ir); self.opsets = opsets; self.inputs = inputs; self.outputs = outputs
    }

    /// ValueInfoProto: name 1, type 2 → TypeProto.tensor_type 1 → elem_type 1, shape 2 → dim 1 → dim_value 1 /
    /// dim_param 2 (a named dimension, the batch: -1 as in the manifest).
    static func valueInfo(_ value: ProtobufReader.Value) throws -> OutputField {
        var info = try value.message()
        var name = "", type = "unknown", shape: [Int] = []
        while let (f, v) = try info.next() {
            if f == 1 { name = try v.text() }
            guard f == 2 else { continue }
            var typeProto = try v.message()
            while let (tf, tv) = try typeProto.next() {
                guard tf == 1 else { continue }
                var tensor = try tv.message()
                while let (ef, ev) = try tensor.next() {
                    if ef == 1 { let t = try ev.integer(); type = typeNames[t] ?? "type \(t)" }
                    guard ef == 2 else { continue }
                    var shapeProto = try ev.message()
                    while let (sf, sv) = try shapeProto.next() {
                        guard sf == 1 else { continue }
                        var dim = try sv.message()
                        var size = -1
                        while let (df, dv) = try dim.next() { if df == 1 { size = Int(clamping: try dv.integer()) } }
                        shape.append(size)
                    }
                }
            }
        }
        return OutputField(name: name, type: type, shape: shape)
    }

    /// Throws unless `data` is an ONNX model whose interface is the one `manifest` describes: its `onnx`
    /// section (IR version, opsets, typed inputs and outputs) and its input and output names.
    static func verify(_ data: Data, against manifest: BundleManifest, file: String) throws {
        guard let expected = manifest.onnx else { return }
        let found: ONNXInterface
        do { found = try ONNXInterface(parsing: data) } catch let e as ProtobufReader.Malformed {
            throw PetalError("\(file) is not an ONNX model (\(e.description))", hint: "export the model again; bundle files must not be replaced")
        }
        func names(_ fields: [OutputField]) -> String { fields.map(\.name).joined(separator: ", ") }
        func typed(_ fields: [OutputField]) -> String { fields.map { "\($0.name) (\($0.type))" }.joined(separator: ", ") }
        let hint = "export the model again; petal.json and model.onnx must come from the same export"
        guard found.inputs == expected.inputs, found.inputs.map(\.name) == manifest.inputs.map(\.name) else {
            throw PetalError("\(file) takes the inputs \(typed(found.inputs)), but petal.json lists \(typed(expected.inputs))", hint: hint)
        }
        guard found.outputs == expected.outputs, found.outputs.map(\.name) == manifest.outputs.map(\.name) else {
            throw PetalError("\(file) gives the outputs \(names(found.outputs)), but petal.json lists \(names(manifest.outputs))", hint: hint)
        }
        guard found.irVersion == expected.irVersion, found.opsets == expected.opsets else {
            throw PetalError("\(file) is IR \(found.irVersion) with operator sets \(found.opsets.sorted { $0.key < $1.key }), "
                            + "but petal.json says IR \(expected.irVersion) with \(expected.opsets.sorted { $0.key < $1.key })", hint: hint)
        }
    }
}
