import Foundation

/// The ONNX messages Petal writes (a subset of onnx.proto, proto2), with their field numbers.
enum ONNX {
    /// TensorProto.DataType values.
    enum DataType: Int64 { case float = 1, int64 = 7, string = 8, bool = 9, double = 11 }

    /// A tensor constant (an initializer or a TENSOR attribute). Numbers go to `raw_data`, little-endian.
    struct Tensor {
        var name: String
        var dims: [Int64]
        var type: DataType
        var raw: [UInt8] = []
        var strings: [String] = []

        static func doubles(_ name: String, _ values: [Double], dims: [Int]? = nil) -> Tensor {
            var raw: [UInt8] = []
            raw.reserveCapacity(values.count * 8)
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
            return Tensor(name: name, dims: (dims ?? [values.count]).map(Int64.init), type: .double, raw: raw)
        }

        static func int64s(_ name: String, _ values: [Int], dims: [Int]? = nil) -> Tensor {
            var raw: [UInt8] = []
            raw.reserveCapacity(values.count * 8)
            for v in values { withUnsafeBytes(of: Int64(v).littleEndian) { raw.append(contentsOf: $0) } }
            return Tensor(name: name, dims: (dims ?? [values.count]).map(Int64.init), type: .int64, raw: raw)
        }

        static func strings(_ name: String, _ values: [String]) -> Tensor {
            Tensor(name: name, dims: [Int64(values.count)], type: .string, strings: values)
        }

        /// TensorProto: dims 1, data_type 2, string_data 6, name 8, raw_data 9.
        func write(_ w: inout ProtobufWriter) {
            w.packedInts(1, dims)
            w.int(2, type.rawValue)
            for s in strings { w.string(6, s) }
            if !name.isEmpty { w.string(8, name) }
            if type != .string { w.bytes(9, raw) }
        }
    }

    /// An attribute value (AttributeProto.AttributeType in `type`, field 20).
    enum AttributeValue {
        case float(Float), int(Int64), string(String), tensor(Tensor), floats([Float]), ints([Int64]), strings([String])
    }

    struct Attribute {
        var name: String
        var value: AttributeValue

        /// AttributeProto: name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, strings 9, type 20.
        func write(_ w: inout ProtobufWriter) {
            w.string(1, name)
            switch value {
            case .float(let f): w.float(2, f); w.int(20, 1)
            case .int(let i): w.int(3, i); w.int(20, 2)
            case .string(let s): w.string(4, s); w.int(20, 3)
            case .tensor(let t): w.message(5) { t.write(&$0) }; w.int(20, 4)
            case .floats(let f): w.packedFloats(7, f); w.int(20, 6)
            case .ints(let i): w.packedInts(8, i); w.int(20, 7)
            case .strings(let s): for x in s { w.string(9, x) }; w.int(20, 8)
            }
        }
    }

    struct Node {
        var opType: String
        var domain: String
        var name: String
        var inputs: [String]
        var outputs: [String]
        var attributes: [Attribute]

        /// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
        func write(_ w: inout ProtobufWriter) {
            for i in inputs { w.string(1, i) }
            for o in outputs { w.string(2, o) }
            w.string(3, name)
            w.string(4, opType)
            for a in attributes { w.message(5) { a.write(&$0) } }
            if !domain.isEmpty { w.string(7, domain) }
        }
    }

    /// A graph input or output: a tensor of `type` with shape `dims` (nil = the batch dimension `N`).
    struct ValueInfo {
        var name: String
        var type: DataType
        var dims: [Int?]

        /// ValueInfoProto: name 1, type 2 → TypeProto.tensor_type 1 → elem_type 1, shape 2 → dim 1 → dim_value 1 / dim_param 2.
        func write(_ w: inout ProtobufWriter) {
            w.string(1, name)
            w.message(2) { t in
                t.message(1) { tensor in
                    tensor.int(1, type.rawValue)
                    tensor.message(2) { shape in
                        for d in dims {
                            shape.message(1) { dim in if let d { dim.int(1, Int64(d)) } else { dim.string(2, "N") } }
                        }
                    }
                }
            }
        }
    }

    struct Model {
        var producerVersion: String
        var graphName: String
        var nodes: [Node]
        var initializers: [Tensor]
        var inputs: [ValueInfo]
        var outputs: [ValueInfo]
        var metadata: [(String, String)]
        static let irVersion: Int64 = 8
        static let opsets: [(String, Int64)] = [("", 17), ("ai.onnx.ml", 3)]

        /// ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8, metadata_props 14.
        /// GraphProto: node 1, name 2, initializer 5, input 11, output 12.
        func serialized() -> Data {
            var w = ProtobufWriter()
            w.int(1, Model.irVersion)
            w.string(2, "petal")
            w.string(3, producerVersion)
            w.message(7) { g in
                for n in nodes { g.message(1) { n.write(&$0) } }
                g.string(2, graphName)
                for t in initializers { g.message(5) { t.write(&$0) } }
                for i in inputs { g.message(11) { i.write(&$0) } }
                for o in outputs { g.message(12) { o.write(&$0) } }
            }
            for (domain, version) in Model.opsets {
                w.message(8) { o in o.string(1, domain); o.int(2, version) }
            }
            for (k, v) in metadata { w.message(14) { e in e.string(1, k); e.string(2, v) } }
            return Data(w.bytes)
        }
    }
}
