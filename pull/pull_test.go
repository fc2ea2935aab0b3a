package pull

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/icrecon/icrecon/internal/fakeintercom"
	"github.com/icrecon/icrecon/internal/outdir"
)

// source is the sample workspace as the fake server holds it, with the
// facts the tests pick their targets by.
type source struct {
	convs    [][]byte
	ids      []string // by created_at
	created  map[string]int64
	from, to time.Time // a period holding every conversation
}

func loadSource(t *testing.T) source {
	t.Helper()
	convs, err := fakeintercom.Sample()
	if err != nil {
		t.Fatal(err)
	}
	s := source{convs: convs, created: map[string]int64{}}
	for _, c := range convs {
		d, err := readDetail(c)
		if err != nil {
			t.Fatal(err)
		}
		s.ids = append(s.ids, d.ID)
		s.created[d.ID] = d.CreatedAt
	}
	sort.Slice(s.ids, func(i, j int) bool { return s.created[s.ids[i]] < s.created[s.ids[j]] })
	first, last := s.created[s.ids[0]], s.created[s.ids[len(s.ids)-1]]
	s.from = time.Unix(first, 0).UTC().Truncate(24 * time.Hour)
	s.to = time.Unix(last, 0).UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	return s
}

// pulled reads conversations.jsonl back: each conversation's line, and how
// many times each id occurs.
func pulled(t *testing.T, dir string) (map[string][]byte, map[string]int) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, ConversationsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, times := map[string][]byte{}, map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		d, err := readDetail(sc.Bytes())
		if err != nil {
			t.Fatalf("a line of the pull is not a conversation: %v", err)
		}
		lines[d.ID] = bytes.Clone(sc.Bytes())
		times[d.ID]++
	}
	return lines, times
}

// sameAsSource requires every conversation of the server, each once and
// byte for byte as the server now holds it, except those in stale (which
// must be there as they were first given) and absent.
func sameAsSource(t *testing.T, dir string, srv *fakeintercom.Server, src source, stale, absent []string) {
	t.Helper()
	lines, times := pulled(t, dir)
	want := srv.Conversations()
	original := map[string][]byte{}
	for _, c := range src.convs {
		d, _ := readDetail(c)
		original[d.ID] = c
	}
	for id, body := range want {
		if slices.Contains(absent, id) {
			continue
		}
		if slices.Contains(stale, id) {
			body = original[id]
		}
		switch {
		case times[id] == 0:
			t.Errorf("conversation %s was not pulled", id)
		case times[id] > 1:
			t.Errorf("conversation %s was pulled %d times", id, times[id])
		case !bytes.Equal(lines[id], body):
			t.Errorf("conversation %s differs from the server's", id)
		}
	}
	for id := range lines {
		if _, ok := want[id]; !ok {
			t.Errorf("conversation %s is not the server's", id)
		}
	}
	for _, id := range absent {
		if times[id] > 0 {
			t.Errorf("conversation %s should be missing", id)
		}
	}
}

