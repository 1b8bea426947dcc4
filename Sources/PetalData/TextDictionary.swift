import Foundation

/// The distinct values of a text column in code order: `dictionary[code]` is the String of `code`.
///
/// One collection over two layouts. Most producers (JSON, SQLite, PostgreSQL, encoders, tests) build `[String]`
/// and wrap it. The CSV reader's layout is packed: every value's UTF-8 bytes back to back in one allocation
/// with their bounds, handed over from its interner without a copy — 8 bytes of overhead a value, where a
/// `[String]` holds 16 bytes a value plus, for a value over 15 UTF-8 bytes, a heap object of its own (~64
/// bytes more). A column of a million distinct 16-byte ids is 24 MB packed, ~80 MB as Strings, and becomes a
/// dictionary without a million allocations.
///
/// A packed value becomes a String when it is read (no allocation up to 15 bytes). Code that reads each entry
/// once per row or per comparison (sorting by a text column) takes `strings` or ranks the entries first;
/// code that only needs the bytes (writers, fingerprints) uses `withUTF8`.
public struct TextDictionary: RandomAccessCollection, Sendable {
    private enum Layout: Sendable {
        case strings([String])
        case packed(PackedText)
    }

    private let layout: Layout

    /// A dictionary of `strings`, in their order.
    public init(_ strings: [String]) { layout = .strings(strings) }

    /// Over bytes already known to be valid UTF-8 (`PackedText`'s contract).
    init(packed: PackedText) { layout = .packed(packed) }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch layout {
        case .strings(let s): return s.count
        case .packed(let p): return p.count
        }
    }

    public subscript(position: Int) -> String {
        switch layout {
        case .strings(let s): return s[position]
        case .packed(let p): return String(decoding: p.bytes(position), as: UTF8.self)
        }
    }

    /// Calls `body` with entry `i`'s UTF-8 bytes, without making a String when the dictionary is packed.
    public func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch layout {
        case .strings(let s):
            var v = s[i]
            return try v.withUTF8(body)
        case .packed(let p): return try body(p.bytes(i))
        }
    }

    /// Every entry as a String (made once here when packed), for code that reads entries many times.
    public var strings: [String] {
        switch layout {
        case .strings(let s): return s
        case .packed: return Array(self)
        }
    }

    /// Bytes the dictionary holds (for memory reports): UTF-8 plus 16 bytes a String, or 8 bytes a packed bound.
    public var storageBytes: Int {
        switch layout {
        case .strings(let s): return s.reduce(0) { $0 + $1.utf8.count + 16 }
        case .packed(let p): return p.byteCount + (p.count + 1) * 8
        }
    }

    /// The entry at `index`, or nil when out of range (for codes that come from files).
    public subscript(safe index: Int) -> String? { indices.contains(index) ? self[index] : nil }
}

extension TextDictionary: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: String...) { self.init(elements) }
}

extension TextDictionary: Equatable {
    /// Equal when the entries are, whatever the layouts.
    public static func == (a: TextDictionary, b: TextDictionary) -> Bool { a.elementsEqual(b) }
}

extension TextDictionary: CustomStringConvertible {
    public var description: String { Array(self).description }
}

/// Immutable UTF-8 values back to back: value `i` is `bytes[bounds[i]..<bounds[i + 1]]`. Owns both buffers
/// (allocated with `malloc`, taken over from `GrowableBuffer`s) and frees them when the last dictionary that
/// shares it goes. The bytes must be valid UTF-8 value by value (the CSV reader checks before it packs).
///
/// Also what `petal predict` formats a text column's cells from (`CellText`, its entries quoted once): a cell's bytes
/// are read without a retain of an array per entry.
public final class PackedText: @unchecked Sendable {
    private let base: UnsafeMutablePointer<UInt8>?
    private let bounds: UnsafeMutablePointer<Int>?
    public let count: Int

    /// Takes ownership of `bytes` (nil when every value is empty) and `bounds` (`count + 1` offsets from 0,
    /// non-decreasing, the last at most the bytes' length; nil only when `count` is 0).
    init(bytes: UnsafeMutablePointer<UInt8>?, bounds: UnsafeMutablePointer<Int>?, count: Int) {
        base = bytes
        self.bounds = bounds
        self.count = bounds == nil ? 0 : count
    }

    /// `strings`' UTF-8 bytes packed, in their order.
    public convenience init(packing strings: [String]) {
        let n = strings.count
        // malloc'd, as `deinit` frees them (like the buffers the CSV reader hands over).
        guard let bounds = malloc((n + 1) * MemoryLayout<Int>.stride)?.bindMemory(to: Int.self, capacity: n + 1) else {
            preconditionFailure("out of memory packing \(n) texts")
        }
        var total = 0
        for (k, s) in strings.enumerated() { bounds[k] = total; total += s.utf8.count }
        bounds[n] = total
        let bytes = total > 0 ? malloc(total)?.bindMemory(to: UInt8.self, capacity: total) : nil
        precondition(total == 0 || bytes != nil, "out of memory packing \(total) bytes of text")
        if let bytes {
            for (k, s) in strings.enumerated() {
                var s = s
                s.withUTF8 { u in if let a = u.baseAddress { (bytes + bounds[k]).update(from: a, count: u.count) } }
            }
        }
        self.init(bytes: bytes, bounds: bounds, count: n)
    }

    deinit {
        free(base)
        free(bounds)
    }

    var byteCount: Int { bounds.map { $0[count] } ?? 0 }

    /// Value `i`'s bytes; `i` must be in `0..<count` (checked, as an array index is).
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < count, "text dictionary index \(i) out of range 0..<\(count)")
        let b = bounds.unsafelyUnwrapped  // count > 0 implies bounds
        let start = b[i]
        return UnsafeBufferPointer(start: base.map { $0 + start }, count: b[i + 1] - start)
    }
}
