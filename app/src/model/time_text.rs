//! Timestamps as people read them (UTC on the server-rendered page).

/// `2026-11-24 08:05 UTC` for Unix milliseconds.
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// ISO 8601 for `<time datetime>`.
pub fn iso_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// `2026-11-24 09:05` for Unix milliseconds, `offset_min` minutes east of UTC: what the
/// viewer's clock read then.
pub fn format_local(ms: i64, offset_min: i64) -> String {
    let (y, m, d, hh, mm) = civil(ms, offset_min);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
}

/// Month abbreviations, January first.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// How long ago `ms` was at `now`, as a list reads it: "just now", "3 min", "5 hr",
/// "yesterday", "28 Nov", "28 Nov 2025". Calendar days are the viewer's
/// (`offset_of(ms)` minutes east of UTC at each instant).
pub fn relative(ms: i64, now: i64, offset_of: impl Fn(i64) -> i64) -> String {
    let ago = now - ms;
    if ago < 60_000 {
        return "just now".to_string();
    }
    if ago < 3_600_000 {
        return format!("{} min", ago / 60_000);
    }
    let day = |t: i64| (t + offset_of(t) * 60_000).div_euclid(86_400_000);
    let (then_day, today) = (day(ms), day(now));
    if then_day == today {
        return format!("{} hr", ago / 3_600_000);
    }
    if then_day == today - 1 {
        return "yesterday".to_string();
    }
    let (y, m, d, ..) = civil(ms, offset_of(ms));
    let (this_year, ..) = civil(now, offset_of(now));
    let month = MONTHS[(m as usize).saturating_sub(1) % 12];
    if y == this_year {
        format!("{d} {month}")
    } else {
        format!("{d} {month} {y}")
    }
}

/// The date and time fields of `ms` at `offset_min` minutes east of UTC.
fn civil(ms: i64, offset_min: i64) -> (i64, u32, u32, i64, i64) {
    let secs = (ms + offset_min * 60_000).div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    (y, m, d, rem / 3600, (rem % 3600) / 60)
}

// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants_format_correctly() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_795_939_500_000), "2026-11-29 08:05 UTC");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(format_local(1_795_939_500_000, 90), "2026-11-29 09:35");
        assert_eq!(format_local(1_795_939_500_000, -600), "2026-11-28 22:05");
    }

    #[test]
    fn relative_times_follow_the_viewers_days() {
        let now = 1_795_939_500_000; // 2026-11-29 08:05 UTC
        let utc = |_| 0;
        assert_eq!(relative(now - 20_000, now, utc), "just now");
        assert_eq!(relative(now - 3 * 60_000, now, utc), "3 min");
        assert_eq!(relative(now - 5 * 3_600_000, now, utc), "5 hr");
        assert_eq!(relative(now - 9 * 3_600_000, now, utc), "yesterday");
        // In Tokyo (UTC+9) both instants fall on the 29th.
        assert_eq!(relative(now - 9 * 3_600_000, now, |_| 540), "9 hr");
        assert_eq!(relative(now - 5 * 86_400_000, now, utc), "24 Nov");
        assert_eq!(relative(now - 400 * 86_400_000, now, utc), "25 Oct 2025");
    }
}
