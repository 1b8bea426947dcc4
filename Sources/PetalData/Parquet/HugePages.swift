import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Advice to back a large, freshly allocated buffer with 2 MiB pages before it is written: a 1M-row column
/// is 8 MB, and touching it 4 KiB at a time costs one page fault each (a third of a numeric Parquet file's
/// load was the kernel's page faults). Only whole 2 MiB pages inside the buffer are advised, so no memory is
/// used beyond the buffer's; where the kernel does not offer huge pages the advice is ignored.
enum HugePages {
    static let size = 2 << 20

    /// Advises the buffer of `byteCount` bytes at `start` (a no-op below a few huge pages' worth).
    static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= 2 * size else { return }
        let from = (Int(bitPattern: start) + size - 1) & ~(size - 1)
        let to = (Int(bitPattern: start) + byteCount) & ~(size - 1)
        guard to > from, let p = UnsafeMutableRawPointer(bitPattern: from) else { return }
        _ = madvise(p, to - from, MADV_HUGEPAGE)
        #endif
    }

    /// `advise` for a typed buffer of `count` elements.
    static func advise<T>(_ start: UnsafeMutablePointer<T>, count: Int) {
        advise(UnsafeMutableRawPointer(start), byteCount: count * MemoryLayout<T>.stride)
    }
}