func newTestPuller(t *testing.T, srv *fakeintercom.Server, dir string, src source, change func(*Options)) *Puller {
	t.Helper()
	opts := Options{
		Dir:         dir,
		Query:       Query{BaseURL: srv.URL, By: "created_at", From: src.from, To: src.to, Timezone: "UTC"},
		Token:       "test-token",
		Concurrency: 4,
		Retry:       Retry{Attempts: 6, RateLimited: 100, Base: time.Millisecond, Max: 20 * time.Millisecond, Timeout: 100 * time.Millisecond},
		Tool:        "icrecon-test",
		// The fake server speaks plain http.
		InsecureHTTP: true,
	}
	if change != nil {
		change(&opts)
	}
	p, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func startServer(t *testing.T, src source, opts fakeintercom.Options) *fakeintercom.Server {
	t.Helper()
	srv, err := fakeintercom.New(src.convs, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// TestPull_Faults pulls the sample through every fault the fake server can
// inject and compares what was pulled with the source, conversation by
// conversation, and the manifest's checks with what the fault left.
func TestPull_Faults(t *testing.T) {
	src := loadSource(t)
	truncated := "" // the sample's conversation past the 500-part cap
	for _, c := range src.convs {
		if d, _ := readDetail(c); d.truncated() {
			truncated = d.ID
		}
	}
	if truncated == "" {
		t.Fatal("the sample has no conversation past the 500-part cap")
	}
	updated, changedLater, deleted := src.ids[40], src.ids[120], src.ids[200]
	cases := []struct {
		name   string
		faults fakeintercom.Options
		change func(*Options)
		check  func(t *testing.T, m *Manifest, st fakeintercom.Stats)
		stale  []string // pulled as first served, by design
		absent []string
	}{
		{name: "no faults"},
		// How the pacer spreads requests is TestPacer's; here, that the pull
		// rides a limit it must hit, and counts the 429s it met.
		{name: "rate limit", faults: fakeintercom.Options{RateLimit: 150}, change: func(o *Options) { o.Concurrency = 8 },
			check: func(t *testing.T, m *Manifest, st fakeintercom.Stats) {
				if m.Counts.RateLimited != int64(st.RateLimited) {
					t.Errorf("manifest counts %d answers 429, the server gave %d", m.Counts.RateLimited, st.RateLimited)
				}
				if m.Counts.WaitedSeconds == 0 {
					t.Error("no waiting, against a limit of 150 requests a second for 387 requests")
				}
			}},
		{name: "server errors", faults: fakeintercom.Options{ServerErrorEvery: 7},
			check: func(t *testing.T, m *Manifest, st fakeintercom.Stats) {
				if st.ServerErrors == 0 || m.Counts.Retries < int64(st.ServerErrors) {
					t.Errorf("%d server errors, %d retries", st.ServerErrors, m.Counts.Retries)
				}
			}},
		{name: "slow answers time out", faults: fakeintercom.Options{SlowEvery: 29, Slow: 2 * time.Second}},
		{name: "dropped connections", faults: fakeintercom.Options{DropEvery: 13}},
		{name: "a repeated cursor", faults: fakeintercom.Options{RepeatCursorOnce: true},
			change: func(o *Options) { o.pageSize, o.Window = 20, 30*24*time.Hour },
			check: func(t *testing.T, m *Manifest, st fakeintercom.Stats) {
				repeated := 0
				for _, w := range m.Windows {
					repeated += w.RepeatedCursors
					if !w.Whole {
						t.Errorf("window %v not whole after a second attempt", w.From)
					}
				}
				if repeated != 1 {
					t.Errorf("%d repeated cursors noted, want 1", repeated)
				}
			}},
		{name: "a conversation updated mid-pull", faults: fakeintercom.Options{UpdateMidPull: updated},
			check: func(t *testing.T, m *Manifest, st fakeintercom.Stats) {
				if !slices.Equal(m.Completeness.UpdatedDuringPull, []string{updated}) {
					t.Errorf("updated during the pull: %v, want [%s]", m.Completeness.UpdatedDuringPull, updated)
				}
			}},
		{name: "a conversation updated after it was fetched", faults: fakeintercom.Options{UpdateAfterFetch: changedLater},
			stale: []string{changedLater},
			check: func(t *testing.T, m *Manifest, st fakeintercom.Stats) {
				if c := m.Completeness.ChangedAfterFetch; len(c) != 1 || c[0].ID != changedLater || c[0].FoundUpdated != c[0].HeldUpdated+3600 {
					t.Errorf("changed after fetch: %+v", c)
				}
			}},
		{name: "a conversation deleted mid-pull", faults: fakeintercom.Options{DeleteMidPull: deleted},
			absent: []string{deleted},
			check: func(t *testing.T, m *Manifest, st fakeintercom.Stats) {
				if c := m.Completeness; c.Complete || len(c.Missing) != 1 || c.Missing[0].ID != deleted || m.State != "incomplete" {
					t.Errorf("completeness %+v, state %s", c, m.State)
				}
			}},
		{name: "bounds that exclude", faults: fakeintercom.Options{StrictBounds: true}},
		{name: "by updated_at", change: func(o *Options) { o.Query.By = "updated_at"; o.Query.To = o.Query.To.AddDate(0, 1, 0) }},
		{name: "everything at once, 8 at a time",
			faults: fakeintercom.Options{RateLimit: 200, ServerErrorEvery: 9, SlowEvery: 37, Slow: 2 * time.Second, DropEvery: 23, RepeatCursorOnce: true, UpdateMidPull: updated},
			change: func(o *Options) { o.Concurrency, o.pageSize, o.Window = 8, 20, 30*24*time.Hour }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, src, tc.faults)
			dir := t.TempDir()
			res, err := newTestPuller(t, srv, dir, src, tc.change).Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			m := res.Manifest
			sameAsSource(t, dir, srv, src, tc.stale, tc.absent)
			if tc.absent == nil && (!m.Completeness.Complete || m.State != "complete") {
				t.Errorf("state %s, problems %v", m.State, m.Completeness.Problems)
			}
			if tr := m.Completeness.TruncatedHistories; len(tr) != 1 || tr[0].ID != truncated || tr[0].Parts != 500 {
				t.Errorf("truncated histories %+v, want %s with 500 parts", tr, truncated)
			}
			if want := len(src.convs) - len(tc.absent); m.Counts.Fetched != want {
				t.Errorf("fetched %d, want %d", m.Counts.Fetched, want)
			}
			// An attempt that timed out (100 ms here, easily reached on a
			// loaded machine) may or may not have reached the server before
			// it was retried.
			if st := srv.Stats(); int64(st.Requests) > m.Counts.Requests || int64(st.Requests) < m.Counts.Requests-m.Counts.Retries || st.Versions["2.16"] != st.Requests {
				t.Errorf("manifest counts %d requests (%d retries), the server saw %d (versions %v)", m.Counts.Requests, m.Counts.Retries, st.Requests, st.Versions)
			}
			if tc.check != nil {
				tc.check(t, m, srv.Stats())
			}
			onDisk, err := readManifest(filepath.Join(dir, ManifestFile))
			if err != nil || onDisk.State != m.State || onDisk.Counts != m.Counts {
				t.Errorf("manifest.json does not hold the final state: %v", err)
			}
		})
	}
}

// TestPull_WindowBoundaries puts conversations exactly on the boundary
// between two windows: each must be pulled once, whether the API's ">" and
// "<" include their bound or not.
func TestPull_WindowBoundaries(t *testing.T) {
	src := loadSource(t)
	a, b := src.created[src.ids[10]], src.created[src.ids[20]]
	for _, strict := range []bool{false, true} {
		srv := startServer(t, src, fakeintercom.Options{StrictBounds: strict})
		dir := t.TempDir()
		p := newTestPuller(t, srv, dir, src, func(o *Options) {
			// Windows [a, b), [b, 2b-a), … : ids[10] opens the first, ids[20] the second.
			o.Query.From, o.Query.To, o.Window = time.Unix(a, 0), time.Unix(src.created[src.ids[40]], 0), time.Duration(b-a)*time.Second
		})
		res, err := p.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		lines, times := pulled(t, dir)
		want := src.ids[10:40] // created in [a, ids[40])
		if len(lines) != len(want) {
			t.Errorf("strict %v: pulled %d, want %d", strict, len(lines), len(want))
		}
		for _, id := range want {
			if times[id] != 1 {
				t.Errorf("strict %v: %s pulled %d times", strict, id, times[id])
			}
		}
		if !res.Manifest.Completeness.Complete {
			t.Errorf("strict %v: %v", strict, res.Manifest.Completeness.Problems)
		}
	}
}

// TestPull_Resumes stops a pull part way (as Ctrl-C does), tears its last
// line (as kill -9 mid-write can), and runs it again: nothing lost, nothing
// twice, the earlier work not repeated.
func TestPull_Resumes(t *testing.T) {
	src := loadSource(t)
	srv := startServer(t, src, fakeintercom.Options{Latency: time.Millisecond})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	first := newTestPuller(t, srv, dir, src, nil)
	go func() {
		for first.Progress().Fetched < 100 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	if _, err := first.Run(ctx); err == nil {
		t.Fatal("a cancelled pull reported success")
	}
	m, err := readManifest(filepath.Join(dir, ManifestFile))
	if err != nil || m.State != "running" || m.Checkpoint.Conversations < 100 {
		t.Fatalf("checkpoint after the stop: %+v, %v", m, err)
	}
	f, _ := os.OpenFile(filepath.Join(dir, ConversationsFile), os.O_APPEND|os.O_WRONLY, 0)
	f.Write(src.convs[len(src.convs)-1][:500])
	f.Close()
	before := srv.Stats().Details

	res, err := newTestPuller(t, srv, dir, src, nil).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Resumed || res.TornBytes != 500 || res.Manifest.Runs != 2 {
		t.Errorf("resumed %v, torn %d, runs %d", res.Resumed, res.TornBytes, res.Manifest.Runs)
	}
	sameAsSource(t, dir, srv, src, nil, nil)
	if again := srv.Stats().Details - before; again > len(src.convs)-100 {
		t.Errorf("the second run fetched %d conversations; the first had kept at least 100 of %d", again, len(src.convs))
	}

	// Once complete, running it again does nothing.
	requests := srv.Stats().Requests
	res, err = newTestPuller(t, srv, dir, src, nil).Run(context.Background())
	if err != nil || !res.AlreadyComplete || srv.Stats().Requests != requests {
		t.Errorf("a complete pull run again: %v, already complete %v, %d requests", err, res.AlreadyComplete, srv.Stats().Requests-requests)
	}
}

func TestPull_RefusesAnotherPullsFolder(t *testing.T) {
	src := loadSource(t)
	srv := startServer(t, src, fakeintercom.Options{})
	dir := t.TempDir()
	if _, err := newTestPuller(t, srv, dir, src, func(o *Options) { o.Query.To = o.Query.From.AddDate(0, 0, 2) }).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err := newTestPuller(t, srv, dir, src, nil).Run(context.Background())
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("holds another pull (it covers")) {
		t.Errorf("error %v", err)
	}
}

func TestManifest_JSONNames(t *testing.T) {
	b, _ := json.Marshal(Manifest{Schema: ManifestSchema})
	for _, key := range []string{`"schema"`, `"query"`, `"checkpoint"`, `"counts"`, `"completeness"`, `"windows"`, `"truncated_histories"`, `"search_total_count"`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("manifest has no %s", key)
		}
	}
}

