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
