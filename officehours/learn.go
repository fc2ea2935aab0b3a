package officehours

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// Sample is a span with the office-hours seconds a source states for it:
// a conversation's time to first reply, say, as Intercom computed it.
type Sample struct {
	From, To int64 // Unix seconds
	Office   int64 // the seconds of [From, To) the source counts as office hours
}

// Learned is the weekly schedule and zone that best reproduce a set of
// samples.
type Learned struct {
	Schedule   *Schedule
	Reproduced int // samples whose office seconds the schedule gives (within a second)
	Compared   int
	// Unobserved counts the half hours of the week no sample decided;
	// they are taken as closed.
	Unobserved int
	// SameFit lists other zones whose best schedule reproduces as many
	// samples: the data cannot tell them apart (often zones with the same
	// offsets all year).
	SameFit []string
	// RunnerUp is the best schedule in another zone that reproduces fewer,
	// for the report; nil when there is none.
	RunnerUp *Schedule
	// RunnerUpReproduced is how many samples RunnerUp reproduces.
	RunnerUpReproduced int
}

// Reproduces counts the samples whose office seconds s gives, within a
// second (Intercom rounds each duration to whole seconds).
func Reproduces(s *Schedule, samples []Sample) int {
	n := 0
	for _, x := range samples {
		if d := s.Seconds(x.From, x.To) - x.Office; d >= -1 && d <= 1 {
			n++
		}
	}
	return n
}

// Learning settings.
const (
	// maxSampleSpan drops samples longer than two weeks: a duration over
	// many weeks says little about any one half hour.
	maxSampleSpan = 14 * 86400
	// screenSamples are the samples every candidate zone is tried on before
	// the best few are fitted on all of them.
	screenSamples = 600
	finalists     = 4
)

// Learn finds the zone and weekly schedule (half hours per weekday, an
// interval may end at 23:59) under which the samples' office seconds are
// reproduced. hints are the zones to prefer when several fit as well (the
// workspace's, the export's); every zone of CandidateZones is tried too.
// It returns nil when there are no usable samples.
func Learn(samples []Sample, hints []*time.Location) *Learned {
	usable := make([]Sample, 0, len(samples))
	for _, x := range samples {
		if x.To > x.From && x.To-x.From <= maxSampleSpan && x.Office >= 0 && x.Office <= x.To-x.From+1 {
			usable = append(usable, x)
		}
	}
	if len(usable) == 0 {
		return nil
	}
	zones := candidateZones(hints)
	// The zone is screened on the shortest samples: they place the open
	// hours in the day and cost least to lay out.
	screen := slices.Clone(usable)
	slices.SortStableFunc(screen, func(a, b Sample) int { return cmp.Compare(a.To-a.From, b.To-b.From) })
	screen = screen[:min(len(screen), screenSamples)]
	var fits []fit
	for i, z := range zones {
		week, unobserved, reproduced := fitWeek(z, screen, false)
		fits = append(fits, fit{zone: z, week: week, unobserved: unobserved, reproduced: reproduced, rank: i})
	}
	sort.SliceStable(fits, func(i, j int) bool { return better(fits[i], fits[j]) })
	fits = fits[:min(len(fits), finalists)]
	for i := range fits {
		fits[i].week, fits[i].unobserved, _ = fitWeek(fits[i].zone, usable, true)
		fits[i].reproduced = Reproduces(newSchedule(fits[i].zone, fits[i].week, nil), usable)
	}
	sort.SliceStable(fits, func(i, j int) bool { return better(fits[i], fits[j]) })
	best := fits[0]
	week := normalizeWeek(best.week)
	closed := closedDays(best.zone, week, usable)
	schedule := newSchedule(best.zone, week, closed)
	out := &Learned{Schedule: schedule, Reproduced: Reproduces(schedule, usable), Compared: len(usable), Unobserved: best.unobserved}
	for _, f := range fits[1:] {
		switch {
		case f.reproduced == best.reproduced && FormatWeek(f.week) == FormatWeek(best.week):
			out.SameFit = append(out.SameFit, f.zone.String())
		case out.RunnerUp == nil:
			out.RunnerUp, out.RunnerUpReproduced = newSchedule(f.zone, normalizeWeek(f.week), nil), f.reproduced
		}
	}
	return out
}

