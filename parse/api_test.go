package parse

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/icrecon/icrecon/intercom"
)

// apiCase is one golden test of ReadAPI: testdata/api/<file> is read and its
// dump compared with testdata/api/<file without extension>.golden.
type apiCase struct {
	file string
	why  string
}

var apiCases = []apiCase{
	{"single_2_16.json", "GET /conversations/{id} in 2.16: parts, statistics, tags, teammates, ids as strings or integers"},
	{"list_page.json", "GET /conversations: a page without parts, statistics null, 0 for unassigned"},
	{"search_page.json", "POST /conversations/search: the same page type with pages.next.starting_after"},
	{"several.jsonl", "what icrecon pull writes: JSON Lines, blank lines allowed, lines counted from 1"},
	{"values_on_one_line.jsonl", "several values back to back on one line ({…}{…}, {…} […], a page then a conversation) are each read, with the line's number; what follows a value that is not one is a reject"},
	{"array_pretty.json", "a pretty-printed array: records numbered, a non-object element rejected alone"},
	{"gzip.json.gz", "a gzipped pull, recognised by its content"},
	{"legacy_2_9.json", "2.9: teammates.admins, priority not_priority, null assignees, integer part ids, nobody_admin"},
	{"assignee_zero_vs_null.jsonl", "2.16 says 0 for unassigned, earlier versions null: both are unassigned"},
	{"unknown_fields_and_part_types.json", "new fields and part types are skipped or kept verbatim, never fatal"},
	{"truncated_parts.json", "the API returns at most 500 parts: 3 parts of 640 is a truncated history"},
	{"statistics_nulls.json", "statistics fields are null when they do not apply: unset, not zero"},
	{"ids_as_numbers.json", "ids and times written as numbers, floats or strings by re-serialising tools"},
	{"ids_not_digits.jsonl", "a conversation id is digits, not starting with 0, white space around it left out (the export's rule): an e-mail address, a name or text is a located reject, not an id; a number with a fraction or exponent is a reject, not another id"},
	{"escaped_strings.json", "\\u escapes, surrogate pairs and escaped quotes in ids, states, tags and names"},
	{"error_list.json", "an error response saved instead of data: one sentence, not a reject"},
	{"error_in_jsonl.jsonl", "an error response among conversations: a located reject, the others read"},
	{"ticket.json", "a ticket object is not a conversation"},
	{"broken_line.jsonl", "a line of broken JSON: one located reject, the lines around it read"},
	{"truncated_last_line.jsonl", "a pull cut off mid-write: the last line rejected, the rest read"},
	{"created_at_yesterday.json", "a created_at that is not a Unix time names the field and the value"},
	{"part_without_created_at.json", "a part without created_at cannot be placed in time: the path names the part"},
	{"deleted_entries.json", "GET /conversations/deleted reuses type conversation for entries without data"},
	{"statistics_out_of_range.jsonl", "a duration past 10^12 s either way is rejected where it is (it crashed the report); a negative one is the API's own and kept"},
}

func TestReadAPI_Golden(t *testing.T) {
	dir := filepath.Join("testdata", "api")
	var listed []string
	for _, tc := range apiCases {
		listed = append(listed, tc.file)
		name := strings.TrimSuffix(strings.TrimSuffix(tc.file, ".gz"), filepath.Ext(strings.TrimSuffix(tc.file, ".gz")))
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			info, got, err := readAPIFile(t, path, APIOptions{})
			checkAPIInvariants(t, path, info, got, err)
			checkGolden(t, filepath.Join(dir, name+".golden"), dumpAPI(tc.why, path, info, got, err))
		})
	}
	untestedInputs(t, dir, listed, ".json", ".jsonl", ".gz")
}

func readAPIFile(t testing.TB, path string, opts APIOptions) (*APIInfo, []emitted, error) {
	t.Helper()
	o, err := Input{Path: path}.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	var got []emitted
	info, err := ReadAPI(o, opts, collect(&got))
	return info, got, err
}

