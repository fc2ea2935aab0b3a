package parse

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/icrecon/icrecon/intercom"
)

// Fuzz targets, one per reader. Their seeds are the testdata files; run one
// for a while with
//
//	go test -run='^$' -fuzz=FuzzReadAPI -fuzztime=2m ./parse/
//
// A crasher found is kept under testdata/fuzz/<target>/ and replayed by every
// plain `go test` from then on.

// addSeeds adds every file of testdata/<dir> whose name ends in one of exts.
func addSeeds(f *testing.F, dir string, exts ...string) {
	f.Helper()
	entries, err := os.ReadDir(filepath.Join("testdata", dir))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		for _, ext := range exts {
			if strings.HasSuffix(e.Name(), ext) {
				data, err := os.ReadFile(filepath.Join("testdata", dir, e.Name()))
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data, false)
			}
		}
	}
}

// openBytes is an Opened over data, as a file named name would be.
func openBytes(t testing.TB, name string, data []byte) (*Opened, error) {
	t.Helper()
	return NewOpened(name, bytes.NewReader(data))
}

// Variants of a fuzzed input, read through the paths issue 13 added: the
// same text gzipped, gzipped and cut short, or saved as UTF-16.

// gzipWriters are reused: a new gzip.Writer allocates a megabyte, which cost
// more than the rest of an execution and slowed the fuzzers a hundredfold.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

func gzipped(data []byte, cut bool) []byte {
	var b bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&b)
	zw.Write(data)
	if cut {
		zw.Flush() // no end of stream: a download cut short
		return b.Bytes()
	}
	zw.Close()
	return b.Bytes()
}

// sameText reports whether data survives a trip through UTF-16 byte for
// byte: valid UTF-8 with no BOM of its own, which the readers would drop
// once, not twice, and not starting with a NUL, which after the BOM reads
// as UTF-32's mark FF FE 00 00 (and is refused as such).
func sameText(data []byte) bool {
	return utf8.Valid(data) && !bytes.HasPrefix(data, utf8BOM) && (len(data) == 0 || data[0] != 0)
}

// checkOneLine fails when a message spans lines.
func checkOneLine(t testing.TB, what, msg string) {
	t.Helper()
	if strings.ContainsAny(msg, "\r\n") {
		t.Fatalf("%s is not one line: %q", what, msg)
	}
}

// checkFuzzedRejects is checkRejects for fuzzing: stop at the first failure.
func checkFuzzedRejects(t testing.TB, name string, rejects, warnings []Reject) {
	t.Helper()
	for _, r := range rejects {
		if r.Line <= 0 && r.Record <= 0 {
			t.Fatalf("reject %q has neither a line nor a record", r.Error())
		}
	}
	for _, r := range append(append([]Reject(nil), rejects...), warnings...) {
		if r.File != name {
			t.Fatalf("%q: File = %q, want %q", r.Error(), r.File, name)
		}
		checkOneLine(t, "reject", r.Error())
	}
}

// checkFuzzedTally: the records add up and every emitted conversation is
// counted once.
func checkFuzzedTally(t testing.TB, name string, tally Tally, rejects int, emitted, dups int) {
	t.Helper()
	if err := tally.Check(name); err != nil {
		t.Fatal(err)
	}
	if tally.Accepted+tally.Duplicates != emitted || tally.Duplicates != dups {
		t.Fatalf("tally %+v but %d emitted, %d marked duplicate", tally, emitted, dups)
	}
	if rejects != tally.Rejected && rejects < maxRejectsKept {
		t.Fatalf("tally counts %d rejects, %d kept", tally.Rejected, rejects)
	}
}

// checkReturnedError: a reader's error is one line; a strict stop carries a
// located reject.
func checkReturnedError(t testing.TB, name string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	checkOneLine(t, "error", err.Error())
	var strict *ErrStrict
	if errors.As(err, &strict) {
		checkFuzzedRejects(t, name, []Reject{strict.Reject}, nil)
	}
}