// closedDays finds the holidays: days the week has hours on, whose closing
// makes at least two more of the samples that cross them reproduce.
func closedDays(zone *time.Location, week Week, samples []Sample) []Date {
	byDay := map[Date][]Sample{}
	for _, x := range samples {
		t := time.Unix(x.From, 0).In(zone)
		for day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, zone); day.Unix() < x.To; day = day.AddDate(0, 0, 1) {
			if len(week[day.Weekday()]) > 0 {
				d := Date{day.Year(), day.Month(), day.Day()}
				byDay[d] = append(byDay[d], x)
			}
		}
	}
	open := newSchedule(zone, week, nil)
	var closed []Date
	for d, xs := range byDay {
		without := newSchedule(zone, week, []Date{d})
		if Reproduces(without, xs) >= Reproduces(open, xs)+2 {
			closed = append(closed, d)
		}
	}
	slices.SortFunc(closed, compareDates)
	return closed
}

// offCentre is how far, in whole hours, the week's open minutes are
// centred from 13:00, the middle of a working day; 0 for a week open all
// day or not at all.
func offCentre(w Week) int {
	var minutes, weighted int
	for _, ivs := range w {
		for _, iv := range ivs {
			minutes += iv.End - iv.Start
			weighted += (iv.End - iv.Start) * (iv.Start + iv.End) / 2
		}
	}
	if minutes == 0 {
		return 0
	}
	d := weighted/minutes - 13*60
	if d < 0 {
		d = -d
	}
	return (d + 30) / 60
}

// fit is a zone's best week and how well it does.
type fit struct {
	zone       *time.Location
	week       Week
	unobserved int
	reproduced int
	rank       int // position among the candidates: hints first
}

// better: more reproduced. Among equals — the same week shifted into a zone
// whose clocks change on the same days — the one whose open hours sit
// nearest the middle of a working day, then the simpler week, then the
// hints' order.
func better(a, b fit) bool {
	if a.reproduced != b.reproduced {
		return a.reproduced > b.reproduced
	}
	if da, db := offCentre(a.week), offCentre(b.week); da != db {
		return da < db
	}
	if ia, ib := intervalCount(a.week), intervalCount(b.week); ia != ib {
		return ia < ib
	}
	return a.rank < b.rank
}

func intervalCount(w Week) int {
	n := 0
	for _, ivs := range normalizeWeek(w) {
		n += len(ivs)
	}
	return n
}

// The week is fitted in slots: each day's 48 half hours, the last one split
// into 23:30–23:59 and the minute before midnight, so a day that ends at
// 23:59 is one of the schedules the fit can find.
const (
	slotsPerDay = 49
	numSlots    = 7 * slotsPerDay
)

// slotBounds are the slots' starts in minutes from midnight, and the end.
var slotBounds = func() [slotsPerDay + 1]int {
	var b [slotsPerDay + 1]int
	for k := 0; k < 48; k++ {
		b[k] = 30 * k
	}
	b[48], b[49] = 1439, 1440
	return b
}()

// piece is the seconds a sample spends in one slot of the week.
type piece struct {
	slot    uint16
	seconds int32
}

// slotPieces lays samples out over the week's slots in a zone.
type slotPieces struct {
	zone *time.Location
	days map[[3]int][slotsPerDay + 1]int64 // local date → the slots' bounds as instants
}

func (sp *slotPieces) of(x Sample) []piece {
	var out []piece
	t := time.Unix(x.From, 0).In(sp.zone)
	y, m, d := t.Date()
	for day := time.Date(y, m, d, 0, 0, 0, 0, sp.zone); day.Unix() < x.To; day = day.AddDate(0, 0, 1) {
		bounds := sp.bounds(day)
		base := int(day.Weekday()) * slotsPerDay
		for k := 0; k < slotsPerDay; k++ {
			lo, hi := max(bounds[k], x.From), min(bounds[k+1], x.To)
			if hi > lo {
				out = append(out, piece{uint16(base + k), int32(hi - lo)})
			}
		}
	}
	return out
}

