import PetalData

/// Point-in-time selection and joins over stored group rows. No row whose event time is after the time asked for is
/// ever read: a training row sees each feature as it was when its label was observed.
public enum PointInTime {
    /// The key of each row: the values of `keys` (which must be columns of `frame`).
    public static func keys(_ frame: Frame, _ keys: [String]) throws -> [[Value]] {
        let columns = try keys.map { try frame.requireColumn($0) }
        return (0..<frame.rowCount).map { i in columns.map { $0[i] } }
    }

    /// The rows to keep of a group at `asOf` (µs; nil = now): for each key, its row with the latest event time at or
    /// before `asOf`; of two rows with one key and one time, the one stored later. In the order of first appearance
    /// of each key.
    public static func latest(keys: [[Value]], times: [Int64], asOf: Int64?) -> [Int] {
        var best: [[Value]: Int] = [:]
        var order: [[Value]] = []
        for i in keys.indices {
            if let asOf, times[i] > asOf { continue }
            if let j = best[keys[i]] {
                if times[i] >= times[j] { best[keys[i]] = i }
            } else {
                best[keys[i]] = i
                order.append(keys[i])
            }
        }
        return order.compactMap { best[$0] }
    }

    /// For each left row, the right row with the same key and the latest event time at or before the left row's
    /// (ties: the one stored later), or nil when the key has no row by then (a missing key or a feature that only
    /// arrived later).
    public static func asOfJoin(leftKeys: [[Value]], leftTimes: [Int64], rightKeys: [[Value]], rightTimes: [Int64]) -> [Int?] {
        var byKey: [[Value]: [Int]] = [:]
        for i in rightKeys.indices { byKey[rightKeys[i], default: []].append(i) }
        // Each key's rows by (time, stored order): the last with time ≤ t is the answer.
        for (k, rows) in byKey { byKey[k] = rows.sorted { (rightTimes[$0], $0) < (rightTimes[$1], $1) } }
        return leftKeys.indices.map { i -> Int? in
            guard let rows = byKey[leftKeys[i]] else { return nil }
            let t = leftTimes[i]
            var lo = 0, hi = rows.count  // first row with time > t
            while lo < hi {
                let mid = (lo + hi) / 2
                if rightTimes[rows[mid]] <= t { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? nil : rows[lo - 1]
        }
    }

    /// Rows `indices` of `column`, null where an index is nil.
    public static func taking(_ column: Column, _ indices: [Int?]) -> Column {
        let n = indices.count
        guard column.count > 0 else { return nullColumn(named: column.name, type: column.type, count: n) }
        let taken = column.taking(indices.map { $0 ?? 0 })
        guard indices.contains(where: { $0 == nil }) else { return taken }
        let validity = Bitmap((0..<n).map { indices[$0] != nil && taken.isValid($0) })
        return Column(name: column.name, storage: taken.storage, validity: validity)
    }

    /// A column of `count` nulls of `type`.
    public static func nullColumn(named name: String, type: ColumnType, count: Int) -> Column {
        let storage: ColumnStorage
        switch type {
        case .int: storage = .int(Array(repeating: 0, count: count))
        case .float: storage = .float(Array(repeating: .nan, count: count))
        case .bool: storage = .bool(Array(repeating: false, count: count))
        case .date, .datetime: storage = .datetime(Array(repeating: 0, count: count), dateOnly: type == .date)
        case .text: storage = .text(codes: Array(repeating: 0, count: count), dictionary: [""])
        }
        return Column(name: name, storage: storage, validity: Bitmap(count: count, value: false))
    }
}