// TestPull_RetriesWhatWasMissing: a pull that ended incomplete, run again
// once the fault has passed, fetches only what it lacked and is complete.
func TestPull_RetriesWhatWasMissing(t *testing.T) {
	src := loadSource(t)
	deleted := src.ids[50]
	broken := startServer(t, src, fakeintercom.Options{DeleteMidPull: deleted})
	dir := t.TempDir()
	res, err := newTestPuller(t, broken, dir, src, nil).Run(context.Background())
	if err != nil || res.Manifest.State != "incomplete" {
		t.Fatalf("first run: %v, state %s", err, res.Manifest.State)
	}
	// The same workspace, healthy again. (A test server cannot keep its
	// address, so the manifest is pointed at the new one.)
	healthy := startServer(t, src, fakeintercom.Options{})
	path := filepath.Join(dir, ManifestFile)
	m, _ := readManifest(path)
	m.Query.BaseURL = healthy.URL
	m.write(path)

	res, err = newTestPuller(t, healthy, dir, src, nil).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Manifest.Completeness; !c.Complete || len(c.Missing) != 0 || res.Manifest.Counts.Fetched != len(src.convs) {
		t.Errorf("second run: %+v, fetched %d", c, res.Manifest.Counts.Fetched)
	}
	if st := healthy.Stats(); st.Details != 1 {
		t.Errorf("the second run fetched %d conversations, want only the missing one", st.Details)
	}
	sameAsSource(t, dir, healthy, src, nil, nil)
}

