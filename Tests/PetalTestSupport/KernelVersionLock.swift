import Foundation

/// The CPU kernels' version (`petal_kernels_cap`: portable, AVX2, AVX-512) is one setting for the whole process, and
/// tests run in parallel. Tests that switch it hold this lock exclusively; tests that compare two runs bit for bit
/// hold it shared, so the version cannot change between their runs (versions agree only to rounding).
public enum KernelVersionLock {
    nonisolated(unsafe) private static let lock: UnsafeMutablePointer<pthread_rwlock_t> = {
        let p = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        pthread_rwlock_init(p, nil)
        return p
    }()

    /// Runs `body` while no test compares runs bit for bit (for a test that switches the kernels' version; it must
    /// put the version back before it returns).
    public static func exclusive<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    /// Runs `body` while no test switches the kernels' version.
    public static func shared<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
