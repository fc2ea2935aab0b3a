package intercom

import "testing"

func TestStatFieldsAreUniqueAndFitAFieldSet(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range StatFields {
		if seen[f.Name] {
			t.Errorf("%s listed twice", f.Name)
		}
		seen[f.Name] = true
		if f.Office {
			if _, ok := StatFieldByName(f.AllHours); !ok {
				t.Errorf("%s names a missing all-hours field %s", f.Name, f.AllHours)
			}
		}
	}
	if len(StatFields) > 64 {
		t.Fatalf("%d fields do not fit a FieldSet", len(StatFields))
	}
}

func TestFieldSet(t *testing.T) {
	s := FieldSet(0).With("time_to_admin_reply", "first_close_at")
	if !s.Has("time_to_admin_reply") || !s.Has("first_close_at") || s.Has("time_to_admin_reply_all_hours") || s.Has("nope") {
		t.Errorf("FieldSet %b", s)
	}
	// The API states office-hours durations only and no new-pipeline fields.
	if APIFields.Has("time_to_admin_reply_all_hours") || APIFields.Has("last_closed_by_human_at") || !APIFields.Has("median_time_to_reply") {
		t.Errorf("APIFields %b", APIFields)
	}
	for i := range StatFields {
		if !AllFields().HasIndex(i) {
			t.Errorf("AllFields lacks %s", StatFields[i].Name)
		}
	}
}

func TestValuesUnsetAreNotZero(t *testing.T) {
	var st Statistics
	f, _ := StatFieldByName("time_to_admin_reply")
	if f.Get(&st).Valid || f.Get(&st).String() != "" {
		t.Error("an unset duration reads as set")
	}
	st.TimeToAdminReply = Secs(0)
	if !f.Get(&st).Valid || f.Get(&st).String() != "0" {
		t.Error("a zero duration reads as unset")
	}
	if (Value{}).Equal(Value{Valid: true}) || !(Value{}).Equal(Value{N: 5}) {
		t.Error("Equal must compare validity first and ignore the number when unset")
	}
}

func TestPipelineAliases(t *testing.T) {
	for _, a := range PipelineAliases {
		alias, ok := StatFieldByName(a.Name)
		same, ok2 := StatFieldByName(a.SameAs)
		if !ok || !ok2 || alias.Name != same.Name {
			t.Errorf("%s does not resolve to %s", a.Name, a.SameAs)
		}
	}
}

func TestStatFieldsSetWhatGetReads(t *testing.T) {
	var st Statistics
	for i, f := range StatFields {
		v := Value{Kind: f.Kind, N: int64(1000 + i), Valid: true}
		if f.Kind == KindID {
			v = Value{Kind: KindID, S: "5001", Valid: true}
		}
		f.Set(&st, v)
		if got := f.Get(&st); !got.Equal(v) {
			t.Errorf("%s: set %+v, got %+v", f.Name, v, got)
		}
		f.Set(&st, Value{Kind: f.Kind})
		if f.Get(&st).Valid {
			t.Errorf("%s: setting unset left it set", f.Name)
		}
	}
}
