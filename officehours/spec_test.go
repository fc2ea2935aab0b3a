package officehours

import (
	"testing"
	"time"
)

func hm(h, m int) int { return h*60 + m }

func TestParseWeek(t *testing.T) {
	nineToFive := []Interval{{hm(9, 0), hm(17, 0)}}
	tests := []struct {
		name, spec string
		canonical  string
		week       *Week // checked when set
	}{
		{"weekdays and Saturday", "Mon-Fri 09:00-17:00; Sat 10:00-14:00", "Mon-Fri 09:00-17:00; Sat 10:00-14:00",
			&Week{1: nineToFive, 2: nineToFive, 3: nineToFive, 4: nineToFive, 5: nineToFive, 6: {{hm(10, 0), hm(14, 0)}}}},
		{"lunch break", "weekdays 09:00-12:00 13:00-17:30", "Mon-Fri 09:00-12:00, 13:00-17:30", nil},
		{"lists and several ranges", "Mon,Wed 08:00-16:00; Tue 10:00-14:00, 15:00-18:00",
			"Mon 08:00-16:00; Tue 10:00-14:00, 15:00-18:00; Wed 08:00-16:00", nil},
		{"all hours", "24/7", "24/7", nil},
		{"all hours with spaces", "  24/7 ", "24/7", nil},
		{"all hours spelled out", "daily 00:00-24:00", "24/7", nil},
		{"daily", "daily 09:00-17:00", "daily 09:00-17:00", &Week{nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, nineToFive}},
		{"weekends", "weekends 10:00-14:00", "Sat-Sun 10:00-14:00", nil},
		{"wrapping range", "Fri-Mon 09:00-17:00", "Mon 09:00-17:00; Fri-Sun 09:00-17:00", nil},
		{"range of one day", "Wed-Wed 09:00-17:00", "Wed 09:00-17:00", nil},
		{"later clauses add", "Mon-Fri 09:00-17:00; Wed 16:00-20:00", "Mon-Tue 09:00-17:00; Wed 09:00-20:00; Thu-Fri 09:00-17:00", nil},
		{"overlaps merge", "Mon 09:00-12:00, 11:00-13:00, 13:00-14:00", "Mon 09:00-14:00", nil},
		{"case and long names", "MONDAY-friday 09:00-17:00; SAT 10:00-11:00", "Mon-Fri 09:00-17:00; Sat 10:00-11:00", nil},
		{"abbreviations", "tues,thurs 09:00-10:00; weds 11:00-12:00; thur 12:00-13:00", "Tue 09:00-10:00; Wed 11:00-12:00; Thu 09:00-10:00, 12:00-13:00", nil},
		{"loose whitespace", "  Mon - Fri\t09:00 - 17:00 ;  Sat  10:00-14:00  ", "Mon-Fri 09:00-17:00; Sat 10:00-14:00", nil},
		{"no space before the hours", "Mon-Fri09:00-17:00", "Mon-Fri 09:00-17:00", nil},
		{"spaces in a day list", "Mon , Wed 09:00-17:00", "Mon 09:00-17:00; Wed 09:00-17:00", nil},
		{"days separated by spaces", "Mon Wed 09:00-17:00", "Mon 09:00-17:00; Wed 09:00-17:00", nil},
		{"en dashes", "Mon–Fri 09:00–17:00", "Mon-Fri 09:00-17:00", nil},
		{"one-digit hours", "Mon 9:00-17:00", "Mon 09:00-17:00", nil},
		{"any minute", "Mon 09:07-17:53", "Mon 09:07-17:53", nil},
		{"trailing semicolon", "Mon 09:00-17:00;", "Mon 09:00-17:00", nil},
		{"comma after the days", "Mon, Tue, 09:00-17:00", "Mon-Tue 09:00-17:00", nil},
		{"end of day", "Sun 22:00-24:00", "Sun 22:00-24:00", nil},
		{"Sunday is last", "Sun,Mon 09:00-17:00", "Mon 09:00-17:00; Sun 09:00-17:00", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := ParseWeek(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if tc.week != nil && !weeksEqual(w, *tc.week) {
				t.Errorf("week = %v, want %v", w, *tc.week)
			}
			got := FormatWeek(w)
			if got != tc.canonical {
				t.Errorf("FormatWeek = %q, want %q", got, tc.canonical)
			}
			back, err := ParseWeek(got)
			if err != nil || !weeksEqual(back, w) {
				t.Errorf("the canonical form reads back as %v, %v; want %v", back, err, w)
			}
		})
	}
}