func (sp *slotPieces) bounds(day time.Time) [slotsPerDay + 1]int64 {
	y, m, d := day.Date()
	key := [3]int{y, int(m), d}
	if b, ok := sp.days[key]; ok {
		return b
	}
	var b [slotsPerDay + 1]int64
	for k, minute := range slotBounds {
		b[k] = time.Date(y, m, d, 0, minute, 0, 0, sp.zone).Unix()
	}
	sp.days[key] = b
	return b
}

// slot states while fitting.
const (
	unknown = iota
	open
	closed
)

// fitWeek finds each slot's state from the samples by votes: a sample that
// leaves one slot undecided says whether that slot is open (its seconds are
// all office time) or closed (none are); decided slots let longer samples
// decide more. Undecided slots are closed. When polishing, a last pass
// flips any slot whose flip reproduces more samples. It returns the week,
// the slots no sample touched, and how many samples the week reproduces by
// the slots' arithmetic.
func fitWeek(zone *time.Location, samples []Sample, polish bool) (Week, int, int) {
	sp := slotPieces{zone: zone, days: map[[3]int][slotsPerDay + 1]int64{}}
	pieces := make([][]piece, len(samples))
	bySlot := make([][]touch, numSlots) // the samples touching each slot
	for i, x := range samples {
		pieces[i] = sp.of(x)
		for _, p := range pieces[i] {
			if n := len(bySlot[p.slot]); n > 0 && bySlot[p.slot][n-1].sample == int32(i) {
				bySlot[p.slot][n-1].seconds += int64(p.seconds) // the same slot a week later
				continue
			}
			bySlot[p.slot] = append(bySlot[p.slot], touch{int32(i), int64(p.seconds)})
		}
	}
	var state [numSlots]uint8
	for round := 0; round < 12; round++ {
		var votes [numSlots][2]int // open, closed
		for i, x := range samples {
			voteOn(pieces[i], x.Office, &state, &votes)
		}
		changed := false
		for s := range state {
			if state[s] != unknown {
				continue
			}
			switch o, c := votes[s][0], votes[s][1]; {
			case o > c:
				state[s], changed = open, true
			case c > o:
				state[s], changed = closed, true
			}
		}
		if !changed {
			break
		}
	}
	unobserved := 0
	for s := range state {
		if state[s] == unknown {
			state[s] = closed
			if len(bySlot[s]) == 0 {
				unobserved++
			}
		}
	}
	predicted := predict(&state, samples, pieces)
	descend(&state, samples, predicted, bySlot)
	if polish {
		improve(&state, samples, predicted, bySlot)
		copyDays(&state, samples, predicted, bySlot)
		improve(&state, samples, predicted, bySlot)
	}
	reproduced := 0
	for i := range samples {
		if fits(samples[i], predicted[i]) {
			reproduced++
		}
	}
	return normalizeWeek(weekOf(&state)), unobserved, reproduced
}

// touch is a sample's seconds in one slot (over all the weeks it spans).
type touch struct {
	sample  int32
	seconds int64
}

// predict is each sample's office seconds under the slots' states.
func predict(state *[numSlots]uint8, samples []Sample, pieces [][]piece) []int64 {
	predicted := make([]int64, len(samples))
	for i := range samples {
		for _, p := range pieces[i] {
			if state[p.slot] == open {
				predicted[i] += int64(p.seconds)
			}
		}
	}
	return predicted
}

// fits: within a second of what the sample states.
func fits(x Sample, predicted int64) bool {
	d := predicted - x.Office
	return d >= -1 && d <= 1
}

