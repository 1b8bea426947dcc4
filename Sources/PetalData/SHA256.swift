import Crypto

/// SHA-256, streaming: data fingerprints of runs and the checksums in a bundle's manifest. One implementation for
/// the whole program: swift-crypto's (BoringSSL, with the CPU's SHA extensions where it has them — a pure-Swift
/// compression function was 12 % of a `fit` command, hashing the frame for its fingerprint). This type keeps
/// Petal's framing helpers (length-prefixed strings, little-endian integers); the tests check the standard's vectors.
public struct SHA256: Sendable {
    private var hasher = Crypto.SHA256()

    public init() {}

    /// Adds bytes to the message.
    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        update(Array(bytes))
    }

    /// Adds raw bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// Adds a fixed-width integer, little-endian.
    public mutating func update<I: FixedWidthInteger>(integer: I) {
        withUnsafeBytes(of: integer.littleEndian) { update($0) }
    }

    /// Adds a string as its UTF-8 bytes preceded by their count (so "ab"+"c" and "a"+"bc" differ).
    public mutating func update(string: String) {
        var s = string
        s.withUTF8 { bytes in
            update(integer: UInt64(bytes.count))
            update(UnsafeRawBufferPointer(bytes))
        }
    }

    /// The digest as 64 lowercase hex digits.
    public mutating func finalizeHex() -> String {
        let hex = Array("0123456789abcdef")
        return String(finalize().flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0xF)]] })
    }

    /// The 32-byte digest.
    public mutating func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }

    /// The digest of `bytes` in one call.
    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return h.finalizeHex()
    }
}
