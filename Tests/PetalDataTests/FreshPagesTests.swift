import Testing
@testable import PetalData

/// Making a block's pages resident leaves what it holds as it was: written values (pages already resident), fresh
/// pages (still writable, then read back), ends that are not page-aligned, and blocks too small to bother with.
@Suite struct FreshPagesTests {
    @Test func populatingKeepsTheContentsAndTheMemoryWritable() {
        for (count, offset) in [(3 << 20, 0), (3 << 20, 3), (5_000_001, 1), (1_000, 0)] {
            let block = UnsafeMutablePointer<UInt8>.allocate(capacity: count + offset)
            defer { block.deallocate() }
            let bytes = UnsafeMutableRawBufferPointer(start: block + offset, count: count)
            // Every other MiB written before (resident), the rest untouched (fresh) until after.
            for i in stride(from: 0, to: count, by: 1) where (i >> 20) % 2 == 0 { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
            FreshPages.populate(bytes)
            for i in stride(from: 0, to: count, by: 1) where (i >> 20) % 2 == 1 { bytes[i] = UInt8(truncatingIfNeeded: i &* 7) }
            let wrong = (0..<count).first { i in bytes[i] != UInt8(truncatingIfNeeded: (i >> 20) % 2 == 0 ? i &* 31 : i &* 7) }
            #expect(wrong == nil, "\(count) bytes at offset \(offset): byte \(wrong ?? -1)")
        }
        FreshPages.populate(UnsafeMutableRawBufferPointer(start: nil, count: 0))
    }
}
