package reconcile

import (
	"math/bits"

	"github.com/icrecon/icrecon/intercom"
)

// packedStats holds the statistics an export row states, compactly: a full
// intercom.Statistics is over 500 bytes and is kept for every export row
// until the pulls are read, while an export states about sixteen fields.
type packedStats struct {
	stated   intercom.FieldSet
	set      intercom.FieldSet // stated fields that hold a value
	values   []int64           // the stated fields' values, in StatFields order
	closedBy string
}

func pack(st *intercom.Statistics) packedStats {
	p := packedStats{stated: st.Stated, closedBy: st.LastClosedByID,
		values: make([]int64, 0, bits.OnesCount64(uint64(st.Stated)))}
	for i, f := range intercom.StatFields {
		if !st.Stated.HasIndex(i) || f.Kind == intercom.KindID {
			continue
		}
		v := f.Get(st)
		if v.Valid {
			p.set |= 1 << uint(i)
		}
		p.values = append(p.values, v.N)
	}
	return p
}

func (p *packedStats) unpack() intercom.Statistics {
	st := intercom.Statistics{Stated: p.stated, LastClosedByID: p.closedBy}
	next := 0
	for i, f := range intercom.StatFields {
		if !p.stated.HasIndex(i) || f.Kind == intercom.KindID {
			continue
		}
		f.Set(&st, intercom.Value{Kind: f.Kind, N: p.values[next], Valid: p.set.HasIndex(i)})
		next++
	}
	return st
}
