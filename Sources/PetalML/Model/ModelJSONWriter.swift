import Foundation
import PetalData

/// A small JSON encoder for models: the same JSON as `ModelFormat.encoder()` gives (sorted keys, no spaces, infinities
/// and NaN as the strings "Infinity", "-Infinity", "NaN"), read back by the same `JSONDecoder`, but written about ten
/// times faster — Foundation's encoder costs microseconds per number, and a forest holds millions (the trees of a
/// 50-tree forest on 200,000 rows took longer to write than to grow). Arrays of numbers (`[Double]`, `[Int]`,
/// `[[Double]]`, `[Bool]`) are written straight to bytes without a container per element, a large matrix's packed
/// values (`PackedDoubles`) as base64 on all cores, and a forest's trees (eight or more) on all cores.
public struct ModelJSONWriter {
    public init() {}

    /// `value` as compact JSON bytes, object keys sorted.
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let root = try JSONNode.make(value, codingPath: [])
        // Measured first, then written once into the Data's own memory (a forest's hundreds of megabytes are not
        // copied from a growing array into the Data).
        let size = root.size
        guard size > 0, let memory = malloc(size)?.assumingMemoryBound(to: UInt8.self) else { return Data() }
        var p = memory
        root.write(to: &p)
        return Data(bytesNoCopy: memory, count: p - memory, deallocator: .free)
    }

    /// Writes `encode(value)`'s bytes to the file at `path` (created or replaced; written beside it and renamed, so
    /// it is whole or absent) without joining them in memory first: the parts (a forest's trees, a hundred
    /// megabytes on 200,000 rows) are written where they go, on every core. Joining them and writing the result
    /// from one thread was a fifth of such a `fit`.
    public func write<T: Encodable>(_ value: T, toFile path: String) throws {
        let root = try JSONNode.make(value, codingPath: [])
        // The pieces in order; small ones (punctuation, keys, scalars) gathered into runs of their own.
        var pieces: [[UInt8]] = [], small: [UInt8] = []
        root.emit { b in
            if b.count >= 1 << 16 {
                if !small.isEmpty { pieces.append(small); small = [] }
                pieces.append(b)
            } else {
                small.append(contentsOf: b)
            }
        }
        if !small.isEmpty { pieces.append(small) }
        var total = 0
        let offsets = pieces.map { piece in defer { total += piece.count }; return total }
        func failed(_ e: Int32) -> PetalError {
            PetalError("cannot write \(path): \(String(cString: strerror(e)))", hint: "check the folder's space and permissions")
        }
        let temporary = path + ".partial"
        let fd = open(temporary, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failed(errno) }
        let failure = ConcurrentSlots<Int32>(1)
        let shared = UncheckedPieces(pieces: pieces)
        DispatchQueue.concurrentPerform(iterations: pieces.count) { k in
            shared.pieces[k].withUnsafeBytes { b in
                guard let base = b.baseAddress else { return }
                var done = 0
                while done < b.count {
                    let n = pwrite(fd, base + done, b.count - done, off_t(offsets[k] + done))
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { failure.set(0, n < 0 ? errno : ENOSPC); return }
                    done += n
                }
            }
        }
        let closed = close(fd)
        if let e = failure.values.first ?? (closed != 0 ? errno : nil) ?? (rename(temporary, path) != 0 ? errno : nil) {
            unlink(temporary)
            throw failed(e)
        }
    }
}

/// The pieces of a file being written, read by the writing workers.
private struct UncheckedPieces: @unchecked Sendable { let pieces: [[UInt8]] }

/// A JSON value under construction: an object, an array, or bytes already written (a scalar or a number array).
final class JSONNode {
    var object: [String: JSONNode]?
    var array: [JSONNode]?
    var bytes: [UInt8]?

    init() {}
    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The node for `value`: number arrays and scalars written at once, anything else through its `encode(to:)`.
    static func make<T: Encodable>(_ value: T, codingPath: [CodingKey]) throws -> JSONNode {
        var b: [UInt8] = []
        switch value {
        case let a as [Double]: JSONBytes.numbers(a, into: &b)
        case let a as [Int]: JSONBytes.ints(a, into: &b)
        case let a as [[Double]]:
            b.append(UInt8(ascii: "["))
            for (i, row) in a.enumerated() { if i > 0 { b.append(UInt8(ascii: ",")) }; JSONBytes.numbers(row, into: &b) }
            b.append(UInt8(ascii: "]"))
        case let a as [Bool]:
            b.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() { if i > 0 { b.append(UInt8(ascii: ",")) }; b.append(contentsOf: v ? JSONBytes.trueBytes : JSONBytes.falseBytes) }
            b.append(UInt8(ascii: "]"))
        case let packed as PackedDoubles: b = packed.jsonBytes
        case let tree as TreeModel: b = TreeJSONBytes.bytes(tree)
        case let trees as [TreeModel] where trees.count >= 8:
            // A forest's trees are independent: each is written to bytes on its own core; the node keeps the parts
            // in order (joined only when the whole file is written).
            let parts = ConcurrentSlots<[UInt8]>(trees.count)
            DispatchQueue.concurrentPerform(iterations: trees.count) { i in parts.set(i, TreeJSONBytes.bytes(trees[i])) }
            let node = JSONNode()
            node.array = []
            for (i, part) in parts.slots.enumerated() {
                guard let part else { throw EncodingError.invalidValue(trees, .init(codingPath: codingPath, debugDescription: "tree \(i) was not written")) }
                node.array?.append(JSONNode(bytes: part))
            }
            return node
        case let s as String: JSONBytes.string(s, into: &b)
        case let d as Double: JSONBytes.number(d, into: &b)
        case let i as Int: JSONBytes.int(i, into: &b)
        case let v as Bool: b.append(contentsOf: v ? JSONBytes.trueBytes : JSONBytes.falseBytes)
        default:
            let node = JSONNode()
            try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
            return node
        }
        return JSONNode(bytes: b)
    }

