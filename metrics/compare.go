package metrics

import "github.com/icrecon/icrecon/intercom"

// Differs lists the fields the source states whose value differs from the
// recomputed one, in StatFields order.
func Differs(reported, recomputed *intercom.Statistics) []string {
	var out []string
	for i, f := range intercom.StatFields {
		if reported.Stated.HasIndex(i) && !f.Same(reported, recomputed) {
			out = append(out, f.Name)
		}
	}
	return out
}

// FieldCounts tallies one field's comparisons over many conversations.
type FieldCounts struct {
	Compared int
	Equal    int
	Differ   int
	// DifferTruncated counts differences on conversations whose history is
	// incomplete, where the recomputation is not trusted.
	DifferTruncated int
}

// FieldTally accumulates FieldCounts per field, indexed like StatFields.
type FieldTally []FieldCounts

// NewFieldTally returns an empty tally.
func NewFieldTally() FieldTally { return make(FieldTally, len(intercom.StatFields)) }

// Add counts one conversation's comparison.
func (t FieldTally) Add(reported, recomputed *intercom.Statistics, truncated bool) {
	for i, f := range intercom.StatFields {
		if !reported.Stated.HasIndex(i) {
			continue
		}
		c := &t[i]
		c.Compared++
		switch {
		case f.Same(reported, recomputed):
			c.Equal++
		case truncated:
			c.DifferTruncated++
		default:
			c.Differ++
		}
	}
}
