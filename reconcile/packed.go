package reconcile

import (
	"encoding/binary"

	"github.com/icrecon/icrecon/intercom"
)

// packedStats holds the statistics an export row states, compactly: a full
// intercom.Statistics is over 500 bytes and is kept for every export row
// until the pulls are read, while an export states about sixteen fields.
// The values that are set are varints in StatFields order, each instant as
// the difference from the one before it (the first from zero): an export
// row's instants lie within days of each other, so most take three bytes.
type packedStats struct {
	stated   intercom.FieldSet
	set      intercom.FieldSet // stated fields that hold a value
	values   []byte
	closedBy string
}

func pack(st *intercom.Statistics) packedStats {
	p := packedStats{stated: st.Stated, closedBy: st.LastClosedByID}
	var buf [16 * binary.MaxVarintLen64]byte
	values, previous := buf[:0], int64(0)
	for i, f := range intercom.StatFields {
		if !st.Stated.HasIndex(i) || f.Kind == intercom.KindID {
			continue
		}
		v := f.Get(st)
		if !v.Valid {
			continue
		}
		p.set |= 1 << uint(i)
		n := v.N
		if f.Kind == intercom.KindInstant {
			n, previous = v.N-previous, v.N
		}
		values = binary.AppendVarint(values, n)
	}
	p.values = append([]byte(nil), values...)
	return p
}

func (p *packedStats) unpack() intercom.Statistics {
	var st intercom.Statistics
	p.unpackInto(&st)
	return st
}

// unpackInto is unpack into st, for callers with memory of their own to
// reuse: the setters take st's address, so a local one would be moved to
// the heap, 500 bytes a conversation.
func (p *packedStats) unpackInto(st *intercom.Statistics) {
	*st = intercom.Statistics{Stated: p.stated, LastClosedByID: p.closedBy}
	values, previous := p.values, int64(0)
	for i, f := range intercom.StatFields {
		if !p.stated.HasIndex(i) || f.Kind == intercom.KindID {
			continue
		}
		v := intercom.Value{Kind: f.Kind}
		if p.set.HasIndex(i) {
			n, size := binary.Varint(values)
			values = values[size:]
			if f.Kind == intercom.KindInstant {
				n += previous
				previous = n
			}
			v.N, v.Valid = n, true
		}
		f.Set(st, v)
	}
}
