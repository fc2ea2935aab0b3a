package reconcile

import (
	"testing"

	"github.com/icrecon/icrecon/intercom"
	. "github.com/icrecon/icrecon/internal/convtest"
)

func TestPackKeepsEveryStatedField(t *testing.T) {
	export, _ := sides(reopenedConversation())
	st := export.Reported
	st.TimeToAssignment = intercom.Seconds{} // stated but unset
	got := pack(&st)
	back := got.unpack()
	for i, f := range intercom.StatFields {
		want := intercom.Value{Kind: f.Kind}
		if st.Stated.HasIndex(i) {
			want = f.Get(&st)
		}
		if g := f.Get(&back); !g.Equal(want) {
			t.Errorf("%s: %+v after packing, want %+v", f.Name, g, want)
		}
	}
	if back.Stated != st.Stated {
		t.Errorf("stated %b, want %b", back.Stated, st.Stated)
	}
	_ = Vancouver
}

// Packing stores differences between instants: extreme values must come
// back whole, whatever the arithmetic wraps in between.
func TestPackKeepsExtremeValues(t *testing.T) {
	for _, n := range []int64{0, -1, 1 << 40, -(1 << 62), 1<<63 - 1, -1 << 63} {
		st := intercom.Statistics{Stated: intercom.AllFields()}
		for i, f := range intercom.StatFields {
			if f.Kind != intercom.KindID {
				f.Set(&st, intercom.Value{Kind: f.Kind, N: n * int64(1-2*(i%2)), Valid: true})
			}
		}
		packed := pack(&st)
		back := packed.unpack()
		for _, f := range intercom.StatFields {
			if f.Kind != intercom.KindID && !f.Get(&back).Equal(f.Get(&st)) {
				t.Errorf("%d: %s is %+v after packing, want %+v", n, f.Name, f.Get(&back), f.Get(&st))
			}
		}
	}
}
