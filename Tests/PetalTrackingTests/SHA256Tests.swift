import Foundation
import Testing
import PetalData
@testable import PetalTracking

@Suite struct SHA256Tests {
    /// FIPS 180-4 example vectors (and one longer than a block, split across updates).
    @Test func standardVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var h = SHA256()
        for _ in 0..<1000 { h.update(Array(String(repeating: "a", count: 1000).utf8)) }
        #expect(h.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Fingerprints recorded in runs must not change between Petal versions (`replay` compares them): this one was
    /// computed before the float columns were hashed a block at a time; -0.0 hashes as 0.0; more than one block.
    @Test func fingerprintsStayTheSameAcrossVersions() throws {
        var v = (0..<5000).map { Double($0) * 0.37 - 900 }
        v[7] = -0.0
        let frame = try Frame(columns: [Column(name: "v", storage: .float(v)), Column(name: "w", storage: .int((0..<5000).map { Int64($0) * 3 }))])
        #expect(DataFingerprint.of(frame) == "a8c9e1b6f3901516ee6ef0968f9786e5f2b5933cf4e421ecd0b79c53ec1b5cc3")
        v[7] = 0.0
        let positive = try Frame(columns: [Column(name: "v", storage: .float(v)), Column(name: "w", storage: .int((0..<5000).map { Int64($0) * 3 }))])
        #expect(DataFingerprint.of(positive) == DataFingerprint.of(frame))
    }

    /// Text, boolean and integer columns, with and without nulls, pinned the same way (computed before a text
    /// column's rows were hashed through a buffer): short strings, empty ones, and one longer than the buffer.
    @Test func textBooleanAndNullFingerprintsStayTheSameAcrossVersions() throws {
        let n = 5000
        let long = String(repeating: "petal·", count: 20_000)
        let dictionary = ["setosa", "", "versicolor", long, "virginica"]
        let codes = (0..<n).map { Int32(($0 * 7) % dictionary.count) }
        let some = Bitmap((0..<n).map { $0 % 11 != 3 })
        let frame = try Frame(columns: [
            Column(name: "species", storage: .text(codes: codes, dictionary: TextDictionary(dictionary))),
            Column(name: "species_nulls", storage: .text(codes: codes, dictionary: TextDictionary(dictionary)), validity: some),
            Column(name: "flag", storage: .bool((0..<n).map { $0 % 3 == 0 })),
            Column(name: "flag_nulls", storage: .bool((0..<n).map { $0 % 3 == 0 }), validity: some),
            Column(name: "count_nulls", storage: .int((0..<n).map { Int64($0) - 2500 }), validity: some),
            Column(name: "value_nulls", storage: .float((0..<n).map { Double($0) / 8 }), validity: some),
        ])
        #expect(DataFingerprint.of(frame) == "1c5b55d7a98bf509eddcd372b073e95b237a273aabc4bb7d9c6c603159033d2f")
        let small = try Frame(columns: [Column(name: "s", storage: .text(codes: [0, 1, 2], dictionary: ["a", "", "b"]),
                                               validity: Bitmap([true, true, false]))])
        #expect(DataFingerprint.of(small) == "cad5eae97bcd0eb849f4c7958262f3fc772d18ffdd979f2b08fcd2d70b25c38f")
    }

    /// A float column's NaN (a missing value) is hashed as a null wherever it sits — in the four-lane part of a
    /// block, at a block's edge or in the last few values — the same as the column with a validity mask saying so.
    @Test func aNaNAnywhereInAFloatColumnIsHashedAsANull() throws {
        let n = 2048 * 2 + 7
        let plain = (0..<n).map { Double($0) * 0.25 - 300 }
        for at in [0, 3, 4, 2047, 2048, 4095, 4096, n - 3, n - 1] {
            var v = plain
            v[at] = .nan
            var withMask = plain
            withMask[at] = 12345  // any value: the mask says it is missing
            let nan = try Frame(columns: [Column(name: "v", storage: .float(v))])
            let masked = try Frame(columns: [Column(name: "v", storage: .float(withMask), validity: Bitmap((0..<n).map { $0 != at }))])
            #expect(DataFingerprint.of(nan) == DataFingerprint.of(masked), "NaN at \(at)")
            #expect(DataFingerprint.of(nan) != DataFingerprint.of(try Frame(columns: [Column(name: "v", storage: .float(plain))])))
        }
    }

    /// A -0.0 is hashed as 0.0 wherever it sits: in the four-lane part of a block, at its edges, in the last values,
    /// and beside a NaN.
    @Test func aNegativeZeroAnywhereIsHashedAsZero() throws {
        let n = 2048 * 2 + 7
        let plain = (0..<n).map { Double($0 % 997) * 0.5 + 1 }
        for at in [0, 5, 2047, 2048, 4096, n - 2, n - 1] {
            var zero = plain, negative = plain
            zero[at] = 0
            negative[at] = -0.0
            func frame(_ v: [Double]) throws -> Frame { try Frame(columns: [Column(name: "v", storage: .float(v))]) }
            #expect(DataFingerprint.of(try frame(negative)) == DataFingerprint.of(try frame(zero)), "-0.0 at \(at)")
            #expect(DataFingerprint.of(try frame(negative)) != DataFingerprint.of(try frame(plain)), "-0.0 at \(at)")
            var withNaN = negative, zeroWithNaN = zero
            withNaN[(at + 3) % n] = .nan
            zeroWithNaN[(at + 3) % n] = .nan
            #expect(DataFingerprint.of(try frame(withNaN)) == DataFingerprint.of(try frame(zeroWithNaN)), "-0.0 at \(at) beside a NaN")
        }
    }

    @Test func fingerprintIgnoresDictionaryOrderButNotValues() throws {
        let a = try Frame(columns: [Column(name: "s", storage: .text(codes: [0, 1, 0], dictionary: ["x", "y"])),
                                Column(name: "v", storage: .float([1, 2, 3]))])
        let b = try Frame(columns: [Column(name: "s", storage: .text(codes: [1, 0, 1, ], dictionary: ["y", "x", "unused"])),
                                Column(name: "v", storage: .float([1, 2, 3]))])
        let c = try Frame(columns: [Column(name: "s", storage: .text(codes: [0, 1, 0], dictionary: ["x", "y"])),
                                Column(name: "v", storage: .float([1, 2, 3.5]))])
        let renamed = try Frame(columns: [Column(name: "s", storage: .text(codes: [0, 1, 0], dictionary: ["x", "y"])),
                                      Column(name: "w", storage: .float([1, 2, 3]))])
        #expect(DataFingerprint.of(a) == DataFingerprint.of(b))
        #expect(DataFingerprint.of(a) != DataFingerprint.of(c))
        #expect(DataFingerprint.of(a) != DataFingerprint.of(renamed))
        #expect(DataFingerprint.of(a).count == 64)
    }
}
