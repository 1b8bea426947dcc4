import Foundation

/// An append-only buffer of plain values for the CSV reader's hot loop: no uniqueness or bounds checks per
/// append, unlike `Array`. It grows with `realloc` (often in place, without a copy). Its owner
/// (`ColumnAccumulator`) frees it; it must not be copied and used twice.
struct GrowableBuffer<T: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<T>?
    private(set) var count = 0
    private var capacity = 0

    @inline(__always)
    mutating func append(_ value: T) {
        if count == capacity { grow(to: max(64, capacity + capacity / 2)) }
        base.unsafelyUnwrapped[count] = value
        count += 1
    }

    /// Appends `filler` until there are `n` values.
    @inline(__always)
    mutating func pad(to n: Int, with filler: T) {
        while count < n { append(filler) }
    }

    /// Appends `n` values from `source` (one copy, growing at most once).
    @inline(__always)
    mutating func append(_ source: UnsafePointer<T>, count n: Int) {
        if count + n > capacity { grow(to: max(64, count + n, capacity + capacity / 2)) }
        (base.unsafelyUnwrapped + count).update(from: source, count: n)
        count += n
    }

    mutating func reserve(_ n: Int) { if n > capacity { grow(to: n) } }

    /// Appends `n` values written by `fill` into the uninitialized room it is given (one capacity check, not
    /// one per value). `fill` must initialize all `n`.
    @inline(__always)
    mutating func append(count n: Int, _ fill: (UnsafeMutablePointer<T>) -> Void) {
        guard n > 0 else { return }
        if count + n > capacity { grow(to: max(64, count + n, capacity + capacity / 2)) }
        fill(base.unsafelyUnwrapped + count)
        count += n
    }

    mutating func removeLast() { if count > 0 { count -= 1 } }

    /// Drops every value, keeping the allocation for the next ones.
    mutating func removeAll() { count = 0 }

    /// Drops every value (keeping nothing allocated).
    mutating func free() {
        Foundation.free(base)
        base = nil
        count = 0
        capacity = 0
    }

    var buffer: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }

    /// Hands the values over to the caller, who must `free` the pointer (nil when there are none); the buffer is
    /// empty afterwards. The allocation is first shrunk to the values (growth leaves up to a third unused).
    mutating func take() -> UnsafeMutablePointer<T>? {
        if count > 0 && count < capacity { grow(to: count) }
        let out = count > 0 ? base : nil
        if count == 0 { Foundation.free(base) }
        base = nil
        count = 0
        capacity = 0
        return out
    }

    fileprivate mutating func grow(to newCapacity: Int) {
        // `T` is bitwise-copyable, so moving its bytes (what realloc does) moves the values.
        guard let fresh = realloc(base, newCapacity * MemoryLayout<T>.stride) else {
            fatalError("out of memory growing a column buffer to \(newCapacity) values")
        }
        base = fresh.bindMemory(to: T.self, capacity: newCapacity)
        capacity = newCapacity
    }
}

extension GrowableBuffer where T == UInt8 {
    /// Appends `p[0..<n]`: up to 16 bytes as at most two overlapping word copies, each inside the source and
    /// the destination (a text value is mostly that short, and a call to memmove per value cost more than the copy).
    @inline(__always)
    mutating func appendBytes(_ p: UnsafePointer<UInt8>, count n: Int) {
        guard n <= 16 else { append(p, count: n); return }
        guard n > 0 else { return }
        if count + n > capacity { grow(to: max(64, count + n, capacity + capacity / 2)) }
        let to = UnsafeMutableRawPointer(base.unsafelyUnwrapped + count), from = UnsafeRawPointer(p)
        if n >= 8 {
            to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
        } else {
            // 1–3 bytes: the first, middle and last are all of them.
            to.storeBytes(of: p[0], as: UInt8.self)
            to.storeBytes(of: p[n >> 1], toByteOffset: n >> 1, as: UInt8.self)
            to.storeBytes(of: p[n - 1], toByteOffset: n - 1, as: UInt8.self)
        }
        count += n
    }
}

/// glibc's malloc serves a block of a size it once freed from its heaps afterwards (its mmap threshold rises to the
/// largest mapped block freed, up to 32 MiB), and heap memory freed in the worker threads' arenas mostly stays
/// resident: the CSV chunks' buffers (a few MiB each, freed a window later) then add to the peak. A fixed
/// threshold keeps every block over 256 KiB in a mapping of its own, returned to the system when freed and grown
/// with mremap (no copy). Process-wide, set once by the loaders that allocate such blocks.
public enum LargeAllocations {
    static let returnedWhenFreed: Void = {
        #if canImport(Glibc)
        // mallopt is not in the Glibc module (malloc.h): looked up by name; M_MMAP_THRESHOLD is -3.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        if let process = dlopen(nil, RTLD_NOW), let f = dlsym(process, "mallopt") {
            _ = unsafeBitCast(f, to: Mallopt.self)(-3, 256 << 10)
        }
        #endif
    }()

    /// Fixing the mmap threshold also fixes the trim threshold at glibc's 128 KiB: every time more than that is
    /// free at the top of a heap, it is handed back to the system, and faulted in (zeroed) again by the next
    /// allocations. Work that allocates and frees many blocks under 256 KiB per step in the worker threads
    /// (`petal predict`'s slices: their matrices and text) keeps up to 8 MiB free per heap instead. Process-wide.
    public static let heapKeptWhenFreed: Void = {
        #if canImport(Glibc)
        // M_TRIM_THRESHOLD is -1.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        if let process = dlopen(nil, RTLD_NOW), let f = dlsym(process, "mallopt") {
            _ = unsafeBitCast(f, to: Mallopt.self)(-1, 8 << 20)
        }
        #endif
    }()
}