func FuzzReadExport(f *testing.F) {
	addSeeds(f, "export", ".csv")
	f.Add([]byte("Conversation ID,Conversation started at\n1,8/2/2025 2:24 PM\n"), true)
	f.Add([]byte("\ufeffConversation ID;Channel\r\n\"1\";\"Ch\"\"at\"\r\n"), false)
	f.Add([]byte("Conversation ID|Channel|User name\n1|Chat|Ann\n2|E-mail|Bob\n"), false)
	f.Add(utf16LE([]byte("Conversation ID\tChannel\r\n1\tChat\r\n")), false)
	f.Fuzz(func(t *testing.T, data []byte, withZone bool) {
		const name = "fuzz.csv"
		var seen strings.Builder // what the last read emitted
		read := func(data []byte, reuse bool) *Tally {
			seen.Reset()
			o, err := openBytes(t, name, data)
			if err != nil {
				return nil // not gzip after all: refused before any reader
			}
			opts := ExportOptions{KeepUnmapped: len(data)%2 == 0, ReuseConversations: reuse}
			if withZone {
				opts.Zone = time.UTC
			}
			emitted, dups := 0, 0
			info, err := ReadExport(o, opts, func(c *intercom.Conversation, dup bool) error {
				fmt.Fprintf(&seen, "%+v %v\n", *c, dup)
				emitted++
				if dup {
					dups++
				}
				if c.ID == "" || strings.Trim(c.ID, "0123456789") != "" || len(c.ID) > intercom.MaxConversationIDLength {
					t.Fatalf("accepted the id %q", c.ID)
				}
				if c.Origin.File != name || c.Origin.Line < 2 {
					t.Fatalf("origin %+v", c.Origin)
				}
				return nil
			})
			checkReturnedError(t, name, err)
			if info == nil {
				if emitted > 0 {
					t.Fatalf("%d conversations emitted, then no info", emitted)
				}
				return nil
			}
			checkFuzzedTally(t, name, info.Tally, len(info.Rejects), emitted, dups)
			checkFuzzedRejects(t, name, info.Rejects, info.Warnings)
			return &info.Tally
		}
		plain := read(data, false)
		plainSeen := seen.String()
		// Reusing the conversations' memory changes nothing emitted.
		if reused := read(data, true); (plain == nil) != (reused == nil) || seen.String() != plainSeen {
			t.Fatalf("reusing conversations changes the read:\n%s", firstDifference(plainSeen, seen.String()))
		}
		switch len(data) % 4 {
		case 1:
			// The same text as UTF-16 reads the same.
			if wide := read(utf16LE(data), false); sameText(data) && (plain == nil) != (wide == nil) || plain != nil && wide != nil && sameText(data) && *plain != *wide {
				t.Fatalf("UTF-16 read %+v, UTF-8 %+v", wide, plain)
			}
		case 2:
			// A gzip cut short: the rows before the cut are accounted for.
			read(gzipped(data, true), true)
		}
	})
}

