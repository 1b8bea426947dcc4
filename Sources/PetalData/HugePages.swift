import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Advice to back a large, freshly allocated buffer with 2 MiB pages before it is written: a 1M-row column
/// is 8 MB, and touching it 4 KiB at a time costs one page fault each (a third of a numeric Parquet file's
/// load was the kernel's page faults). Only whole 2 MiB pages within the buffer's own 4 KiB pages are advised,
/// so no memory is used beyond the buffer's; where the kernel does not offer huge pages the advice is ignored.
/// Used by the Parquet reader's columns and by the ML core's matrices (`Matrix`, `FeatureSchema.matrix`).
public enum HugePages {
    public static let size = 2 << 20
    /// Bytes malloc and Swift put around an array's elements in one allocation: Swift's array header (32) and
    /// malloc's chunk header and size rounding (at most 32 more on glibc).
    private static let overhead = 96
    /// `MADV_COLLAPSE` (Linux 6.1), which Debian 12's C headers do not define.
    private static let madviseCollapse: Int32 = 25

    /// A capacity of at least `count` elements of `T` for a new array of a huge page or more, chosen so the
    /// allocation (elements and headers) fills a whole number of huge pages. Such an allocation is mapped by
    /// itself, and Linux places a mapping of a whole number of huge pages on a huge-page boundary: then every
    /// one of its huge pages can be advised (see `advise`), not only those wholly inside the elements — without
    /// this, the partial huge pages at both ends (2 MiB on average, a quarter of a 1M-row column) were touched
    /// 4 KiB at a time. The extra capacity (under 2 MiB) is address space that is never touched.
    public static func capacity<T>(_ count: Int, of type: T.Type) -> Int {
        let stride = MemoryLayout<T>.stride
        guard stride > 0, count > 0, count <= Int.max / stride - size, count * stride >= size else { return count }
        let bytes = (count * stride + overhead + size - 1) & ~(size - 1)
        return max(count, (bytes - overhead) / stride)
    }

    /// Advises the buffer of `byteCount` bytes at `start` (a no-op below a huge page's worth): the huge pages
    /// inside it, and also one at either end that reaches past the buffer only within the 4 KiB page where the
    /// buffer starts or ends (its allocation's headers: see `capacity`).
    public static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= size else { return }
        let first = Int(bitPattern: start), end = first + byteCount
        var from = (first + size - 1) & ~(size - 1)
        if first - (first & ~(size - 1)) < 4096 { from = first & ~(size - 1) }
        var to = end & ~(size - 1)
        if ((end + size - 1) & ~(size - 1)) - end < 4096 { to = (end + size - 1) & ~(size - 1) }
        guard to > from, let p = UnsafeMutableRawPointer(bitPattern: from) else { return }
        _ = madvise(p, to - from, MADV_HUGEPAGE)
        // A huge page that holds the allocation's headers was touched (4 KiB) before the advice, when they were
        // written, and is then never given a huge page on a fault (its 511 other 4 KiB pages would each fault):
        // it is made one huge page now (MADV_COLLAPSE, Linux 6.1; an older kernel refuses and nothing changes).
        if from < first { _ = madvise(p, size, madviseCollapse) }
        #endif
    }

    /// `advise` for a typed buffer of `count` elements.
    public static func advise<T>(_ start: UnsafeMutablePointer<T>, count: Int) {
        advise(UnsafeMutableRawPointer(start), byteCount: count * MemoryLayout<T>.stride)
    }

    /// A new array of `count` elements that `initialize` writes, every one (its memory is not zeroed first), on
    /// huge pages when it is a huge page or more.
    public static func array<T>(count: Int, _ initialize: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
        guard count > 0 else { return [] }
        return [T](unsafeUninitializedCapacity: capacity(count, of: T.self)) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            advise(base, count: buffer.count)
            initialize(UnsafeMutableBufferPointer(start: base, count: count))
            initialized = count
        }
    }
}
