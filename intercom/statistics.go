package intercom

import "strconv"

// Statistics holds every field of Intercom's conversation_statistics, plus the
// new reporting pipeline's last_closed_by_human_at and
// time_to_last_close_by_human. Durations come twice: with out-of-office time
// subtracted (as the API states them) and over all hours (24/7).
type Statistics struct {
	FirstContactReplyAt        Instant
	FirstAssignmentAt          Instant
	FirstAdminReplyAt          Instant
	FirstCloseAt               Instant
	LastAssignmentAt           Instant
	LastAssignmentAdminReplyAt Instant
	LastContactReplyAt         Instant
	LastAdminReplyAt           Instant
	LastCloseAt                Instant
	LastClosedByHumanAt        Instant
	LastClosedByID             string // "" when unset

	CountReopens           Count
	CountAssignments       Count
	CountConversationParts Count

	TimeToAssignment       Seconds
	TimeToAdminReply       Seconds
	TimeToFirstClose       Seconds
	TimeToLastClose        Seconds
	TimeToLastCloseByHuman Seconds
	MedianTimeToReply      Seconds

	TimeToAssignmentAllHours       Seconds
	TimeToAdminReplyAllHours       Seconds
	TimeToFirstCloseAllHours       Seconds
	TimeToLastCloseAllHours        Seconds
	TimeToLastCloseByHumanAllHours Seconds
	MedianTimeToReplyAllHours      Seconds

	// ReplyTimes are the reply times in part order (office hours subtracted),
	// ReplyTimesAllHours the same over all hours. Nil when not stated.
	ReplyTimes         []int64
	ReplyTimesAllHours []int64

	// Stated says which fields the source states at all (a CSV column that
	// is present, an API statistics object that is not null); an unset field
	// that was stated means "none", one that was not stated means "unknown".
	Stated FieldSet
}

// FieldSet is a set of StatFields, by their index.
type FieldSet uint64

// Has reports whether the field named is in the set.
func (s FieldSet) Has(name string) bool {
	i := StatFieldIndex(name)
	return i >= 0 && s&(1<<uint(i)) != 0
}

// With returns the set with the named fields added; unknown names panic,
// since they are programming errors.
func (s FieldSet) With(names ...string) FieldSet {
	for _, n := range names {
		i := StatFieldIndex(n)
		if i < 0 {
			panic("intercom: no statistics field " + n)
		}
		s |= 1 << uint(i)
	}
	return s
}

// HasIndex reports whether StatFields[i] is in the set.
func (s FieldSet) HasIndex(i int) bool { return s&(1<<uint(i)) != 0 }

// AllFields states every field.
func AllFields() FieldSet { return FieldSet(1<<uint(len(StatFields))) - 1 }

// APIFields are the fields of the API's conversation_statistics object:
// durations with office hours subtracted only, and no new-pipeline fields.
var APIFields = FieldSet(0).With(
	"first_contact_reply_at", "first_assignment_at", "first_admin_reply_at", "first_close_at",
	"last_assignment_at", "last_assignment_admin_reply_at", "last_contact_reply_at",
	"last_admin_reply_at", "last_close_at", "last_closed_by_id",
	"count_reopens", "count_assignments", "count_conversation_parts",
	"time_to_assignment", "time_to_admin_reply", "time_to_first_close", "time_to_last_close",
	"median_time_to_reply")

// FieldKind says what a statistics field holds.
type FieldKind uint8

// Kinds of statistics fields.
const (
	KindInstant FieldKind = iota
	KindSeconds
	KindCount
	KindID
)

// Value is one statistics field's value, of any kind, for generic comparison
// and output.
type Value struct {
	Kind  FieldKind
	N     int64  // seconds, Unix seconds or a count
	S     string // an id
	Valid bool
}

// String prints the value as the CSV and JSON outputs do: Unix seconds for
// instants, seconds for durations, "" when unset.
func (v Value) String() string {
	switch {
	case !v.Valid:
		return ""
	case v.Kind == KindID:
		return v.S
	}
	return strconv.FormatInt(v.N, 10)
}

// Equal reports whether two values are both unset or both set and equal.
func (v Value) Equal(w Value) bool {
	if v.Valid != w.Valid {
		return false
	}
	return !v.Valid || (v.N == w.N && v.S == w.S)
}

func instantValue(i Instant) Value { return Value{Kind: KindInstant, N: i.Unix, Valid: i.Valid} }
func secondsValue(s Seconds) Value { return Value{Kind: KindSeconds, N: s.N, Valid: s.Valid} }
func countValue(c Count) Value     { return Value{Kind: KindCount, N: int64(c.N), Valid: c.Valid} }
func idValue(s string) Value       { return Value{Kind: KindID, S: s, Valid: s != ""} }

// StatField names one field of Statistics by its API name and reads or
// writes it.
type StatField struct {
	Name string
	Kind FieldKind
	// Office is true for durations with out-of-office time subtracted; AllHours
	// names the same duration over all hours.
	Office   bool
	AllHours string
	Get      func(*Statistics) Value
	// Set writes a value of the field's kind (the string of an id field).
	Set func(*Statistics, Value)
	// Same is Get(a).Equal(Get(b)) without making the values: comparing
	// every field of three pairs of sides for each pulled conversation made
	// it a third of the comparison's time.
	Same func(a, b *Statistics) bool
}

// sameBy is StatField.Same for a field reached by ref: equal raw values are
// the same, and otherwise (an unset value with leftovers, say) Value.Equal
// decides.
func sameBy[T comparable](ref func(*Statistics) *T, value func(T) Value) func(a, b *Statistics) bool {
	return func(a, b *Statistics) bool {
		x, y := *ref(a), *ref(b)
		return x == y || value(x).Equal(value(y))
	}
}

