import Foundation
import PetalData

extension Matrix {
    private enum Keys: String, CodingKey { case rows, columns, values, packed }

    /// Matrices of more values than this (a kNN's training rows, an SVM's support vectors) are written packed
    /// (model format 3): as JSON numbers, four million values were 79 MB that took a second to format and far
    /// longer to parse; packed they are 8 bytes each in base64 (⁴⁄₃), copied rather than formatted. Smaller ones
    /// (iris's 120 × 4 training rows, k-means centres) stay numbers a person can read.
    static let packedAbove = 1024

    /// `{"rows": r, "columns": c, "values": [r × c numbers, row-major]}`, or `"packed"` instead of `"values"` (see
    /// `PackedDoubles`); the sizes must agree.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let rows = try c.decode(Int.self, forKey: .rows), columns = try c.decode(Int.self, forKey: .columns)
        let values = try c.decodeIfPresent(PackedDoubles.self, forKey: .packed)?.values ?? c.decode([Double].self, forKey: .values)
        guard rows >= 0, columns >= 0, rows.multipliedReportingOverflow(by: columns) == (values.count, false) else {
            throw corrupt(decoder, "a \(rows)×\(columns) matrix needs \(rows)×\(columns) values, not \(values.count)")
        }
        self.init(rows: rows, columns: columns, values: values)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(rows, forKey: .rows)
        try c.encode(columns, forKey: .columns)
        if values.count > Self.packedAbove { try c.encode(PackedDoubles(values), forKey: .packed) } else { try c.encode(values, forKey: .values) }
    }
}

/// Doubles as one JSON string: the base64 (RFC 4648, padded) of their IEEE 754 binary64 bytes, little-endian, in
/// order. Exact for every value, NaN payloads and −0 included. `ModelJSONWriter` writes it straight to bytes.
struct PackedDoubles: Codable {
    var values: [Double]

    init(_ values: [Double]) { self.values = values }

    init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let data = Data(base64Encoded: text) else { throw corrupt(decoder, "packed values are not base64") }
        guard data.count % 8 == 0 else { throw corrupt(decoder, "packed values are \(data.count) bytes, not a whole number of 8-byte doubles") }
        values = data.withUnsafeBytes { raw in
            (0..<(data.count / 8)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(String(decoding: jsonBytes.dropFirst().dropLast(), as: UTF8.self))
    }

    /// The quoted JSON string.
    var jsonBytes: [UInt8] {
        let count = values.count * 8, length = (count + 2) / 3 * 4
        return [UInt8](unsafeUninitializedCapacity: length + 2) { out, initialized in
            values.withUnsafeBytes { raw in
                guard let to = out.baseAddress else { return }
                to[0] = UInt8(ascii: "\""); to[length + 1] = UInt8(ascii: "\"")
                Base64.encode(raw, into: to + 1)
            }
            initialized = length + 2
        }
    }
}

/// Base64 (RFC 4648's alphabet, `=` padding) of raw bytes, written on all cores in pieces of whole 3-byte groups.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Writes the ⌈count/3⌉·4 characters of `bytes` at `out`. Doubles are written in the machine's order, which
    /// must be little-endian for the file (every platform Petal builds for is; see the `#if` below).
    static func encode(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        #if _endian(big)
        #error("packed model values are little-endian; swap the bytes before encoding")
        #endif
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let groups = bytes.count / 3
        let pieces = groups < 1 << 16 ? 1 : ProcessInfo.processInfo.activeProcessorCount * 4
        alphabet.withUnsafeBufferPointer { ab in
            guard let a = ab.baseAddress else { return }
            let at = Pointers(bytes: base, out: out, alphabet: a)
            DispatchQueue.concurrentPerform(iterations: pieces) { p in
                let from = groups * p / pieces, to = groups * (p + 1) / pieces
                let a = at.alphabet
                var i = at.bytes + from * 3, o = at.out + from * 4
                for _ in from..<to {
                    let v = UInt32(i[0]) << 16 | UInt32(i[1]) << 8 | UInt32(i[2])
                    o[0] = a[Int(v >> 18)]; o[1] = a[Int(v >> 12 & 63)]; o[2] = a[Int(v >> 6 & 63)]; o[3] = a[Int(v & 63)]
                    i += 3; o += 4
                }
            }
            let rest = bytes.count - groups * 3
            guard rest > 0 else { return }
            let i = base + groups * 3, o = out + groups * 4
            let v = UInt32(i[0]) << 16 | (rest == 2 ? UInt32(i[1]) << 8 : 0)
            o[0] = a[Int(v >> 18)]; o[1] = a[Int(v >> 12 & 63)]
            o[2] = rest == 2 ? a[Int(v >> 6 & 63)] : UInt8(ascii: "="); o[3] = UInt8(ascii: "=")
        }
    }

    /// The buffers as the workers see them: each writes only its own pieces of `out`.
    private struct Pointers: @unchecked Sendable {
        let bytes: UnsafePointer<UInt8>
        let out: UnsafeMutablePointer<UInt8>
        let alphabet: UnsafePointer<UInt8>
    }
}