// voteOn lets one sample vote on its undecided slots: when the seconds it
// states are all accounted for by the decided ones, its undecided slots are
// closed; when they need every undecided second, they are open.
func voteOn(ps []piece, office int64, state *[numSlots]uint8, votes *[numSlots][2]int) {
	var known, undecided int64
	for _, p := range ps {
		switch state[p.slot] {
		case open:
			known += int64(p.seconds)
		case unknown:
			undecided += int64(p.seconds)
		}
	}
	if undecided == 0 {
		return
	}
	rest := office - known
	var vote int
	switch {
	case rest >= -1 && rest <= 1:
		vote = 1 // closed
	case rest-undecided >= -1 && rest-undecided <= 1:
		vote = 0 // open
	default:
		return
	}
	for _, p := range ps {
		if state[p.slot] == unknown && p.seconds > 1 {
			votes[p.slot][vote]++
		}
	}
}

// descend flips single slots while a flip brings the predicted seconds
// nearer what the samples state (each sample's error relative to its
// length, so a week-long close does not drown the short replies that place
// the hours): votes only decide slots a sample pins down exactly, and most
// spans cross open and closed hours alike.
func descend(state *[numSlots]uint8, samples []Sample, predicted []int64, bySlot [][]touch) {
	flipWhileBetter(state, predicted, bySlot, 20, func(t touch, change int64) float64 {
		x := samples[t.sample]
		e := predicted[t.sample] - x.Office
		return float64(abs64(e)-abs64(e+change)) / float64(x.To-x.From)
	})
}

// improve flips single slots while a flip reproduces more samples.
func improve(state *[numSlots]uint8, samples []Sample, predicted []int64, bySlot [][]touch) {
	flipWhileBetter(state, predicted, bySlot, 3, func(t touch, change int64) float64 {
		x, p := samples[t.sample], predicted[t.sample]
		gain := 0.0
		if fits(x, p+change) {
			gain++
		}
		if fits(x, p) {
			gain--
		}
		return gain
	})
}

