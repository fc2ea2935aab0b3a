package metrics

import (
	"testing"

	"github.com/icrecon/icrecon/intercom"
)

func TestDiffers(t *testing.T) {
	reported := intercom.Statistics{
		Stated:           intercom.FieldSet(0).With("time_to_admin_reply", "first_close_at"),
		TimeToAdminReply: intercom.Secs(60),
		FirstCloseAt:     intercom.At(100),
		// Not stated, so never a difference even though it disagrees.
		TimeToLastClose: intercom.Secs(5),
	}
	recomputed := intercom.Statistics{TimeToAdminReply: intercom.Secs(61), FirstCloseAt: intercom.At(100)}
	got := Differs(&reported, &recomputed)
	if len(got) != 1 || got[0] != "time_to_admin_reply" {
		t.Fatalf("Differs = %v, want [time_to_admin_reply]", got)
	}
	tally := NewFieldTally()
	tally.Add(&reported, &recomputed, false)
	tally.Add(&reported, &recomputed, true)
	i := intercom.StatFieldIndex("time_to_admin_reply")
	if c := tally[i]; c.Compared != 2 || c.Differ != 1 || c.DifferTruncated != 1 || c.Equal != 0 {
		t.Errorf("time_to_admin_reply counts %+v", c)
	}
	j := intercom.StatFieldIndex("first_close_at")
	if c := tally[j]; c.Compared != 2 || c.Equal != 2 {
		t.Errorf("first_close_at counts %+v", c)
	}
	if c := tally[intercom.StatFieldIndex("time_to_last_close")]; c.Compared != 0 {
		t.Errorf("an unstated field was compared: %+v", c)
	}
}
