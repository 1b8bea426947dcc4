import Foundation

/// A growable byte buffer for formatting output rows (`petal predict`): every write checks its own room, then
/// writes through a pointer — no `Array` uniqueness check, retain or generic `append(contentsOf:)` per cell.
/// Not copyable: one owner frees it (`bytes()` hands the text over as an array, or its end frees it).
struct TextBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    /// Room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: max(needed, capacity * 2))
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = max(needed, capacity * 2)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: [UInt8]) {
        reserve(bytes.count)
        bytes.withUnsafeBufferPointer { b in
            if let a = b.baseAddress { (base + count).update(from: a, count: b.count) }
        }
        count += bytes.count
    }

    mutating func append(_ text: String) { append(Array(text.utf8)) }

    @inline(__always)
    mutating func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
        reserve(n)
        (base + count).update(from: bytes, count: n)
        count += n
    }

    /// Lets `write` fill at most `most` bytes at the end; it returns how many it wrote.
    @inline(__always)
    mutating func write(most: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(most)
        count += write(base + count)
    }

    deinit { base.deallocate() }

    /// The bytes written, as an array (the buffer is freed after).
    consuming func bytes() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }
}