func FuzzReadAPI(f *testing.F) {
	addSeeds(f, "api", ".json", ".jsonl", ".gz")
	f.Add([]byte(`{"type":"conversation.list","conversations":[{"id":"1","created_at":1,"statistics":[]},{"id":"2","created_at":2}]}`), false)
	f.Add([]byte("{\"id\":\"1\",\"created_at\":1}\n{\"id\":\"1\",\"created_at\":1}\n[{\"id\":\"2\",\"created_at\":2},7]\n"), true)
	// Issue 13: broken arrays and pages, pretty-printed, and one on a line.
	f.Add([]byte("[\n  {\"id\": \"1\", \"created_at\": 1},\n  {\"id\": \"2\", \"created_at\": 2}\n  {\"id\": \"3\", \"created_at\": 3},\n  {\"id\": \"4\", \"created_at\": 4}\n]\n"), false)
	f.Add([]byte("{\n  \"type\": \"conversation.list\",\n  \"conversations\": [\n    {\"id\": \"1\", \"created_at\": 1, \"state\": \"open},\n    {\"id\": \"2\", \"created_at\": 2}\n  ],\n  \"pages\": {}\n}\n"), false)
	f.Add([]byte(`{"type":"conversation.list","conversations":[{"id":"1","created_at":1} {"id":"2","created_at":2}]}`+"\n"+`{"id":"3","created_at":3}`+"\n"), false)
	f.Add(utf16LE([]byte(`[{"id":"1","created_at":1},{"id":"2","created_at":2}]`)), false)
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		const name = "fuzz.jsonl"
		// Three workers also reuse the conversations' memory: the reads
		// must agree all the same.
		read := func(workers int, data []byte) (string, *APIInfo, error) {
			o, err := openBytes(t, name, data)
			if err != nil {
				return "", nil, err
			}
			var b strings.Builder
			n, dups := 0, 0
			info, err := ReadAPI(o, APIOptions{Strict: strict, Workers: workers, ReuseConversations: workers == 3}, func(c *intercom.Conversation, dup bool) error {
				n++
				if dup {
					dups++
				}
				if c.ID == "" || !c.CreatedAt.Valid || len(c.ID) > intercom.MaxConversationIDLength {
					t.Fatalf("accepted a conversation without id or created_at, or with a long id: %+v", c)
				}
				if c.Origin.File != name || c.Origin.Line < 1 {
					t.Fatalf("origin %+v", c.Origin)
				}
				dumpConversation(&b, emitted{c, dup})
				return nil
			})
			skipKnownAPIBugs(t, err, info)
			checkReturnedError(t, name, err)
			if info == nil {
				if n > 0 {
					t.Fatalf("%d conversations emitted, then no info", n)
				}
				return b.String(), nil, err
			}
			checkFuzzedTally(t, name, info.Tally, len(info.Rejects), n, dups)
			checkFuzzedRejects(t, name, info.Rejects, nil)
			dumpRejects(&b, "reject", info.Rejects)
			return b.String(), info, err
		}
		one, info, err1 := read(1, data)
		three, _, err3 := read(3, data)
		// The output is the input order whatever the number of workers.
		if one != three || fmt.Sprint(err1) != fmt.Sprint(err3) {
			t.Fatalf("1 and 3 workers disagree:\n%s\nerrors %v / %v", firstDifference(one, three), err1, err3)
		}
		// Never a record lost unseen: every element of a valid array is a
		// record, read or rejected.
		if trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM)); !strict && err1 == nil && len(trimmed) > 0 && trimmed[0] == '[' && json.Valid(trimmed) {
			var elems []json.RawMessage
			if json.Unmarshal(trimmed, &elems) == nil && info.Tally.Read != len(elems) {
				t.Fatalf("an array of %d elements read as %+v", len(elems), info.Tally)
			}
		}
		switch len(data) % 4 {
		case 1:
			// Gzipped, the same (unless it was gzip already: one layer is
			// opened, not two); cut short, every record still accounted for.
			if z, zinfo, zerr := read(2, gzipped(data, false)); !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) && (z != one || fmt.Sprint(zerr) != fmt.Sprint(err1)) {
				t.Fatalf("gzipped, the read differs:\n%s\nerrors %v / %v (%+v)", firstDifference(one, z), err1, zerr, zinfo)
			}
			read(2, gzipped(data, true))
		case 2:
			// Saved as UTF-16, the same.
			if w, _, werr := read(2, utf16LE(data)); sameText(data) && (w != one || fmt.Sprint(werr) != fmt.Sprint(err1)) {
				t.Fatalf("as UTF-16, the read differs:\n%s\nerrors %v / %v", firstDifference(one, w), err1, werr)
			}
		}
	})
}

// skipKnownAPIBugs lets FuzzReadAPI look past a bug already reported by a
// failing unit test, instead of finding it again and again.
func skipKnownAPIBugs(t *testing.T, err error, info *APIInfo) {
	t.Helper()
	var rejects []Reject
	if info != nil {
		rejects = info.Rejects
	}
	var strict *ErrStrict
	if errors.As(err, &strict) {
		rejects = append(rejects, strict.Reject)
	}
	for _, r := range rejects {
		checkOneLine(t, "reject", r.Error())
	}
}

