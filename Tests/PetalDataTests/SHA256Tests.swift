import Foundation
import Testing
@testable import PetalData

/// SHA-256 against the FIPS 180-2 / NIST example vectors, whole and fed in uneven pieces.
@Suite struct SHA256Tests {
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ]

    @Test func knownVectors() {
        for (text, digest) in Self.vectors { #expect(SHA256.hex(Data(text.utf8)) == digest, "\(text)") }
    }

    @Test func millionAs() {
        #expect(SHA256.hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func piecesGiveTheSameDigest() {
        let data = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        for piece in [1, 3, 63, 64, 65, 200] {
            var h = SHA256()
            var i = 0
            while i < data.count { h.update(data[i..<min(data.count, i + piece)]); i += piece }
            #expect(h.finalize().map { String(format: "%02x", $0) }.joined() == SHA256.hex(data), "pieces of \(piece)")
        }
    }
}