func checkAPIInvariants(t *testing.T, path string, info *APIInfo, got []emitted, err error) {
	t.Helper()
	if info == nil {
		if err == nil {
			t.Error("no info and no error")
		}
		if len(got) > 0 {
			t.Errorf("no info but %d conversations emitted", len(got))
		}
		if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("file-level error is not one line: %q", err)
		}
		return
	}
	if cerr := info.Tally.Check(path); cerr != nil {
		t.Error(cerr)
	}
	dups := 0
	for _, e := range got {
		if e.dup {
			dups++
		}
		if e.c.ID == "" || !e.c.CreatedAt.Valid {
			t.Errorf("accepted a conversation without id or created_at: %+v", e.c)
		}
		if e.c.Origin.File != path || e.c.Origin.Line < 1 {
			t.Errorf("conversation %s: origin %+v", e.c.ID, e.c.Origin)
		}
	}
	if info.Tally.Accepted+info.Tally.Duplicates != len(got) || dups != info.Tally.Duplicates {
		t.Errorf("tally %+v but %d emitted (%d duplicates)", info.Tally, len(got), dups)
	}
	if info.Tally.Rejected != len(info.Rejects) {
		t.Errorf("tally counts %d rejects, %d kept", info.Tally.Rejected, len(info.Rejects))
	}
	checkRejects(t, path, info.Rejects, nil)
	if err == nil {
		if info.File.Kind != KindAPI || info.File.Path != path {
			t.Errorf("File = %+v", info.File)
		}
		checkFileInfo(t, path, info.File)
	}
}

// dumpHead starts a golden dump: why, which file, and the error if any.
func dumpHead(b *strings.Builder, why, path string, err error) {
	fmt.Fprintf(b, "# %s\nfile: %s\n", why, path)
	if err != nil {
		fmt.Fprintf(b, "error: %s\n", errorLine(err))
	}
}

func dumpAPI(why, path string, info *APIInfo, got []emitted, err error) string {
	var b strings.Builder
	dumpHead(&b, why, path, err)
	if info == nil {
		return b.String()
	}
	t := info.Tally
	fmt.Fprintf(&b, "format: %s\ntally: read=%d accepted=%d rejected=%d duplicates=%d\n", info.Format, t.Read, t.Accepted, t.Rejected, t.Duplicates)
	dumpRejects(&b, "reject", info.Rejects)
	for _, e := range got {
		dumpConversation(&b, e)
	}
	return b.String()
}

// TestReadAPI_HugeLine: a conversation whose body alone is larger than the
// reader's chunk (1 MB) and bufio's buffer must be read whole, and the lines
// after it keep their numbers.
func TestReadAPI_HugeLine(t *testing.T) {
	body := strings.Repeat(`<p>a long email thread \"quoted\"</p>`, 2_500_000/38)
	var data bytes.Buffer
	data.WriteString(`{"type":"conversation","id":"1","created_at":1754169880}` + "\n")
	fmt.Fprintf(&data, `{"type":"conversation","id":"2","created_at":1754169881,"source":{"body":"%s"},"conversation_parts":{"conversation_parts":[{"id":"p","part_type":"comment","created_at":1754169882,"body":"%s"}],"total_count":1}}`+"\n", body, body)
	data.WriteString(`{"type":"conversation","id":"3","created_at":"bad"}` + "\n")
	if data.Len() < 4<<20 {
		t.Fatalf("the test file is only %d bytes", data.Len())
	}
	var got []emitted
	info, err := readAPIBytes(t, "huge.jsonl", data.Bytes(), collect(&got))
	if err != nil {
		t.Fatal(err)
	}
	if info.Format != "JSON Lines" || info.Tally != (Tally{Read: 3, Accepted: 2, Rejected: 1}) {
		t.Fatalf("format %q tally %+v rejects %v", info.Format, info.Tally, info.Rejects)
	}
	if got[1].c.ID != "2" || len(got[1].c.Parts) != 1 || !got[1].c.Parts[0].HasBody || got[1].c.Origin.Line != 2 {
		t.Errorf("huge conversation read as %+v", got[1].c)
	}
	if info.Rejects[0].Line != 3 {
		t.Errorf("the line after the huge one is reported at line %d", info.Rejects[0].Line)
	}
}