func FuzzReadDashboard(f *testing.F) {
	addSeeds(f, "dashboard", ".csv")
	f.Add([]byte("metric,from,to,value\nnew_conversations,2025-10-01,2025-10-31,1,204\n"), true)
	f.Add([]byte("metric|from|to|value\nnew_conversations|2025-10-01|2025-10-31|\"1,2,3\"\nclosed_conversations|2025-10-01|2025-10-31|1.234.567\n"), false)
	f.Add(utf16LE([]byte("new_conversations\t2025-10-01\t2025-10-31\t1 204\r\n")), false)
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		const name = "fuzz-dashboard.csv"
		if len(data)%4 == 1 {
			data = utf16LE(data)
		}
		o, err := openBytes(t, name, data)
		if err != nil {
			return
		}
		info, err := ReadDashboard(o, strict)
		checkReturnedError(t, name, err)
		if info == nil {
			return
		}
		checkFuzzedTally(t, name, info.Tally, len(info.Rejects), len(info.Figures)+info.Tally.Duplicates, info.Tally.Duplicates)
		checkFuzzedRejects(t, name, info.Rejects, nil)
		for _, fig := range info.Figures {
			if intercom.MetricKindOf(fig.Metric) == 0 || fig.From.After(fig.To) || fig.Value < 0 || fig.Value != fig.Value {
				t.Fatalf("accepted figure %+v", fig)
			}
			if intercom.MetricKindOf(fig.Metric) == intercom.MetricCount && !groupedInThousands(fig.Raw) {
				t.Fatalf("accepted the count %q as %v", fig.Raw, fig.Value)
			}
		}
	})
}

// groupedInThousands is the fuzzer's own statement of a count as typed:
// digits, in groups of three after the first, by one separator.
var groupedInThousands = regexp.MustCompile(`^(\d+|\d{1,3}(,\d{3})+|\d{1,3}(\.\d{3})+|\d{1,3}( \d{3})+|\d{1,3}('\d{3})+|\d{1,3}(\x{a0}\d{3})+|\d{1,3}(\x{202f}\d{3})+)$`).MatchString

func FuzzReadWorkspace(f *testing.F) {
	addSeeds(f, "workspace", ".yaml")
	f.Add([]byte("timezone: UTC\noffice_hours:\n  weekdays: [\"09:00-17:00\"]\n  friday: closed\n"), false)
	f.Add([]byte("timezone: UTC\noffice_hours: [\n"), false)
	f.Add(utf16LE([]byte("timezone: Europe/Berlin\r\noffice_hours: Mon-Fri 09:00-17:00\r\n")), false)
	f.Fuzz(func(t *testing.T, data []byte, wide bool) {
		const name = "fuzz.yaml"
		if wide {
			data = utf16LE(data)
		}
		o, err := openBytes(t, name, data)
		if err != nil {
			return
		}
		ws, err := ReadWorkspace(o)
		if err != nil {
			checkOneLine(t, "error", err.Error())
			if !strings.HasPrefix(err.Error(), name) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if ws.Zone == nil {
			t.Fatal("no zone and no error")
		}
		if ws.Schedule != nil {
			// The schedule must be usable: a week of seconds is computed.
			start := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC).Unix()
			if s := ws.Schedule.Seconds(start, start+7*86400); s < 0 || s > 7*86400+3600 {
				t.Fatalf("a week holds %d office seconds", s)
			}
		}
	})
}

