//! Analysis settings: which rules run, at what severity, with which parameters, and the
//! date that date-based rules compare against.

use crate::diagnostic::Severity;
use std::collections::BTreeMap;

/// A calendar date (proleptic Gregorian), as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub i64);

impl Date {
    /// Parses `YYYY-MM-DD`, or the date part of an RFC 3339 timestamp.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let d = s.get(..10)?;
        if s.len() > 10 && !matches!(s.as_bytes()[10], b'T' | b't' | b' ') {
            return None;
        }
        let b = d.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y: i64 = d[..4].parse().ok()?;
        let m: i64 = d[5..7].parse().ok()?;
        let day: i64 = d[8..10].parse().ok()?;
        if !(1..=12).contains(&m) || day < 1 || day > days_in_month(y, m) {
            return None;
        }
        Some(Date(days_from_civil(y, m, day)))
    }

    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date(secs.div_euclid(86_400))
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Which rules run, and where: `recommended` runs the rules that state AWS facts
/// everywhere and the policy rules only where the tree shows that policy; `strict` is the
/// regulated policy, every rule everywhere with its policy parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    #[default]
    Recommended,
    Strict,
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::Recommended, Profile::Strict];

    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "recommended" => Some(Profile::Recommended),
            "strict" => Some(Profile::Strict),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Recommended => "recommended",
            Profile::Strict => "strict",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub today: Date,
    pub profile: Profile,
    /// Rules switched on explicitly (including those off by default).
    pub select: Vec<String>,
    /// Rules switched off.
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    /// Rule parameters by rule id (`[rules.KMS003]` in the configuration file), over the
    /// defaults of the rule's document (see `rules::params`).
    pub params: BTreeMap<String, toml::Table>,
    /// The lowest severity that makes the exit status 1.
    pub fail_on: Severity,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            today: Date::today(),
            profile: Profile::default(),
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            params: BTreeMap::new(),
            fail_on: Severity::Note,
        }
    }
}

impl Settings {
    pub fn severity_override(&self, id: &str) -> Option<Severity> {
        self.severity.get(id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_and_count_days() {
        assert_eq!(Date::parse("1970-01-01"), Some(Date(0)));
        assert_eq!(
            Date::parse("2024-03-01").unwrap().0 - Date::parse("2024-02-28").unwrap().0,
            2
        );
        assert_eq!(
            Date::parse("2026-03-01T10:00:00Z"),
            Date::parse("2026-03-01")
        );
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("next week"), None);
    }
}