// TestPull_WritesOnlyWhereItOwns: a new pull goes into an empty folder
// only, never writes through a link, and a second pull into a folder one
// is writing is refused (issue 13).
func TestPull_WritesOnlyWhereItOwns(t *testing.T) {
	src := loadSource(t)
	srv := startServer(t, src, fakeintercom.Options{})
	cases := []struct {
		name    string
		prepare func(t *testing.T, dir string) func()
		wantErr string
	}{
		{"a folder holding a user's file", func(t *testing.T, dir string) func() {
			os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
			return func() {}
		}, `holds files a pull did not write ("notes.txt")`},
		{"a folder holding a manifest.json of something else", func(t *testing.T, dir string) func() {
			os.WriteFile(filepath.Join(dir, ManifestFile), []byte(`{"name":"my-app","version":"1.0"}`), 0o644)
			return func() {}
		}, "manifest.json"},
		{"a second pull while one writes", func(t *testing.T, dir string) func() {
			f, err := outdir.Lock(filepath.Join(dir, lockFile), dir)
			if err != nil {
				t.Fatal(err)
			}
			return func() { f.Close() }
		}, "another icrecon run is writing into this folder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			after := tc.prepare(t, dir)
			defer after()
			before := listFolder(t, dir)
			p := newTestPuller(t, srv, dir, src, nil)
			_, err := p.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			// Refused, the folder is as it was: no lock file of icrecon's
			// left in a folder of the user's.
			if after := listFolder(t, dir); !slices.Equal(after, before) {
				t.Errorf("the folder held %q, and %q after the refusal", before, after)
			}
		})
	}
}

func listFolder(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestOpenStore_NeverWritesThroughALink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious.txt")
	os.WriteFile(target, []byte("mine"), 0o644)
	link := filepath.Join(dir, ConversationsFile)
	os.Symlink(target, link)
	if _, _, err := openStore(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("error %v, want a refusal of the link", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "mine" {
		t.Errorf("the linked file was changed: %q", b)
	}
}
