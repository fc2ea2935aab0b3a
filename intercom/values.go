package intercom

import (
	"strconv"
	"time"
)

// Instant is a moment in Unix seconds that a source may lack. The zero value is
// "not stated", which is not the same as the Unix epoch.
type Instant struct {
	Unix  int64
	Valid bool
}

// At returns the Instant for a Unix second.
func At(unix int64) Instant { return Instant{Unix: unix, Valid: true} }

// AtTime returns the Instant for t, truncated to the second.
func AtTime(t time.Time) Instant { return At(t.Unix()) }

// Time returns the instant as a UTC time.Time; the zero time when unset.
func (i Instant) Time() time.Time {
	if !i.Valid {
		return time.Time{}
	}
	return time.Unix(i.Unix, 0).UTC()
}

// Before reports whether both are set and i is strictly earlier than j.
func (i Instant) Before(j Instant) bool { return i.Valid && j.Valid && i.Unix < j.Unix }

// String is RFC 3339 in UTC, or "" when unset.
func (i Instant) String() string {
	if !i.Valid {
		return ""
	}
	return i.Time().Format(time.RFC3339)
}

// Seconds is a duration in whole seconds that a source may lack.
type Seconds struct {
	N     int64
	Valid bool
}

// MaxDurationSeconds bounds every duration icrecon reads, from any source:
// 10^12 seconds is over 30,000 years, far past any conversation, and well
// inside what sums and medians of them can hold. A value past it is a typo
// or a broken file, and reading it as a number would overflow later.
const MaxDurationSeconds = 1e12

// Secs returns a set Seconds.
func Secs(n int64) Seconds { return Seconds{N: n, Valid: true} }

// String is the number of seconds, or "" when unset.
func (s Seconds) String() string {
	if !s.Valid {
		return ""
	}
	return strconv.FormatInt(s.N, 10)
}

// Count is a number of things that a source may lack.
type Count struct {
	N     int
	Valid bool
}

// CountOf returns a set Count.
func CountOf(n int) Count { return Count{N: n, Valid: true} }

// String is the count, or "" when unset.
func (c Count) String() string {
	if !c.Valid {
		return ""
	}
	return strconv.Itoa(c.N)
}