func instantField(name string, ref func(*Statistics) *Instant) StatField {
	return StatField{Name: name, Kind: KindInstant,
		Get:  func(s *Statistics) Value { return instantValue(*ref(s)) },
		Set:  func(s *Statistics, v Value) { *ref(s) = Instant{Unix: v.N, Valid: v.Valid} },
		Same: sameBy(ref, instantValue)}
}

func countField(name string, ref func(*Statistics) *Count) StatField {
	return StatField{Name: name, Kind: KindCount,
		Get:  func(s *Statistics) Value { return countValue(*ref(s)) },
		Set:  func(s *Statistics, v Value) { *ref(s) = Count{N: int(v.N), Valid: v.Valid} },
		Same: sameBy(ref, countValue)}
}

func secondsField(name string, ref func(*Statistics) *Seconds) StatField {
	return StatField{Name: name, Kind: KindSeconds,
		Get:  func(s *Statistics) Value { return secondsValue(*ref(s)) },
		Set:  func(s *Statistics, v Value) { *ref(s) = Seconds{N: v.N, Valid: v.Valid} },
		Same: sameBy(ref, secondsValue)}
}

func durationFields(name string, office, all func(*Statistics) *Seconds) []StatField {
	o, a := secondsField(name, office), secondsField(name+"_all_hours", all)
	o.Office, o.AllHours = true, name+"_all_hours"
	return []StatField{o, a}
}

// StatFields lists every scalar statistics field in the order reports show
// them. reply_times is a list and is handled apart.
var StatFields = buildStatFields()

func buildStatFields() []StatField {
	fields := []StatField{
		instantField("first_contact_reply_at", func(s *Statistics) *Instant { return &s.FirstContactReplyAt }),
		instantField("first_assignment_at", func(s *Statistics) *Instant { return &s.FirstAssignmentAt }),
		instantField("first_admin_reply_at", func(s *Statistics) *Instant { return &s.FirstAdminReplyAt }),
		instantField("first_close_at", func(s *Statistics) *Instant { return &s.FirstCloseAt }),
		instantField("last_assignment_at", func(s *Statistics) *Instant { return &s.LastAssignmentAt }),
		instantField("last_assignment_admin_reply_at", func(s *Statistics) *Instant { return &s.LastAssignmentAdminReplyAt }),
		instantField("last_contact_reply_at", func(s *Statistics) *Instant { return &s.LastContactReplyAt }),
		instantField("last_admin_reply_at", func(s *Statistics) *Instant { return &s.LastAdminReplyAt }),
		instantField("last_close_at", func(s *Statistics) *Instant { return &s.LastCloseAt }),
		instantField("last_closed_by_human_at", func(s *Statistics) *Instant { return &s.LastClosedByHumanAt }),
		{Name: "last_closed_by_id", Kind: KindID,
			Get:  func(s *Statistics) Value { return idValue(s.LastClosedByID) },
			Set:  func(s *Statistics, v Value) { s.LastClosedByID = v.S },
			Same: func(a, b *Statistics) bool { return a.LastClosedByID == b.LastClosedByID }},
		countField("count_reopens", func(s *Statistics) *Count { return &s.CountReopens }),
		countField("count_assignments", func(s *Statistics) *Count { return &s.CountAssignments }),
		countField("count_conversation_parts", func(s *Statistics) *Count { return &s.CountConversationParts }),
	}
	fields = append(fields, durationFields("time_to_assignment",
		func(s *Statistics) *Seconds { return &s.TimeToAssignment }, func(s *Statistics) *Seconds { return &s.TimeToAssignmentAllHours })...)
	fields = append(fields, durationFields("time_to_admin_reply",
		func(s *Statistics) *Seconds { return &s.TimeToAdminReply }, func(s *Statistics) *Seconds { return &s.TimeToAdminReplyAllHours })...)
	fields = append(fields, durationFields("time_to_first_close",
		func(s *Statistics) *Seconds { return &s.TimeToFirstClose }, func(s *Statistics) *Seconds { return &s.TimeToFirstCloseAllHours })...)
	fields = append(fields, durationFields("time_to_last_close",
		func(s *Statistics) *Seconds { return &s.TimeToLastClose }, func(s *Statistics) *Seconds { return &s.TimeToLastCloseAllHours })...)
	fields = append(fields, durationFields("time_to_last_close_by_human",
		func(s *Statistics) *Seconds { return &s.TimeToLastCloseByHuman }, func(s *Statistics) *Seconds { return &s.TimeToLastCloseByHumanAllHours })...)
	fields = append(fields, durationFields("median_time_to_reply",
		func(s *Statistics) *Seconds { return &s.MedianTimeToReply }, func(s *Statistics) *Seconds { return &s.MedianTimeToReplyAllHours })...)
	return fields
}

// PipelineAliases maps the new reporting pipeline's names to the API field
// they are defined as "Same as" (help article 6762778).
var PipelineAliases = []struct{ Name, SameAs string }{
	{"started_at", "first_contact_reply_at"},
	{"first_response_at", "first_admin_reply_at"},
	{"last_closed_at", "last_close_at"},
	{"first_response_time", "time_to_admin_reply"},
	{"first_response_time_all_hours", "time_to_admin_reply_all_hours"},
}

// StatFieldIndex is the position of a field in StatFields, or -1.
func StatFieldIndex(name string) int {
	for i, f := range StatFields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// StatFieldByName finds a field by its API name, or a pipeline alias.
func StatFieldByName(name string) (StatField, bool) {
	for _, a := range PipelineAliases {
		if a.Name == name {
			name = a.SameAs
		}
	}
	for _, f := range StatFields {
		if f.Name == name {
			return f, true
		}
	}
	return StatField{}, false
}
