import Foundation
import PetalData

/// A tree's `model.json` bytes written straight from its arrays: the bytes `TreeModel.encode(to:)` gives through
/// `ModelJSONWriter` (keys sorted; leaf values flat with `width`, `left` left out when implicit, as `TreeCoding`
/// describes), without a node object per key, a flat copy of the values or a growing array per number. A 50-tree
/// extra-trees forest on 160,000 rows holds five million nodes; written through the generic path its JSON took a
/// fifth of the whole `fit` command's CPU time, most of it in per-number array appends and copies rather than in
/// the digits.
enum TreeJSONBytes {
    /// Bytes a number may take: the longest shortest-round-trip double (`-2.2250738585072014e-308`, 24), an Int's
    /// 20, or `"-Infinity"` quoted (11); plus its comma.
    private static let numberBound = 25

    /// `tree` as a JSON object.
    static func bytes(_ tree: TreeModel) -> [UInt8] {
        let width = tree.leafWidth
        let writesLeft = width == nil || !tree.hasImplicitLeft
        let valueCount = width.map { $0 * tree.value.count } ?? tree.value.reduce(0) { $0 + $1.count } + 2 * tree.value.count
        let numbers = tree.feature.count + tree.threshold.count + tree.left.count + tree.right.count + tree.importance.count + valueCount + 1
        // Written into room for the longest text, uninitialised (only the pages written are touched), then the
        // bytes used copied into an array of their size.
        let scratch = [UInt8](unsafeUninitializedCapacity: 128 + numbers * numberBound) { buffer, count in
            guard let base = buffer.baseAddress else { count = 0; return }
            var p = base
            func raw(_ s: StaticString) { s.withUTF8Buffer { b in for c in b { p.pointee = c; p += 1 } } }
            func ints(_ a: [Int]) {
                p.pointee = UInt8(ascii: "["); p += 1
                for (i, v) in a.enumerated() { if i > 0 { p.pointee = UInt8(ascii: ","); p += 1 }; p = int(v, at: p) }
                p.pointee = UInt8(ascii: "]"); p += 1
            }
            func doubles(_ a: [Double]) {
                p.pointee = UInt8(ascii: "["); p += 1
                for (i, v) in a.enumerated() { if i > 0 { p.pointee = UInt8(ascii: ","); p += 1 }; p = number(v, at: p) }
                p.pointee = UInt8(ascii: "]"); p += 1
            }
            raw("{\"feature\":"); ints(tree.feature)
            raw(",\"importance\":"); doubles(tree.importance)
            if let width {
                raw(",\"leaf_value\":[")
                var first = true
                for (i, f) in tree.feature.enumerated() where f < 0 {
                    for v in tree.value[i] { if !first { p.pointee = UInt8(ascii: ","); p += 1 }; first = false; p = number(v, at: p) }
                }
                p.pointee = UInt8(ascii: "]"); p += 1
                if writesLeft { raw(",\"left\":"); ints(tree.left) }
                raw(",\"right\":"); ints(tree.right)
                raw(",\"threshold\":"); doubles(tree.threshold)
                raw(",\"width\":"); p = int(width, at: p)
            } else {
                raw(",\"left\":"); ints(tree.left)
                raw(",\"right\":"); ints(tree.right)
                raw(",\"threshold\":"); doubles(tree.threshold)
                raw(",\"value\":[")
                for (i, node) in tree.value.enumerated() {
                    if i > 0 { p.pointee = UInt8(ascii: ","); p += 1 }
                    doubles(node)
                }
                p.pointee = UInt8(ascii: "]"); p += 1
            }
            raw("}")
            count = p - base
        }
        return scratch.withUnsafeBufferPointer { used in
            [UInt8](unsafeUninitializedCapacity: used.count) { b, count in
                if let to = b.baseAddress, let from = used.baseAddress { to.update(from: from, count: used.count) }
                count = used.count
            }
        }
    }

    /// An Int's digits at `p`; returns the position after them.
    @inline(__always) static func int(_ v: Int, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if v >= 0 && v < 10 { p.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v); return p + 1 }
        var q = p
        if v < 0 { q.pointee = UInt8(ascii: "-"); q += 1 }
        var m = v.magnitude, digits = 0, t = m
        repeat { digits += 1; t /= 10 } while t > 0
        var d = q + digits - 1
        repeat { d.pointee = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10); m /= 10; d -= 1 } while m > 0
        return q + digits
    }

    /// A number as `JSONBytes.number` writes it (integral values as integers, NaN and infinities as strings, else
    /// Swift's shortest round-trip text) at `p`; returns the position after it.
    @inline(__always) static func number(_ d: Double, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if d == 0 {
            if d.sign == .minus { p[0] = UInt8(ascii: "-"); p[1] = UInt8(ascii: "0"); return p + 2 }
            p.pointee = UInt8(ascii: "0"); return p + 1
        }
        if d == 1 { p.pointee = UInt8(ascii: "1"); return p + 1 }
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return int(Int(d), at: p) }
        var q = p
        if d.isNaN || d.isInfinite {
            let text: StaticString = d.isNaN ? "\"NaN\"" : d > 0 ? "\"Infinity\"" : "\"-Infinity\""
            text.withUTF8Buffer { b in for c in b { q.pointee = c; q += 1 } }
            return q
        }
        var text = d.description
        text.withUTF8 { b in for c in b { q.pointee = c; q += 1 } }
        return q
    }
}