// TestReadAPI_LedgerAcrossFiles: a conversation pulled twice (overlapping
// search windows) is a duplicate in the second file when both share a Ledger.
func TestReadAPI_LedgerAcrossFiles(t *testing.T) {
	ledger := IDSet{}
	a := []byte(`{"type":"conversation","id":"1","created_at":1}` + "\n" + `{"type":"conversation","id":"2","created_at":2}` + "\n")
	b := []byte(`{"type":"conversation","id":"2","created_at":2,"state":"closed"}` + "\n" + `{"type":"conversation","id":"3","created_at":3}` + "\n")
	var gotA, gotB []emitted
	infoA, errA := ReadAPI(openTemp(t, "a.jsonl", a), APIOptions{Ledger: ledger}, collect(&gotA))
	infoB, errB := ReadAPI(openTemp(t, "b.jsonl", b), APIOptions{Ledger: ledger}, collect(&gotB))
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if infoA.Tally != (Tally{Read: 2, Accepted: 2}) || infoB.Tally != (Tally{Read: 2, Accepted: 1, Duplicates: 1}) {
		t.Errorf("tallies %+v %+v", infoA.Tally, infoB.Tally)
	}
	// The duplicate is still handed on, marked, so a newer snapshot can win.
	if !gotB[0].dup || gotB[0].c.State != "closed" || gotB[1].dup {
		t.Errorf("second file emitted %v %v", gotB[0], gotB[1])
	}
	// Without a shared ledger each file stands alone.
	infoC, _ := readAPIBytes(t, "b.jsonl", b, func(*intercom.Conversation, bool) error { return nil })
	if infoC.Tally.Duplicates != 0 {
		t.Errorf("a fresh read found duplicates: %+v", infoC.Tally)
	}
}

