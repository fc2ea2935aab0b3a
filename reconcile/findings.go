package reconcile

import (
	"fmt"
	"math"
	"sort"

	"github.com/icrecon/icrecon/intercom"
)

// Finding is a field that disagrees, with no cause, on a large share of the
// conversations compared: one line at the top of every report instead of
// thousands of rows an analyst would have to read to see the pattern (the
// rows stay in differences.csv).
type Finding struct {
	Field       string
	Left, Right Side
	Unexplained int
	Compared    int
	Pattern     string   // in words: "the api is always empty where the recomputed has a value"
	IDs         []string // a sample
}

// Share is the fraction of compared conversations the finding covers.
func (f Finding) Share() float64 { return float64(f.Unexplained) / float64(f.Compared) }

// String reads "time_to_assignment (api vs recomputed) differs on 62 % of 1,000 conversations compared: …".
func (f Finding) String() string {
	return fmt.Sprintf("%s (%s vs %s) differs on %.0f %% of %d conversations compared, with no cause: %s",
		f.Field, f.Left, f.Right, 100*f.Share(), f.Compared, f.Pattern)
}

// A field becomes a finding when this share of the conversations compared
// (and at least minFinding of them) differ unexplained.
const (
	findingShare = 0.2
	minFinding   = 10
	findingIDs   = 20
)

// pattern tallies a field's unexplained differences, to say what they have
// in common.
type pattern struct {
	n                     int
	leftUnset, rightUnset int
	offsets               map[int64]int // right − left
	ratios                map[int64]int // right / left, in hundredths
	ids                   []string
}

func (r *Reconciler) notePattern(d Difference) {
	if d.Cause != Unexplained {
		return
	}
	k := fieldPair{d.Field, d.Left, d.Right}
	p := r.patterns[k]
	if p == nil {
		p = &pattern{offsets: map[int64]int{}, ratios: map[int64]int{}}
		r.patterns[k] = p
	}
	p.n++
	if len(p.ids) < findingIDs {
		p.ids = append(p.ids, d.ConversationID)
	}
	lv, rv := d.LeftValue, d.RightValue
	switch {
	case !lv.Valid:
		p.leftUnset++
	case !rv.Valid:
		p.rightUnset++
	case lv.Kind != intercom.KindID:
		if len(p.offsets) < 64 {
			p.offsets[rv.N-lv.N]++
		}
		if lv.N != 0 && len(p.ratios) < 64 {
			p.ratios[int64(math.Round(100*float64(rv.N)/float64(lv.N)))]++
		}
	}
}

// findings lists the fields whose unexplained differences cover a large
// share of the conversations compared, the largest share first.
func (r *Reconciler) findings(fields []*FieldResult) []Finding {
	var out []Finding
	for _, f := range fields {
		u := f.Unexplained()
		if u < minFinding || float64(u) < findingShare*float64(f.Compared) {
			continue
		}
		p := r.patterns[fieldPair{f.Field, f.Left, f.Right}]
		if p == nil {
			continue
		}
		out = append(out, Finding{Field: f.Field, Left: f.Left, Right: f.Right, Unexplained: u, Compared: f.Compared,
			Pattern: p.describe(f.Left, f.Right), IDs: p.ids})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Share() > out[j].Share() })
	return out
}

// describe names the pattern nine in ten of the differences share, if any.
func (p *pattern) describe(l, r Side) string {
	most := func(m map[int64]int) (int64, int) {
		var best int64
		n := 0
		for k, c := range m {
			if c > n || c == n && k < best {
				best, n = k, c
			}
		}
		return best, n
	}
	nine := (9*p.n + 9) / 10
	switch off, n := most(p.offsets); {
	case p.leftUnset >= nine:
		return fmt.Sprintf("the %s is empty where the %s has a value", l, r)
	case p.rightUnset >= nine:
		return fmt.Sprintf("the %s is empty where the %s has a value", r, l)
	case n >= nine && (off == 1 || off == -1):
		return fmt.Sprintf("off by one: the %s is %+d against the %s", r, off, l)
	case n >= nine:
		return fmt.Sprintf("a constant offset: the %s is %+d against the %s", r, off, l)
	}
	if ratio, n := most(p.ratios); n >= nine {
		return fmt.Sprintf("a constant ratio: the %s is %.2f × the %s", r, float64(ratio)/100, l)
	}
	return "no single pattern; see the conversations listed"
}
