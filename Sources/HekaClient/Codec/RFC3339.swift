/// RFC 3339 UTC timestamps, computed from the integer nanoseconds exactly (no floating
/// point, no formatter): `2014-05-13T16:53:20.012000000Z`.
///
/// The package's one writer of such text: the JSON-lines form and `heka cat` write
/// nanoseconds, Sentry events whole seconds, through the same code. Any time an `Int64` of
/// nanoseconds holds (1677 to 2262) is written; times before 1970 too.
package enum RFC3339 {
    /// How many digits of the second's fraction are written. The fraction is cut, not
    /// rounded, so a time is written in the second (or millisecond...) that holds it.
    package struct Precision: Sendable, Hashable {
        /// Digits after the decimal point, 0 to 9.
        package let digits: Int

        /// `2014-05-13T16:53:20Z`: no fraction, no decimal point (Sentry's `timestamp`).
        package static var seconds: Precision { Precision(digits: 0) }
        /// `2014-05-13T16:53:20.012Z`.
        package static var milliseconds: Precision { Precision(digits: 3) }
        /// `2014-05-13T16:53:20.012000Z`.
        package static var microseconds: Precision { Precision(digits: 6) }
        /// `2014-05-13T16:53:20.012000000Z`: all of a Heka timestamp (the JSON-lines `time`).
        package static var nanoseconds: Precision { Precision(digits: 9) }
    }

    package static func format(nanoseconds: Int64, precision: Precision = .nanoseconds) -> String {
        var out: [UInt8] = []
        write(nanoseconds: nanoseconds, precision: precision, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the timestamp's text, digit by digit.
    package static func write(nanoseconds: Int64, precision: Precision = .nanoseconds, to out: inout [UInt8]) {
        let (seconds, nanos) = floorDivide(nanoseconds, 1_000_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        /// At least `width` digits of a part that is never negative, zero-padded.
        func pad(_ value: Int64, _ width: Int, then separator: Unicode.Scalar) {
            let magnitude = value.magnitude
            var scale: UInt64 = 1
            for _ in 1..<width { scale *= 10 }
            while scale * 10 <= magnitude { scale *= 10 }
            while scale > 0 {
                out.append(UInt8(ascii: "0") + UInt8(magnitude / scale % 10))
                scale /= 10
            }
            out.append(UInt8(ascii: separator))
        }
        pad(year, 4, then: "-")
        pad(month, 2, then: "-")
        pad(day, 2, then: "T")
        pad(secondOfDay / 3600, 2, then: ":")
        pad(secondOfDay / 60 % 60, 2, then: ":")
        guard precision.digits > 0 else {
            pad(secondOfDay % 60, 2, then: "Z")
            return
        }
        pad(secondOfDay % 60, 2, then: ".")
        var cut = nanos
        for _ in precision.digits..<9 { cut /= 10 }
        pad(cut, precision.digits, then: "Z")
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Year, month, day of a count of days since 1970-01-01 in the proleptic Gregorian
    /// calendar (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
