package reconcile

import "strings"

// Side is a description of a conversation: the export's row, the API's
// statistics, or icrecon's recomputation from the parts.
type Side uint8

// The sides, in the order pairs name them.
const (
	Export Side = iota
	API
	Recomputed
)

func (s Side) String() string { return [...]string{"export", "api", "recomputed"}[s] }

// pairs are the comparisons made, left side first.
var pairs = [...][2]Side{{Export, API}, {API, Recomputed}, {Export, Recomputed}}

// Cause says why two sides differ. The order is the order the detectors are
// tried in (docs/reconcile.md §2): the most specific first.
type Cause uint8

// The causes; their names are part of icrecon's output contract.
const (
	PartsTruncated Cause = iota
	Stale
	Timezone
	OfficeHours
	Anchor
	BotAuthor
	Reopened
	Definition
	Rounding
	Unexplained
	numCauses
)

var causeNames = [numCauses]string{
	"parts_truncated", "stale", "timezone", "office_hours", "anchor",
	"bot_author", "reopened", "definition", "rounding", "unexplained",
}

func (c Cause) String() string { return causeNames[c] }

// Causes lists every cause in detector order.
func Causes() []Cause {
	out := make([]Cause, numCauses)
	for i := range out {
		out[i] = Cause(i)
	}
	return out
}

// CauseSet is a set of causes.
type CauseSet uint16

// Add returns the set with c in it.
func (s CauseSet) Add(c Cause) CauseSet { return s | 1<<c }

// Has reports whether c is in the set.
func (s CauseSet) Has(c Cause) bool { return s&(1<<c) != 0 }

// String joins the names with ";" in detector order, "" for none.
func (s CauseSet) String() string {
	var names []string
	for _, c := range Causes() {
		if s.Has(c) {
			names = append(names, c.String())
		}
	}
	return strings.Join(names, ";")
}