    /// The bytes `write(to:)` writes.
    var size: Int {
        if let bytes { return bytes.count }
        if let array { return 2 + max(0, array.count - 1) + array.reduce(0) { $0 + $1.size } }
        if let object {
            var keyBytes: [UInt8] = []
            for key in object.keys { JSONBytes.string(key, into: &keyBytes) }
            return 2 + max(0, object.count - 1) + object.count + keyBytes.count + object.values.reduce(0) { $0 + $1.size }
        }
        return JSONBytes.nullBytes.count
    }

    /// Writes the node at `p` (which has room for `size` bytes) and moves `p` past it.
    func write(to p: inout UnsafeMutablePointer<UInt8>) {
        emit { b in b.withUnsafeBufferPointer { if let from = $0.baseAddress { p.update(from: from, count: $0.count) } }; p += b.count }
    }

    /// Hands the node's bytes to `put` in order, as pieces: punctuation and keys, and each written part whole.
    func emit(_ put: ([UInt8]) -> Void) {
        if let bytes { put(bytes); return }
        if let array {
            put(JSONNode.open)
            for (i, e) in array.enumerated() { if i > 0 { put(JSONNode.comma) }; e.emit(put) }
            put(JSONNode.close)
            return
        }
        if let object {
            put(JSONNode.openObject)
            for (i, key) in object.keys.sorted().enumerated() {
                if i > 0 { put(JSONNode.comma) }
                var keyBytes: [UInt8] = []
                JSONBytes.string(key, into: &keyBytes)
                put(keyBytes)
                put(JSONNode.colon)
                object[key]?.emit(put)
            }
            put(JSONNode.closeObject)
            return
        }
        put(JSONBytes.nullBytes)   // a value that encoded nothing (as an empty single-value container)
    }

    private static let open: [UInt8] = [UInt8(ascii: "[")], close: [UInt8] = [UInt8(ascii: "]")]
    private static let openObject: [UInt8] = [UInt8(ascii: "{")], closeObject: [UInt8] = [UInt8(ascii: "}")]
    private static let comma: [UInt8] = [UInt8(ascii: ",")], colon: [UInt8] = [UInt8(ascii: ":")]
}

/// Writing JSON scalars as bytes.
enum JSONBytes {
    static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8), nullBytes = Array("null".utf8)

    /// A number; NaN and infinities as strings (ModelFormat's non-conforming float strategy); integral values
    /// without ".0", as Foundation writes them.
    @inline(__always) static func number(_ d: Double, into out: inout [UInt8]) {
        if d == 0 { if d.sign == .minus { out.append(contentsOf: "-0".utf8) } else { out.append(UInt8(ascii: "0")) }; return }
        if d.isNaN { out.append(contentsOf: "\"NaN\"".utf8); return }
        if d.isInfinite { out.append(contentsOf: d > 0 ? "\"Infinity\"".utf8 : "\"-Infinity\"".utf8); return }
        if d == d.rounded(), abs(d) < 1e15 { int(Int(d), into: &out); return }
        var text = d.description
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    static func numbers(_ a: [Double], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, v) in a.enumerated() { if i > 0 { out.append(UInt8(ascii: ",")) }; number(v, into: &out) }
        out.append(UInt8(ascii: "]"))
    }

    @inline(__always) static func int(_ v: Int, into out: inout [UInt8]) {
        if v >= 0 && v < 10 { out.append(UInt8(ascii: "0") + UInt8(v)); return }
        if v == Int.min { out.append(contentsOf: String(v).utf8); return }
        var n = v.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat { buf[19 - count] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10; count += 1 } while n > 0
            if v < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: buf[(20 - count)...])
        }
    }

    static func ints(_ a: [Int], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, v) in a.enumerated() { if i > 0 { out.append(UInt8(ascii: ",")) }; int(v, into: &out) }
        out.append(UInt8(ascii: "]"))
    }

    /// A JSON string, by Petal's one escaping rule (`JSONText`; the same bytes Foundation writes without `\/`).
    static func string(_ s: String, into out: inout [UInt8]) {
        JSONText.appendString(s, to: &out)
    }
}