// generatedPull writes n conversations as JSON Lines with a sprinkling of
// bad records, so the parallel reader has rejects and duplicates to order.
func generatedPull(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		switch {
		case i%97 == 13:
			fmt.Fprintf(&b, `{"type":"conversation","id":"%d","created_at":"not a time"}`+"\n", i)
			continue
		case i%131 == 7:
			b.WriteString(`{"type":"conversation","id":` + "\n")
			continue
		case i%59 == 3:
			i2 := i - 1
			fmt.Fprintf(&b, `{"type":"conversation","id":"%d","created_at":%d}`+"\n", i2, 1754169880+i2)
			continue
		}
		created := 1754169880 + i*60
		fmt.Fprintf(&b, `{"type":"conversation","id":"%d","created_at":%d,"state":"open","source":{"delivered_as":"customer_initiated","body":"%s"},`, i, created, strings.Repeat("x", i%700))
		fmt.Fprintf(&b, `"statistics":{"time_to_admin_reply":%d,"count_conversation_parts":%d},"conversation_parts":{"conversation_parts":[`, i%600, 2+i%3)
		for p := 0; p < 2; p++ {
			if p > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"%d-%d","part_type":"comment","created_at":%d,"author":{"type":"admin","id":"%d"},"body":"<p>%s</p>"}`, i, p, created+p*30, 100+i%5, strings.Repeat("y", (i*p)%900))
		}
		fmt.Fprintf(&b, `],"total_count":%d}}`+"\n", 2+i%3)
	}
	return b.Bytes()
}

// TestReadAPI_WorkersAgree: the parallel reader hands on the same records, in
// the same order, with the same rejects, whatever the number of workers; and
// the prepare step runs once for every conversation handed on, its result
// travelling with that conversation.
func TestReadAPI_WorkersAgree(t *testing.T) {
	data := generatedPull(2000)
	if len(data) < 2*chunkSize {
		t.Fatalf("%d bytes do not span several chunks of the splitter", len(data))
	}
	type result struct {
		info     *APIInfo
		dump     string
		prepared int64
	}
	path := writeTemp(t, "pull.jsonl", data)
	read := func(workers int) result {
		var prepared atomic.Int64
		seen := sync.Map{}
		var got []emitted
		o, err := Input{Path: path}.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		emit := collect(&got)
		prepare := func(c *intercom.Conversation) string {
			prepared.Add(1)
			if _, again := seen.LoadOrStore(c, true); again {
				t.Errorf("prepare ran twice on %s", c.ID)
			}
			c.InitiatorRaw += " prepared"
			return c.ID
		}
		info, err := ReadAPIPrepared(o, APIOptions{Workers: workers}, prepare, func(c *intercom.Conversation, id string, dup bool) error {
			if id != c.ID {
				t.Errorf("workers=%d: %s arrived with the prepared value of %s", workers, c.ID, id)
			}
			return emit(c, dup)
		})
		if err != nil {
			t.Fatalf("workers=%d: %v", workers, err)
		}
		var b strings.Builder
		for _, e := range got {
			if !strings.HasSuffix(e.c.InitiatorRaw, " prepared") {
				t.Errorf("workers=%d: %s handed on before Prepare ran", workers, e.c.ID)
			}
			dumpConversation(&b, e)
		}
		dumpRejects(&b, "reject", info.Rejects)
		return result{info, b.String(), prepared.Load()}
	}
	one, four := read(1), read(4)
	if one.info.Tally != four.info.Tally {
		t.Errorf("tallies differ: 1 worker %+v, 4 workers %+v", one.info.Tally, four.info.Tally)
	}
	if one.dump != four.dump {
		t.Errorf("results differ between 1 and 4 workers:\n%s", firstDifference(one.dump, four.dump))
	}
	for _, r := range []result{one, four} {
		if n := int64(r.info.Tally.Accepted + r.info.Tally.Duplicates); r.prepared != n {
			t.Errorf("Prepare ran %d times for %d conversations", r.prepared, n)
		}
	}
	if one.info.Tally.Read != 2000 || one.info.Tally.Rejected == 0 || one.info.Tally.Duplicates == 0 || one.info.Tally.Accepted < 1900 {
		t.Errorf("the generated file did not exercise rejects and duplicates: %+v", one.info.Tally)
	}
	// The default (one worker per CPU) agrees too.
	if d := read(0); d.dump != one.dump {
		t.Errorf("the default worker count differs:\n%s", firstDifference(one.dump, d.dump))
	}
}

func firstDifference(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < min(len(x), len(y)); i++ {
		if x[i] != y[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x[i], y[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(x), len(y))
}

// TestReadAPI_Strict: the first reject ends the read.
func TestReadAPI_Strict(t *testing.T) {
	path := filepath.Join("testdata", "api", "broken_line.jsonl")
	_, got, err := readAPIFile(t, path, APIOptions{Strict: true, Workers: 3})
	var strict *ErrStrict
	if !errors.As(err, &strict) {
		t.Fatalf("err = %v", err)
	}
	if strict.Reject.Line != 2 || len(got) != 1 {
		t.Errorf("stopped at %v after %d conversations", strict.Reject, len(got))
	}
}

// TestReadAPI_EmitErrorStops: an error from the caller ends the read, even
// with many chunks in flight, and no goroutine is left blocked.
func TestReadAPI_EmitErrorStops(t *testing.T) {
	data := generatedPull(3000)
	stop := errors.New("disk full")
	n := 0
	_, err := ReadAPI(openTemp(t, "p.jsonl", data), APIOptions{Workers: 2}, func(*intercom.Conversation, bool) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Errorf("err %v after %d", err, n)
	}
}

func TestReadAPI_EmptyInputs(t *testing.T) {
	for name, data := range map[string]string{"empty": "", "white space": " \n\t\n", "BOM only": "\ufeff"} {
		t.Run(name, func(t *testing.T) {
			info, err := readAPIBytes(t, "x.json", []byte(data), func(*intercom.Conversation, bool) error { return nil })
			if info != nil || err == nil || !strings.HasSuffix(err.Error(), "the file is empty") {
				t.Errorf("info %v, err %v", info, err)
			}
		})
	}
}

// TestReadAPI_GzipWrittenInTest: a .json.gz made here, with a BOM inside.
func TestReadAPI_GzipWrittenInTest(t *testing.T) {
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write([]byte("\ufeff" + `[{"type":"conversation","id":"1","created_at":1},{"type":"conversation","id":"2","created_at":2}]`))
	zw.Close()
	var got []emitted
	info, err := readAPIBytes(t, "pull.json.gz", zb.Bytes(), collect(&got))
	if err != nil || info.Tally.Accepted != 2 || got[1].c.Origin.Record != 2 {
		t.Fatalf("info %+v err %v", info, err)
	}
}

// TestReadAPI_WrongContainerType: a field that is valid JSON but of another
// type than expected ("statistics": [] or "source": "email") is a problem of
// that record; it must not end the reading of the page it sits in, nor be
// described as invalid JSON.
func TestReadAPI_WrongContainerType(t *testing.T) {
	page := `{"type":"conversation.list","conversations":[
{"type":"conversation","id":"1","created_at":1754169880},
{"type":"conversation","id":"2","created_at":1754169881,"statistics":[]},
{"type":"conversation","id":"3","created_at":1754169882,"source":"email"},
{"type":"conversation","id":"4","created_at":1754169883}
]}`
	var got []emitted
	info, err := readAPIBytes(t, "page.json", []byte(page), collect(&got))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range got {
		ids = append(ids, e.c.ID)
	}
	if !reflect.DeepEqual(ids, []string{"1", "4"}) && !reflect.DeepEqual(ids, []string{"1", "2", "3", "4"}) {
		t.Errorf("accepted %v; conversations 1 and 4 are intact and must be read", ids)
	}
	for _, r := range info.Rejects {
		if strings.Contains(r.Reason, "not valid JSON") {
			t.Errorf("reject %q calls valid JSON invalid", r.Error())
		}
	}
}

// TestReadAPI_SkippedFieldsAreChecked: a record that is not JSON must not
// pass as JSON because the broken part sits inside a value the reader skips.
func TestReadAPI_SkippedFieldsAreChecked(t *testing.T) {
	bad := `{"type":"conversation","id":"1","created_at":1754169880,"custom_attributes":{"a" 1, "b":[1 2]}}` + "\n"
	info, err := readAPIBytes(t, "c.jsonl", []byte(bad), func(*intercom.Conversation, bool) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if info.Tally.Rejected != 1 {
		t.Errorf("a record with broken JSON inside custom_attributes was accepted: %+v", info.Tally)
	}
}

// TestReadAPI_PageRejectsNameTheirRecord: in a page or array every record
// starts on the document's first line as far as Line knows, so a reject's
// sentence must also say which record it is; two bad records of one page
// must not read the same.
func TestReadAPI_PageRejectsNameTheirRecord(t *testing.T) {
	for _, file := range []string{"deleted_entries.json", "array_pretty.json"} {
		t.Run(file, func(t *testing.T) {
			info, _, err := readAPIFile(t, filepath.Join("testdata", "api", file), APIOptions{})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, r := range info.Rejects {
				msg := r.Error()
				if r.Record > 0 && !strings.Contains(msg, fmt.Sprintf("record %d", r.Record)) {
					t.Errorf("%q does not say it is record %d", msg, r.Record)
				}
				if seen[msg] {
					t.Errorf("two rejects read the same: %q", msg)
				}
				seen[msg] = true
			}
		})
	}
}

// TestReadAPI_TruncatedGzip: a pull cut short keeps what was read before
// (issue 13: it used to give records 0 and "unexpected EOF") and ends with
// one located reject that says where the data stops; every record is
// accounted for.
func TestReadAPI_TruncatedGzip(t *testing.T) {
	z := gzipBytes(t, generatedPull(3000))
	var got []emitted
	info, err := readAPIBytes(t, "pull.jsonl.gz", z[:len(z)/2], collect(&got))
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if info.Tally.Check("x") != nil || info.Tally.Accepted+info.Tally.Duplicates != len(got) || len(got) < 1000 {
		t.Errorf("info %+v, %d emitted", info.Tally, len(got))
	}
	last := info.Rejects[len(info.Rejects)-1]
	want := "records before were read"
	if last.Line < 1000 || !strings.Contains(last.Reason, "the gzip file ends early after") || !strings.Contains(last.Reason, want) {
		t.Errorf("last reject %q", last.Error())
	}
	checkRejects(t, info.Rejects[0].File, info.Rejects, nil)
}

// TestReadAPI_TypeInReject: the type of a record that is not a conversation
// is data from the file: the reject must stay one short line whatever it is.
func TestReadAPI_TypeInReject(t *testing.T) {
	long := strings.Repeat("x", 5000)
	data := `{"type":"ticket\nsecond line","id":"1"}` + "\n" + `[{"type":"` + long + `","id":"2"}]` + "\n"
	info, err := readAPIBytes(t, "t.jsonl", []byte(data), func(*intercom.Conversation, bool) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Rejects) != 2 {
		t.Fatalf("rejects %v", info.Rejects)
	}
	for _, r := range info.Rejects {
		msg := r.Error()
		if strings.ContainsAny(msg, "\r\n") || len(msg) > 400 {
			t.Errorf("reject of %d bytes, one line: %v: %.200q", len(msg), !strings.ContainsAny(msg, "\r\n"), msg)
		}
	}
}

// TestReadAPI_LeanKeepsWhatStatisticsNeed: a lean read decodes the same
// parts (types, authors, times, bodies) as a full one, reuses their storage
// safely, and reads no names and no e-mail but Operator's.
func TestReadAPI_LeanKeepsWhatStatisticsNeed(t *testing.T) {
	data := generatedPull(500)
	path := writeTemp(t, "pull.jsonl", data)
	summarize := func(lean bool) []string {
		o, err := Input{Path: path}.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		var out []string
		prepare := func(c *intercom.Conversation) string {
			var b strings.Builder
			for _, p := range c.Parts {
				fmt.Fprintf(&b, "%s/%s/%s/%d/%v;", p.Type, p.Author.Type, p.Author.ID, p.CreatedAt.Unix, p.HasBody)
				if lean && (p.ID != "" || p.Author.Name != "" || (p.Author.Email != "" && !intercom.IsOperatorEmail(p.Author.Email))) {
					t.Errorf("lean read kept personal data or part ids: %+v", p)
				}
			}
			return b.String()
		}
		if _, err := ReadAPIPrepared(o, APIOptions{Lean: lean, Workers: 2}, prepare, func(c *intercom.Conversation, parts string, dup bool) error {
			out = append(out, c.ID+" "+parts)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	full, lean := summarize(false), summarize(true)
	if strings.Join(full, "\n") != strings.Join(lean, "\n") {
		t.Errorf("a lean read sees other parts than a full one:\n%s", firstDifference(strings.Join(full, "\n"), strings.Join(lean, "\n")))
	}
}

// TestReadAPI_LongID: Intercom's ids are short; a 10 MB "id" gave 561 MB of
// output (issue 13). Past 64 characters it is a located reject, shortened.
func TestReadAPI_LongID(t *testing.T) {
	ok := strings.Repeat("7", intercom.MaxConversationIDLength)
	data := fmt.Sprintf(`{"type":"conversation","id":"%s","created_at":1}`+"\n"+`{"type":"conversation","id":"%s","created_at":2}`+"\n"+`[{"type":"conversation","id":%s,"created_at":3}]`+"\n",
		ok, strings.Repeat("9", 10<<20), strings.Repeat("8", 65))
	var got []emitted
	info, err := readAPIBytes(t, "ids.jsonl", []byte(data), collect(&got))
	if err != nil || info.Tally != (Tally{Read: 3, Accepted: 1, Rejected: 2}) || got[0].c.ID != ok {
		t.Fatalf("%+v %v", info, err)
	}
	for i, want := range []string{"is 10485760 characters long, too long for a conversation id (Intercom's have at most 64)", "is 65 characters long, too long for a conversation id (Intercom's have at most 64)"} {
		r := info.Rejects[i]
		if r.Column != "id" || r.Reason != want || len(r.Error()) > 300 {
			t.Errorf("reject %d: %.300s", i, r.Error())
		}
	}
}

// TestDecoder_IDAllocatesOnlyItself: the id is checked in the scanner's
// buffer (intercom.ConversationID), so a digit id costs the one allocation
// of its string, as before the check, on the hot path of multi-gigabyte pulls.
func TestDecoder_IDAllocatesOnlyItself(t *testing.T) {
	for _, value := range []string{`"215470123456789"`, `215470123456789`, `" 215470123456789 "`} {
		data := []byte(value)
		var d decoder
		var id string
		allocs := testing.AllocsPerRun(100, func() {
			d.s.Reset(data)
			id = d.id(nil, "id")
		})
		if id != "215470123456789" || d.failed != nil || allocs != 1 {
			t.Errorf("%s: id %q, failed %+v, %v allocations; want the id, no failure, 1 allocation", value, id, d.failed, allocs)
		}
	}
}

// TestReadAPI_RejectNamesTheField: a value of the wrong type is rejected
// under its full path, however deep it lies (the decoder builds a path only
// for the field that fails).
func TestReadAPI_RejectNamesTheField(t *testing.T) {
	const head = `{"type":"conversation","id":"1","created_at":1754169880,`
	part := func(fields string) string {
		return `"conversation_parts":{"conversation_parts":[{"part_type":"comment","created_at":1754169881},{"part_type":"comment","created_at":1754169882` + fields + `}]}`
	}
	for _, tc := range []struct {
		name, fields, column string
	}{
		{"a top-level field", `"updated_at":"soon"`, "updated_at"},
		{"a statistic", `"statistics":{"count_reopens":-1}`, "statistics.count_reopens"},
		{"an element of reply_times", `"statistics":{"reply_times":[1,"x"]}`, "statistics.reply_times[1]"},
		{"a container of the wrong type", `"source":[]`, "source"},
		{"the author of the source", `"source":{"author":{"type":{}}}`, "source.author.type"},
		{"a rating", `"conversation_rating":{"rating":true}`, "conversation_rating.rating"},
		{"a part that is not an object", `"conversation_parts":{"conversation_parts":[{"created_at":1754169881},7]}`, "conversation_parts.conversation_parts[1]"},
		{"a part without its time", `"conversation_parts":{"conversation_parts":[{"created_at":1754169881},{"part_type":"note"}]}`, "conversation_parts.conversation_parts[1].created_at"},
		{"a field of a part", part(`,"body":"x","part_type":[]`), "conversation_parts.conversation_parts[1].part_type"},
		{"the author of a part", part(`,"author":{"id":{"a":1}}`), "conversation_parts.conversation_parts[1].author.id"},
		{"whom a part assigns", part(`,"assigned_to":{"type":"admin","id":[1]}`), "conversation_parts.conversation_parts[1].assigned_to.id"},
		{"a tag", `"tags":{"tags":[{"name":"a"},{"name":false}]}`, "tags.tags[1].name"},
		{"a teammate", `"teammates":{"admins":[{"id":[]}]}`, "teammates.admins[0].id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line := head + tc.fields + "}\n"
			info, err := readAPIBytes(t, "c.jsonl", []byte(line), func(*intercom.Conversation, bool) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if len(info.Rejects) != 1 || info.Rejects[0].Column != tc.column || !info.Rejects[0].InJSON {
				t.Errorf("rejects %+v, want one of column %s", info.Rejects, tc.column)
			}
		})
	}
}

// TestReadAPI_ReuseConversations: a reader that decodes each record into a
// conversation emitted before hands on, record for record, what a reader
// that allocates hands on, lean or not, on one worker or several, for every
// file in testdata/api and a generated pull of many chunks.
func TestReadAPI_ReuseConversations(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "api", "*.json*"))
	if err != nil || len(paths) < 20 {
		t.Fatalf("testdata/api: %d files, %v", len(paths), err)
	}
	paths = append(paths, writeTemp(t, "pull.jsonl", generatedPull(2000)))
	read := func(path string, opts APIOptions) (dump string, reused bool) {
		o, err := Input{Path: path}.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		var b strings.Builder
		seen := map[*intercom.Conversation]bool{}
		prepare := func(c *intercom.Conversation) int { return c.PartsRead }
		info, err := ReadAPIPrepared(o, opts, prepare, func(c *intercom.Conversation, parts int, dup bool) error {
			reused = reused || seen[c]
			seen[c] = true
			fmt.Fprintf(&b, "prepared %d: ", parts)
			dumpConversation(&b, emitted{c, dup})
			return nil
		})
		fmt.Fprintf(&b, "error %v\n", err)
		if info != nil {
			dumpRejects(&b, "reject", info.Rejects)
		}
		return b.String(), reused
	}
	for _, path := range paths {
		anyReused := false
		for _, lean := range []bool{false, true} {
			for _, workers := range []int{1, 3} {
				opts := APIOptions{Workers: workers, Lean: lean}
				want, _ := read(path, opts)
				opts.ReuseConversations = true
				got, reused := read(path, opts)
				anyReused = anyReused || reused
				if got != want {
					t.Errorf("%s, lean %v, %d workers: reusing conversations changes what is read:\n%s", filepath.Base(path), lean, workers, firstDifference(want, got))
				}
			}
		}
		if strings.HasSuffix(path, "pull.jsonl") && !anyReused {
			t.Error("the generated pull of 2,000 records reused no conversation: the test does not exercise reuse")
		}
	}
}

// TestReadAPI_ErrorBodies: an error.list whose "errors" array is empty (or
// holds objects with neither code nor message) was rejected as "is an
// error response from Intercom, not a conversation: ", a sentence ending
// in nothing, and a file holding only such a body was not said to be one.
// The sentence now says there is no message.
func TestReadAPI_ErrorBodies(t *testing.T) {
	const conv = `{"type":"conversation","id":"10001","created_at":1754169880}` + "\n"
	cases := []struct {
		name    string
		data    string
		wantErr string // the sentence for a file that is only an error body
		reason  string // else the reject's reason
	}{
		{"a message", `{"type":"error.list","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}`,
			"e.json: this is an error response from Intercom, not conversations (unauthorized: Access Token Invalid)", ""},
		{"no errors", `{"type":"error.list","request_id":"abc","errors":[]}`,
			"e.json: this is an error response from Intercom, not conversations (it gives no error message)", ""},
		{"errors without code or message", `{"type":"error.list","errors":[{},{"code":""}]}`,
			"e.json: this is an error response from Intercom, not conversations (it gives no error message)", ""},
		{"one error of two without words", `{"type":"error.list","errors":[{},{"code":"server_error"}]}`,
			"e.json: this is an error response from Intercom, not conversations (server_error)", ""},
		{"no errors among conversations", conv + `{"type":"error.list","errors":[]}` + "\n" + conv, "",
			"is an error response from Intercom, not a conversation (it gives no error message)"},
		{"a message among conversations", conv + `{"type":"error.list","errors":[{"message":"Exceeded rate limit"}]}` + "\n", "",
			"is an error response from Intercom, not a conversation: Exceeded rate limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := NewOpened("e.json", strings.NewReader(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			var got []emitted
			info, err := ReadAPI(o, APIOptions{}, collect(&got))
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(info.Rejects) != 1 || info.Rejects[0].Reason != tc.reason {
				t.Fatalf("rejects %+v, want one with the reason %q", info.Rejects, tc.reason)
			}
		})
	}
}
