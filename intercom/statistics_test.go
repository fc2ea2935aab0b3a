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

// TestStatFieldsSameIsGetEqual: Same answers as comparing the values Get
// makes, on every field, for values set and unset, equal and not, and for
// unset values left with different numbers (which are still the same).
func TestStatFieldsSameIsGetEqual(t *testing.T) {
	values := func(kind FieldKind) []Value {
		if kind == KindID {
			return []Value{{Kind: kind}, {Kind: kind, S: "5001", Valid: true}, {Kind: kind, S: "5002", Valid: true}}
		}
		return []Value{{Kind: kind}, {Kind: kind, N: 7}, {Kind: kind, N: 7, Valid: true}, {Kind: kind, N: 8, Valid: true}, {Kind: kind, Valid: true}}
	}
	for i, f := range StatFields {
		if f.Same == nil {
			t.Fatalf("%s has no Same", f.Name)
		}
		for _, x := range values(f.Kind) {
			for _, y := range values(f.Kind) {
				var a, b Statistics
				f.Set(&a, x)
				f.Set(&b, y) // an unset value with N 7 leaves 7 under it
				if got, want := f.Same(&a, &b), f.Get(&a).Equal(f.Get(&b)); got != want {
					t.Errorf("field %d %s: Same(%+v, %+v) = %v, Get and Equal say %v", i, f.Name, x, y, got, want)
				}
			}
		}
	}
}

func TestIsTruncated(t *testing.T) {
	cases := []struct {
		name              string
		read              int
		total, countParts Count
		want              bool
	}{
		{"real data: 61 parts, total_count 61, count 62 is complete", 61, CountOf(61), CountOf(62), false},
		{"complete without total_count: the count includes the opening message", 61, Count{}, CountOf(62), false},
		{"the 500-part cap by total_count", 500, CountOf(640), CountOf(641), true},
		{"cut although total_count equals what was served", 500, CountOf(500), CountOf(641), true},
		{"fewer than the count minus one", 60, Count{}, CountOf(62), true},
		{"neither count stated", 3, Count{}, Count{}, false},
	}
	for _, tc := range cases {
		if got := IsTruncated(tc.read, tc.total, tc.countParts); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