/// The `Encoder` that fills a `JSONNode`.
struct NodeEncoder: Encoder {
    let node: JSONNode
    var codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.object == nil { node.object = [:] }
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if node.array == nil { node.array = [] }
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleNodeContainer(node: node, codingPath: codingPath) }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    var codingPath: [CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: JSONBytes.nullBytes) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.object?[key.stringValue] = try JSONNode.make(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: Array(String(value).utf8)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: Array(String(value).utf8)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: Array(String(value).utf8)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: Array(String(value).utf8)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: Array(String(value).utf8)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: Array(String(value).utf8)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: Array(String(value).utf8)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: Array(String(value).utf8)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { node.object?[key.stringValue] = JSONNode(bytes: Array(String(value).utf8)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encode(Double("\(value)") ?? Double(value), forKey: key) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNode()
        child.object = [:]
        node.object?[key.stringValue] = child
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let child = JSONNode()
        child.array = []
        node.object?[key.stringValue] = child
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> Encoder { superEncoder(named: key.stringValue) }
    private func superEncoder(named name: String) -> Encoder {
        let child = JSONNode()
        node.object?[name] = child
        return NodeEncoder(node: child, codingPath: codingPath)
    }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    var codingPath: [CodingKey]
    var count: Int { node.array?.count ?? 0 }

    mutating func encodeNil() throws { node.array?.append(JSONNode(bytes: JSONBytes.nullBytes)) }
    mutating func encode<T: Encodable>(_ value: T) throws { node.array?.append(try JSONNode.make(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int8) throws { node.array?.append(JSONNode(bytes: Array(String(value).utf8))) }
    mutating func encode(_ value: Int16) throws { node.array?.append(JSONNode(bytes: Array(String(value).utf8))) }
    mutating func encode(_ value: Int32) throws { node.array?.append(JSONNode(bytes: Array(String(value).utf8))) }
    mutating func encode(_ value: Int64) throws { node.array?.append(JSONNode(bytes: Array(String(value).utf8))) }
    mutating func encode(_ value: UInt) throws { node.array?.append(JSONNode(bytes: Array(String(value).utf8))) }
    mutating func encode(_ value: UInt8) throws { node.array?.append(JSONNode(bytes: Array(String(value).utf8))) }
    mutating func encode(_ value: UInt16) throws { node.array?.append(JSONNode(bytes: Array(String(value).utf8))) }
    mutating func encode(_ value: UInt32) throws { node.array?.append(JSONNode(bytes: Array(String(value).utf8))) }
    mutating func encode(_ value: UInt64) throws { node.array?.append(JSONNode(bytes: Array(String(value).utf8))) }
    mutating func encode(_ value: Float) throws { try encode(Double("\(value)") ?? Double(value)) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNode()
        child.object = [:]
        node.array?.append(child)
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let child = JSONNode()
        child.array = []
        node.array?.append(child)
        return UnkeyedNodeContainer(node: child, codingPath: codingPath)
    }
    mutating func superEncoder() -> Encoder {
        let child = JSONNode()
        node.array?.append(child)
        return NodeEncoder(node: child, codingPath: codingPath)
    }
}

struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: JSONNode
    var codingPath: [CodingKey]

    mutating func encodeNil() throws { node.bytes = JSONBytes.nullBytes }
    mutating func encode(_ value: Int8) throws { node.bytes = Array(String(value).utf8) }
    mutating func encode(_ value: Int16) throws { node.bytes = Array(String(value).utf8) }
    mutating func encode(_ value: Int32) throws { node.bytes = Array(String(value).utf8) }
    mutating func encode(_ value: Int64) throws { node.bytes = Array(String(value).utf8) }
    mutating func encode(_ value: UInt) throws { node.bytes = Array(String(value).utf8) }
    mutating func encode(_ value: UInt8) throws { node.bytes = Array(String(value).utf8) }
    mutating func encode(_ value: UInt16) throws { node.bytes = Array(String(value).utf8) }
    mutating func encode(_ value: UInt32) throws { node.bytes = Array(String(value).utf8) }
    mutating func encode(_ value: UInt64) throws { node.bytes = Array(String(value).utf8) }
    mutating func encode(_ value: Int) throws { var b: [UInt8] = []; JSONBytes.int(value, into: &b); node.bytes = b }
    mutating func encode(_ value: Double) throws { var b: [UInt8] = []; JSONBytes.number(value, into: &b); node.bytes = b }
    mutating func encode(_ value: Bool) throws { node.bytes = value ? JSONBytes.trueBytes : JSONBytes.falseBytes }
    mutating func encode(_ value: String) throws { var b: [UInt8] = []; JSONBytes.string(value, into: &b); node.bytes = b }
    mutating func encode(_ value: Float) throws {
        // A Float's own shortest text (as Foundation writes it), not its widened Double's.
        if !value.isFinite { var b: [UInt8] = []; JSONBytes.number(Double(value), into: &b); node.bytes = b; return }
        var b: [UInt8] = []
        if value == value.rounded(), abs(value) < 1e7 { JSONBytes.int(Int(value), into: &b) } else { b = Array(value.description.utf8) }
        node.bytes = b
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let made = try JSONNode.make(value, codingPath: codingPath)
        node.bytes = made.bytes; node.array = made.array; node.object = made.object
    }
}