// flipWhileBetter sweeps the slots up to sweeps times, flipping each slot
// whose flip has a positive total gain over the samples it touches (gain is
// told how the flip changes one sample's predicted seconds), and keeps
// predicted up to date; it stops at a sweep that flips nothing.
func flipWhileBetter(state *[numSlots]uint8, predicted []int64, bySlot [][]touch, sweeps int, gain func(t touch, change int64) float64) {
	for sweep := 0; sweep < sweeps; sweep++ {
		improved := false
		for s := range state {
			sign := int64(1)
			if state[s] == open {
				sign = -1
			}
			total := 0.0
			for _, t := range bySlot[s] {
				total += gain(t, sign*t.seconds)
			}
			if total <= 1e-9 {
				continue
			}
			for _, t := range bySlot[s] {
				predicted[t.sample] += sign * t.seconds
			}
			state[s] = flip(state[s])
			improved = true
		}
		if !improved {
			return
		}
	}
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// copyDays gives a day another day's hours, or none, when that reproduces
// more samples: a day few short spans cover (the customers' night) is
// fitted poorly slot by slot, while office hours repeat from day to day.
func copyDays(state *[numSlots]uint8, samples []Sample, predicted []int64, bySlot [][]touch) {
	for day := 0; day < 7; day++ {
		bestGain, bestFrom := 0, -1
		for from := -1; from < 7; from++ { // -1: closed all day
			if from == day {
				continue
			}
			if gain := dayGain(state, day, from, samples, predicted, bySlot); gain > bestGain {
				bestGain, bestFrom = gain, from
			}
		}
		if bestGain == 0 {
			continue
		}
		forDayChange(state, day, bestFrom, bySlot, func(t touch, change int64) {
			predicted[t.sample] += change
		})
		for k := 0; k < slotsPerDay; k++ {
			state[day*slotsPerDay+k] = dayState(state, bestFrom, k)
		}
	}
}

// forDayChange calls change for every sample a slot of day touches, with
// how its predicted seconds change when day takes from's hours (from < 0:
// closed all day).
func forDayChange(state *[numSlots]uint8, day, from int, bySlot [][]touch, change func(t touch, seconds int64)) {
	for k := 0; k < slotsPerDay; k++ {
		s := day*slotsPerDay + k
		if state[s] == dayState(state, from, k) {
			continue
		}
		sign := int64(1)
		if state[s] == open {
			sign = -1
		}
		for _, t := range bySlot[s] {
			change(t, sign*t.seconds)
		}
	}
}

func dayState(state *[numSlots]uint8, from, k int) uint8 {
	if from < 0 {
		return closed
	}
	return state[from*slotsPerDay+k]
}

// dayGain is how many more samples reproduce when day takes from's hours.
func dayGain(state *[numSlots]uint8, day, from int, samples []Sample, predicted []int64, bySlot [][]touch) int {
	delta := map[int32]int64{}
	forDayChange(state, day, from, bySlot, func(t touch, change int64) {
		delta[t.sample] += change
	})
	gain := 0
	for i, d := range delta {
		x, p := samples[i], predicted[i]
		if fits(x, p+d) {
			gain++
		}
		if fits(x, p) {
			gain--
		}
	}
	return gain
}

func flip(state uint8) uint8 {
	if state == open {
		return closed
	}
	return open
}

// weekOf turns open slots into each day's intervals.
func weekOf(state *[numSlots]uint8) Week {
	var w Week
	for day := 0; day < 7; day++ {
		var ivs []Interval
		for k := 0; k < slotsPerDay; k++ {
			if state[day*slotsPerDay+k] != open {
				continue
			}
			start, end := slotBounds[k], slotBounds[k+1]
			if n := len(ivs); n > 0 && ivs[n-1].End == start {
				ivs[n-1].End = end
				continue
			}
			ivs = append(ivs, Interval{start, end})
		}
		w[day] = ivs
	}
	return w
}

// candidateZones are the hints, then one zone for each way the world's
// clocks run (offset and daylight-saving rule), de-duplicated.
func candidateZones(hints []*time.Location) []*time.Location {
	var out []*time.Location
	seen := map[string]bool{}
	add := func(z *time.Location) {
		if z != nil && !seen[z.String()] {
			seen[z.String()] = true
			out = append(out, z)
		}
	}
	for _, h := range hints {
		add(h)
	}
	for _, name := range CandidateZones {
		if z, err := time.LoadLocation(name); err == nil {
			add(z)
		}
	}
	return out
}

// CandidateZones cover the offsets and daylight-saving rules in use: a
// workspace's office hours are tried in each.
var CandidateZones = []string{
	"UTC",
	"Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Vancouver", "America/Phoenix",
	"America/Denver", "America/Chicago", "America/Mexico_City", "America/New_York", "America/Toronto",
	"America/Bogota", "America/Lima", "America/Caracas", "America/Halifax", "America/Santiago",
	"America/St_Johns", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "Atlantic/Azores",
	"Atlantic/Cape_Verde", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Africa/Lagos",
	"Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Amsterdam", "Europe/Stockholm",
	"Europe/Athens", "Europe/Helsinki", "Europe/Kyiv", "Africa/Cairo", "Africa/Johannesburg",
	"Asia/Jerusalem", "Europe/Istanbul", "Europe/Moscow", "Asia/Riyadh", "Africa/Nairobi",
	"Asia/Tehran", "Asia/Dubai", "Asia/Kabul", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu",
	"Asia/Dhaka", "Asia/Yangon", "Asia/Bangkok", "Asia/Jakarta", "Asia/Singapore", "Asia/Shanghai",
	"Asia/Hong_Kong", "Asia/Manila", "Australia/Perth", "Australia/Eucla", "Asia/Tokyo", "Asia/Seoul",
	"Australia/Darwin", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney",
	"Australia/Melbourne", "Australia/Hobart", "Australia/Lord_Howe", "Pacific/Guam", "Pacific/Noumea",
	"Pacific/Auckland", "Pacific/Chatham", "Pacific/Fiji", "Pacific/Tongatapu", "Pacific/Kiritimati",
}
