import Foundation

/// Protocol Buffers wire decoding, just what reading back an ONNX model's interface needs: a flat walk over one
/// message's fields, each either a varint (wire type 0), fixed 64/32 bits (1, 5, skipped) or length-delimited
/// bytes (2: strings and nested messages, which are read by another reader over those bytes). Every length is
/// checked against what is left, so a truncated or random file is an error, never a read past the end; nothing
/// recurses, so nesting depth costs no stack. The writer's counterpart is `ProtobufWriter`.
struct ProtobufReader {
    /// Why bytes are not the message they should be.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// One field: its number and its value.
    enum Value {
        case varint(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed
    }

    private let bytes: ArraySlice<UInt8>
    private var pos: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        pos = bytes.startIndex
    }

    /// The next field, or nil at the end of the message.
    mutating func next() throws -> (field: Int, value: Value)? {
        guard pos < bytes.endIndex else { return nil }
        let key = try varint()
        let field = Int(truncatingIfNeeded: key >> 3)
        guard field > 0, field < 1 << 29 else { throw Malformed(description: "a field number of \(key >> 3)") }
        switch key & 7 {
        case 0: return (field, .varint(try varint()))
        case 1: try skip(8); return (field, .fixed)
        case 5: try skip(4); return (field, .fixed)
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - pos) else {
                throw Malformed(description: "field \(field) says it is \(length) bytes long, but only \(bytes.endIndex - pos) are left")
            }
            let start = pos
            pos += Int(length)
            return (field, .bytes(bytes[start..<pos]))
        default:
            throw Malformed(description: "wire type \(key & 7) of field \(field) (groups and unknown types are not ONNX)")
        }
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while pos < bytes.endIndex {
            let b = bytes[pos]
            pos += 1
            guard shift < 64 else { throw Malformed(description: "a number longer than ten bytes") }
            value |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
        }
        throw Malformed(description: "the bytes end inside a number")
    }

    private mutating func skip(_ n: Int) throws {
        guard bytes.endIndex - pos >= n else { throw Malformed(description: "the bytes end inside a fixed-size field") }
        pos += n
    }
}

extension ProtobufReader.Value {
    /// The value as UTF-8 text (a string field).
    func text() throws -> String {
        guard case .bytes(let b) = self else { throw ProtobufReader.Malformed(description: "a number where text belongs") }
        guard let s = String(validating: b, as: UTF8.self) else { throw ProtobufReader.Malformed(description: "text that is not UTF-8") }
        return s
    }

    /// The value as a signed integer (int64, int32 and enum fields; negative numbers are two's complement).
    func integer() throws -> Int64 {
        guard case .varint(let v) = self else { throw ProtobufReader.Malformed(description: "text or bytes where a number belongs") }
        return Int64(bitPattern: v)
    }

    /// A reader over the value's bytes (a nested message).
    func message() throws -> ProtobufReader {
        guard case .bytes(let b) = self else { throw ProtobufReader.Malformed(description: "a number where a message belongs") }
        return ProtobufReader(b)
    }
}
