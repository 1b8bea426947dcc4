extension Array {
    /// A new array of `count` elements that `initialize` writes, every one: its memory is not zeroed first (a
    /// 40 MB matrix or a 1M-row column is written once, by the code that fills it).
    ///
    /// Such arrays are not advised onto 2 MiB pages (`MADV_HUGEPAGE`): on the 2-core VMs Petal is measured on, the
    /// first touch of a fresh huge page after idle is slow (most likely the host's faults inside the kernel's
    /// clearing of it: the VM hands free 2 MiB blocks back to the host). Measured 2026-12-01 (after 3 s idle, as a user
    /// runs a command): 40 MB first touched in 70–494 ms on huge pages against 23–53 ms on 4 KiB pages; a 1M-row
    /// Parquet file opened in 0.23–0.53 s with the advice against 0.08–0.11 s without (Benchmarks/README.md).
    public init(uninitializedCount count: Int, _ initialize: (UnsafeMutableBufferPointer<Element>) -> Void) {
        guard count > 0 else { self = []; return }
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { initialized = 0; return }
            initialize(UnsafeMutableBufferPointer(start: base, count: count))
            initialized = count
        }
    }
}