func FuzzParseLocalTime(f *testing.F) {
	// Every timestamp cell of the export testdata is a seed.
	entries, _ := os.ReadDir(filepath.Join("testdata", "export"))
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".csv") {
			continue
		}
		data, _ := os.ReadFile(filepath.Join("testdata", "export", e.Name()))
		for _, cell := range strings.FieldsFunc(string(data), func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
			if strings.ContainsAny(cell, ":/") && len(cell) < 40 {
				f.Add(cell, strings.Contains(string(data), ";"))
			}
		}
	}
	for _, s := range []string{"2025-03-09 02:30:00", "2025-11-02 01:30:00", "8/2/2025 2:24 PM", "2025-08-02T14:24:40-07:00", "31.12.99 23:59"} {
		f.Add(s, false)
	}
	zones := []*time.Location{mustZone(f, "America/Vancouver"), mustZone(f, "Australia/Lord_Howe"), mustZone(f, "Pacific/Apia"), time.UTC}
	f.Fuzz(func(t *testing.T, s string, dayFirst bool) {
		order := DateMonthFirst
		if dayFirst {
			order = DateDayFirst
		}
		lt, err := parseLocalTime(s, order)
		// Intercom's own form must always be read when it is a real time.
		// (time.Parse alone is too lenient an oracle: it takes 0:00:00,0.)
		trimmed := strings.TrimSpace(s)
		if wall, perr := time.Parse("2006-01-02 15:04:05", trimmed); perr == nil && intercomForm.MatchString(trimmed) && wall.Year() >= 1 {
			if err != nil {
				t.Fatalf("%q is a valid Intercom time but: %v", s, err)
			}
			if !lt.hasSeconds || lt.year != wall.Year() || lt.month != int(wall.Month()) || lt.day != wall.Day() || lt.hour != wall.Hour() || lt.min != wall.Minute() || lt.sec != wall.Second() {
				t.Fatalf("%q read as %+v", s, lt)
			}
		}
		if err != nil {
			checkOneLine(t, "error", err.Error())
			return
		}
		if lt.hasOffset {
			return
		}
		if lt.year < 1 || lt.year > 9999 {
			t.Fatalf("%q read with year %d", s, lt.year)
		}
		if lt.month < 1 || lt.month > 12 || lt.day < 1 || lt.day > daysIn(lt.year, lt.month) || lt.hour > 23 || lt.min > 59 || lt.sec > 59 || lt.hour < 0 || lt.min < 0 || lt.sec < 0 {
			t.Fatalf("%q read as an impossible time %+v", s, lt)
		}
		for _, loc := range zones {
			got, note := lt.resolve(loc)
			// Remembering zone periods changes nothing, whatever was read before.
			var p zonePeriod
			for range 2 {
				if u, n := lt.resolveUnix(loc, &p); u != got.Unix() || n != note {
					t.Fatalf("%q in %s: resolveUnix %d %q, resolve %s %q", s, loc, u, n, got, note)
				}
			}
			h, m, sec := got.In(loc).Clock()
			y, mo, d := got.In(loc).Date()
			same := y == lt.year && int(mo) == lt.month && d == lt.day && h == lt.hour && m == lt.min && sec == lt.sec
			switch {
			case note == "" && !same:
				t.Fatalf("%q in %s resolved to %s with no note", s, loc, got)
			case strings.Contains(string(note), "happens twice") && !same:
				t.Fatalf("%q in %s: doubled time resolved to %s", s, loc, got)
			case strings.Contains(string(note), "does not exist") && same:
				t.Fatalf("%q in %s: said not to exist but resolved to itself", s, loc)
			}
			checkOneLine(t, "note", string(note))
		}
	})
}

var intercomForm = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)

// TestSamples: the seed files of the dashboard and workspace fuzzers are
// good inputs and read without a reject.
func TestSamples(t *testing.T) {
	for _, dir := range []string{"dashboard", "workspace"} {
		entries, err := os.ReadDir(filepath.Join("testdata", dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			path := filepath.Join("testdata", dir, e.Name())
			t.Run(path, func(t *testing.T) {
				o, err := Input{Path: path}.Open()
				if err != nil {
					t.Fatal(err)
				}
				defer o.Close()
				kind, sniffErr := Sniff(o)
				switch dir {
				case "dashboard":
					info, err := ReadDashboard(o, true)
					if err != nil || info.Tally.Rejected != 0 || len(info.Figures) == 0 {
						t.Errorf("%+v %v", info, err)
					}
					if kind != KindDashboard {
						t.Errorf("sniffed as %q: %v", kind, sniffErr)
					}
				case "workspace":
					if _, err := ReadWorkspace(o); err != nil {
						t.Error(err)
					}
					if kind != KindWorkspace {
						t.Errorf("sniffed as %q: %v", kind, sniffErr)
					}
				}
			})
		}
	}
}

func TestNewOpened(t *testing.T) {
	data := []byte("Conversation ID\n1\n")
	o, err := NewOpened("stdin", bytes.NewReader(gzipBytes(t, data)))
	if err != nil {
		t.Fatal(err)
	}
	info, err := ReadExport(o, ExportOptions{}, func(*intercom.Conversation, bool) error { return nil })
	if err != nil || info.Tally.Accepted != 1 || info.File.Path != "stdin" {
		t.Errorf("%+v %v", info, err)
	}
	if err := o.Close(); err != nil {
		t.Errorf("Close on a reader that is not a Closer: %v", err)
	}
}
