import PetalData

/// When a job runs: every fixed interval (`every=1d`), or at the minutes a cron expression names (in UTC).
public enum Schedule: Codable, Hashable, Sendable {
    case every(seconds: Int)
    case cron(CronExpression)

    /// Parses `every=` text: a whole number and a unit, `30m`, `12h`, `1d`, `7d`, `2w` (at least a minute).
    public static func every(_ text: String) throws -> Schedule {
        let units: [Character: Int] = ["m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        guard let unit = text.last.flatMap({ units[Character($0.lowercased())] }), let n = Int(text.dropLast()), n > 0, n <= 100_000 else {
            throw PetalError("every=\(text) is not an interval", hint: "a whole number and m, h, d or w: every=30m, every=1d, every=7d")
        }
        return .every(seconds: n * unit)
    }

    /// The first time after `time` (seconds since 1970) that the schedule names. For `every`, the times are
    /// `anchor + k·interval`, so runs stay on their grid and a backlog of missed runs is skipped, not replayed.
    public func next(after time: Double, anchor: Double) -> Double {
        switch self {
        case .every(let seconds):
            let step = Double(seconds)
            guard time >= anchor else { return anchor }
            return anchor + (((time - anchor) / step).rounded(.down) + 1) * step
        case .cron(let c): return c.next(after: time)
        }
    }

    /// For a table: `1d`, `30m`, `cron 0 6 * * 1`.
    public var short: String {
        switch self {
        case .every: return String(text.dropFirst("every=".count))
        case .cron(let c): return "cron " + c.text
        }
    }

    /// As a user writes it: `every=1d`, `cron="0 6 * * 1"`.
    public var text: String {
        switch self {
        case .every(let s):
            for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600)] where s % size == 0 { return "every=\(s / size)\(unit)" }
            return "every=\(s / 60)m"
        case .cron(let c): return "cron=\"\(c.text)\""
        }
    }
}

/// A five-field cron expression (minute, hour, day of month, month, day of week; Sunday is 0 or 7), with `*`,
/// lists, ranges and steps. As in cron, when both days are restricted a time matches either one.
public struct CronExpression: Codable, Hashable, Sendable {
    public var text: String
    var minutes, hours, days, months, weekdays: Set<Int>
    var daysRestricted, weekdaysRestricted: Bool

    public init(_ text: String) throws {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else {
            throw PetalError("cron=\"\(text)\" has \(fields.count) field\(fields.count == 1 ? "" : "s"); cron takes five",
                            hint: "minute hour day-of-month month day-of-week, e.g. cron=\"0 6 * * *\" (06:00 UTC daily)")
        }
        self.text = fields.joined(separator: " ")
        minutes = try Self.field(fields[0], 0...59, "minute")
        hours = try Self.field(fields[1], 0...23, "hour")
        days = try Self.field(fields[2], 1...31, "day of month")
        months = try Self.field(fields[3], 1...12, "month")
        weekdays = Set(try Self.field(fields[4], 0...7, "day of week").map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    static func field(_ text: String, _ range: ClosedRange<Int>, _ name: String) throws -> Set<Int> {
        var out = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bad = PetalError("cron \(name) \"\(part)\" is not a value from \(range.lowerBound) to \(range.upperBound), a range a-b, * or a step */n")
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw bad }
            var step = 1
            if pieces.count == 2 { guard let s = Int(pieces[1]), s > 0 else { throw bad }; step = s }
            var low = range.lowerBound, high = range.upperBound
            if pieces[0] != "*" {
                let ends = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2, let a = Int(ends[0]), let b = ends.count == 2 ? Int(ends[1]) : (pieces.count == 2 ? range.upperBound : a) else { throw bad }
                low = a; high = b
            }
            guard range.contains(low), range.contains(high), low <= high else { throw bad }
            out.formUnion(stride(from: low, through: high, by: step))
        }
        return out
    }

    /// The first whole minute after `time` that matches (searching up to eight years ahead, then `time` + 8 years).
    public func next(after time: Double) -> Double {
        var minute = Int64((time / 60).rounded(.down)) + 1
        let limit = minute + 8 * 366 * 1_440
        while minute < limit {
            let dayNumber = minute >= 0 ? minute / 1_440 : (minute - 1_439) / 1_440
            let (_, month, day) = CivilDate.civil(fromDays: dayNumber)
            let weekday = Int(((dayNumber % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
            let dayMatches: Bool
            switch (daysRestricted, weekdaysRestricted) {
            case (true, true): dayMatches = days.contains(Int(day)) || weekdays.contains(weekday)
            case (true, false): dayMatches = days.contains(Int(day))
            case (false, true): dayMatches = weekdays.contains(weekday)
            case (false, false): dayMatches = true
            }
            guard months.contains(Int(month)), dayMatches else { minute = (dayNumber + 1) * 1_440; continue }
            let m = Int(minute - dayNumber * 1_440)
            if hours.contains(m / 60) && minutes.contains(m % 60) { return Double(minute) * 60 }
            minute += 1
        }
        return time + 8 * 366 * 86_400
    }
}
