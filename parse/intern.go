package parse

import "strings"

// interner shares the strings that repeat across records (part types, author
// ids, names and e-mails, states) so a large input does not allocate them
// anew. The strings it returns never alias the caller's buffer.
//
// It is a cache, not a set: each string has one slot, chosen by a hash of
// its bytes, and a string that lands on a taken slot takes it over. A
// lookup is a few multiplications and one comparison in a table of 64 KiB
// that stays in the core's cache; the map it replaces took twice as long
// (6% of the decoding of a pull), with a table of up to 65,536 entries that
// did not. Strings that repeat (a workspace has a few dozen part types,
// states and teammates) keep their slots; one-off values only cost the copy
// they would cost anyway.
type interner struct {
	slots *[internSlots]string // allocated on first use: a small file costs little
}

const (
	internBits  = 12
	internSlots = 1 << internBits
	// maxInternedLen: longer strings (message titles, long addresses)
	// rarely repeat; they are copied without a lookup.
	maxInternedLen = 64
)

func (in *interner) get(s string) string {
	switch {
	case s == "":
		return ""
	case len(s) > maxInternedLen:
		return strings.Clone(s)
	}
	slot := in.slot(internHash(s))
	if *slot != s {
		*slot = strings.Clone(s)
	}
	return *slot
}

func (in *interner) getBytes(b []byte) string {
	switch {
	case len(b) == 0:
		return ""
	case len(b) > maxInternedLen:
		return string(b)
	}
	slot := in.slot(internHash(b))
	if *slot != string(b) {
		*slot = string(b)
	}
	return *slot
}

func (in *interner) slot(h uint64) *string {
	if in.slots == nil {
		in.slots = new([internSlots]string)
	}
	return &in.slots[h>>(64-internBits)]
}

// internHash mixes the bytes of a short string eight at a time: cheap, and
// good enough for a cache, where a collision costs one copy.
func internHash[T string | []byte](b T) uint64 {
	const k = 0x9E3779B97F4A7C15 // 2^64 / golden ratio: spreads the high bits
	h := uint64(len(b)) * k
	for len(b) >= 8 {
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		h = (h ^ w) * k
		b = b[8:]
	}
	for i := 0; i < len(b); i++ {
		h = (h ^ uint64(b[i])) * k
	}
	return h
}