func TestParseWeekErrors(t *testing.T) {
	tests := []struct{ name, spec, want string }{
		{"hours without minutes", "Mon-Fri 9-17", `office hours "Mon-Fri 9-17": "9-17" is not a time range like 09:00-17:00`},
		{"misspelt day", "Mon-Fry 09:00-17:00", `office hours "Mon-Fry 09:00-17:00": "Fry" is not a day of the week`},
		{"overnight", "Mon 18:00-09:00", `office hours "Mon 18:00-09:00": "18:00-09:00" ends before it starts; write overnight hours as two ranges`},
		{"empty", "", `office hours: nothing was given; write them like "Mon-Fri 09:00-17:00"`},
		{"blank", "  \t ", `office hours: nothing was given; write them like "Mon-Fri 09:00-17:00"`},
		{"only semicolons", " ; ;", `office hours: nothing was given; write them like "Mon-Fri 09:00-17:00"`},
		{"no hours", "Mon-Fri", `office hours "Mon-Fri": "Mon-Fri" has no hours; write them after the days, like Mon-Fri 09:00-17:00`},
		{"no days", "09:00-17:00", `office hours "09:00-17:00": "09:00-17:00" does not say which days; put days such as Mon-Fri before the hours`},
		{"second clause has no days", "Mon 09:00-17:00; 10:00-12:00", `office hours "Mon 09:00-17:00; 10:00-12:00": "10:00-12:00" does not say which days; put days such as Mon-Fri before the hours`},
		{"two-letter day", "Mo 09:00-17:00", `office hours "Mo 09:00-17:00": "Mo" is not a day of the week`},
		{"range without an end", "Mon- 09:00-17:00", `office hours "Mon- 09:00-17:00": "Mon-" is not a range of days like Mon-Fri`},
		{"range of three", "Mon-Wed-Fri 09:00-17:00", `office hours "Mon-Wed-Fri 09:00-17:00": "Mon-Wed-Fri" is not a range of days like Mon-Fri`},
		{"range of groups", "weekdays-Sat 09:00-17:00", `office hours "weekdays-Sat 09:00-17:00": "weekdays" is not a day of the week`},
		{"only a comma", ", 09:00-17:00", `office hours ", 09:00-17:00": "," is not a day of the week`},
		{"missing semicolon", "Mon 09:00-12:00 Tue 13:00-17:00", `office hours "Mon 09:00-12:00 Tue 13:00-17:00": "Tue" is not a time range; separate days with ";", like Mon 09:00-17:00; Tue 10:00-14:00`},
		{"hour 25", "Mon 09:00-25:00", `office hours "Mon 09:00-25:00": "25:00" is not a time of day; use 00:00 to 24:00`},
		{"minute 60", "Mon 09:60-10:00", `office hours "Mon 09:60-10:00": "09:60" is not a time of day; use 00:00 to 24:00`},
		{"past 24:00", "Mon 09:00-24:30", `office hours "Mon 09:00-24:30": "24:30" is not a time of day; use 00:00 to 24:00`},
		{"starts at 24:00", "Mon 24:00-24:00", `office hours "Mon 24:00-24:00": "24:00-24:00" starts at 24:00; 24:00 can only end a range`},
		{"empty range", "Mon 09:00-09:00", `office hours "Mon 09:00-09:00": "09:00-09:00" is empty; a range must end after it starts`},
		{"single time", "Mon 09:00", `office hours "Mon 09:00": "09:00" is not a time range like 09:00-17:00`},
		{"three times", "Mon 09:00-12:00-13:00", `office hours "Mon 09:00-12:00-13:00": "09:00-12:00-13:00" is not a time range like 09:00-17:00`},
		{"am and pm", "Mon 9am-5pm", `office hours "Mon 9am-5pm": "9am-5pm" is not a time range like 09:00-17:00`},
		{"three-digit hour", "Mon 009:00-17:00", `office hours "Mon 009:00-17:00": "009:00-17:00" is not a time range like 09:00-17:00`},
		{"signed hour", "Mon +9:00-17:00", `office hours "Mon +9:00-17:00": "+" is not a day of the week`},
		{"24/7 in a clause", "Mon 24/7", `office hours "Mon 24/7": "24/7" is not a time range like 09:00-17:00`},
		{"24/7 beside other hours", "24/7; Mon 09:00-17:00", `office hours "24/7; Mon 09:00-17:00": "24/7" does not say which days; put days such as Mon-Fri before the hours`},
		{"closed is not a spec", "closed", `office hours "closed": "closed" has no hours; write them after the days, like Mon-Fri 09:00-17:00`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := ParseWeek(tc.spec)
			if err == nil {
				t.Fatalf("ParseWeek(%q) = %v, want an error", tc.spec, w)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

func TestParseWeekday(t *testing.T) {
	good := []struct {
		in   string
		want time.Weekday
	}{
		{"Mon", time.Monday}, {"monday", time.Monday}, {"MON", time.Monday},
		{"Tue", time.Tuesday}, {"tues", time.Tuesday}, {"Tuesday", time.Tuesday},
		{"wed", time.Wednesday}, {"weds", time.Wednesday}, {"Wednesday", time.Wednesday},
		{"thu", time.Thursday}, {"thur", time.Thursday}, {"thurs", time.Thursday},
		{"Fri", time.Friday}, {"sat", time.Saturday}, {"Sun", time.Sunday}, {" sunday ", time.Sunday},
	}
	for _, tc := range good {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseWeekday(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("ParseWeekday(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
	for _, in := range []string{"", "M", "Mo", "Mondays", "Fry", "daily", "weekdays", "t", "Thursdays", "1"} {
		t.Run("bad "+in, func(t *testing.T) {
			_, err := ParseWeekday(in)
			want := `"` + in + `" is not a day of the week`
			if err == nil || err.Error() != want {
				t.Errorf("error = %v, want %s", err, want)
			}
		})
	}
}

func TestParseIntervals(t *testing.T) {
	good := []struct {
		in   string
		want []Interval
	}{
		{"09:00-12:00, 13:00-17:00", []Interval{{hm(9, 0), hm(12, 0)}, {hm(13, 0), hm(17, 0)}}},
		{"09:00-12:00 13:00-17:00", []Interval{{hm(9, 0), hm(12, 0)}, {hm(13, 0), hm(17, 0)}}},
		{"13:00-17:00,09:00-12:00", []Interval{{hm(9, 0), hm(12, 0)}, {hm(13, 0), hm(17, 0)}}},
		{"09:00-12:00, 12:00-13:00", []Interval{{hm(9, 0), hm(13, 0)}}},
		{"00:00-24:00", []Interval{{0, 1440}}},
		{" 9:30 - 10:15 ", []Interval{{hm(9, 30), hm(10, 15)}}},
	}
	for _, tc := range good {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseIntervals(tc.in)
			if err != nil || !weeksEqual(Week{got}, Week{tc.want}) {
				t.Errorf("ParseIntervals = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	bad := []struct{ in, want string }{
		{"", `office hours "": no hours were given; write them like 09:00-17:00`},
		{" , ", `office hours " , ": no hours were given; write them like 09:00-17:00`},
		{"18:00-09:00", `office hours "18:00-09:00": "18:00-09:00" ends before it starts; write overnight hours as two ranges`},
		{"9-17", `office hours "9-17": "9-17" is not a time range like 09:00-17:00`},
		{"09:00-17:00; 18:00-19:00", `office hours "09:00-17:00; 18:00-19:00": "09:00-17:00;" is not a time range like 09:00-17:00`},
	}
	for _, tc := range bad {
		t.Run("bad "+tc.in, func(t *testing.T) {
			_, err := ParseIntervals(tc.in)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error:\n got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestFormatWeek(t *testing.T) {
	nine := []Interval{{hm(9, 0), hm(17, 0)}}
	tests := []struct {
		name string
		week Week
		want string
	}{
		{"empty week", Week{}, "closed"},
		{"all hours", allWeek(), "24/7"},
		{"unsorted and overlapping", Week{time.Monday: {{hm(13, 0), hm(17, 0)}, {hm(9, 0), hm(13, 30)}}}, "Mon 09:00-17:00"},
		{"Sunday only", Week{time.Sunday: nine}, "Sun 09:00-17:00"},
		{"gap in the middle", Week{1: nine, 2: nine, 4: nine, 5: nine}, "Mon-Tue 09:00-17:00; Thu-Fri 09:00-17:00"},
		{"every day but different", Week{0: nine, 1: nine, 2: nine, 3: nine, 4: nine, 5: nine, 6: {{0, 60}}}, "Mon-Fri 09:00-17:00; Sat 00:00-01:00; Sun 09:00-17:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatWeek(tc.week); got != tc.want {
				t.Errorf("FormatWeek = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSpecRoundTripsThroughNew(t *testing.T) {
	for _, spec := range []string{"Mon-Fri 09:00-17:00; Sat 10:00-14:00", "24/7", "daily 08:30-20:00", "Tue 00:00-24:00; Thu 12:00-13:00"} {
		t.Run(spec, func(t *testing.T) {
			s := schedule(t, "UTC", spec)
			if s.Spec() != spec {
				t.Errorf("Spec = %q, want %q", s.Spec(), spec)
			}
		})
	}
}
