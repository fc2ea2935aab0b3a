package parse

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/icrecon/icrecon/intercom"
)

// Issue 13, "never lose a record unseen": the API reader streams arrays and
// pages element by element, and accounts for every record behind broken
// JSON or a cut-short gzip.

// prettyConversations is n small conversations, ids 1001 on, as
// json.MarshalIndent writes an array (page false) or a list page.
func prettyConversations(t testing.TB, n int, page bool) string {
	t.Helper()
	convs := make([]map[string]any, n)
	for i := range convs {
		convs[i] = map[string]any{"type": "conversation", "id": fmt.Sprint(1001 + i), "created_at": 1754169880 + i, "state": "open"}
	}
	var v any = convs
	if page {
		v = map[string]any{"type": "conversation.list", "conversations": convs, "pages": map[string]any{"type": "pages", "page": 1, "per_page": n}, "total_count": n}
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// breakAfter applies edit to the text right after the nth occurrence of
// mark.
func breakAfter(t testing.TB, s, mark string, n int, edit func(rest string) string) string {
	t.Helper()
	at := 0
	for range n {
		i := strings.Index(s[at:], mark)
		if i < 0 {
			t.Fatalf("%q occurs fewer than %d times", mark, n)
		}
		at += i + len(mark)
	}
	return s[:at] + edit(s[at:])
}

func readAPIString(t *testing.T, name, data string) (*APIInfo, []emitted) {
	t.Helper()
	var got []emitted
	info, err := readAPIBytes(t, name, []byte(data), collect(&got))
	if err != nil {
		t.Fatalf("ReadAPI: %v", err)
	}
	checkAPIInvariants(t, info.Rejects[0].File, info, got, nil)
	return info, got
}

func TestReadAPI_BrokenDocumentAccountsForEveryRecord(t *testing.T) {
	array, page := prettyConversations(t, 50, false), prettyConversations(t, 50, true)
	dropComma := func(rest string) string { return strings.TrimPrefix(rest, ",") }
	tests := []struct {
		name     string
		data     string
		tally    Tally
		first    string // the first reject's sentence, from the file name on
		notFirst string // a phrase of the second reject, if any
	}{
		{
			// The case: records 2, exit 0, 48 conversations gone.
			name:     "array, comma missing after record 2",
			data:     breakAfter(t, array, "\n  }", 2, dropComma),
			tally:    Tally{Read: 50, Accepted: 2, Rejected: 48},
			first:    "broken.json:14 record 3: was not read: the JSON breaks right before it, at line 14, byte 213 (expected ',' or ']'); it and the 47 records after it in the array could not be read",
			notFirst: "broken.json:20 record 4: was not read: the JSON breaks before it, right before record 3 at line 14, byte 213",
		},
		{
			name:  "page, comma missing after record 2",
			data:  breakAfter(t, page, "\n    }", 2, dropComma),
			tally: Tally{Read: 50, Accepted: 2, Rejected: 48},
			first: "broken.json:15 record 3: was not read: the JSON breaks right before it, at line 15, byte 260 (expected ',' or ']'); it and the 47 records after it in the array could not be read",
		},
		{
			name:     "array, colon missing inside record 3",
			data:     breakAfter(t, array, `"id":`, 3, func(rest string) string { return strings.Replace(rest, `"state":`, `"state"`, 1) }),
			tally:    Tally{Read: 50, Accepted: 2, Rejected: 48},
			first:    "broken.json:14 record 3: is not valid JSON at line 17, byte 276 (expected ':' after key); it and the 47 records after it in the array could not be read",
			notFirst: "broken.json:20 record 4: was not read: the JSON breaks before it, in record 3 at line 17, byte 276",
		},
		{
			// A lost quote turns every string after it inside out; the
			// count that assumes so ends balanced and is used.
			name:     "array, quote missing in record 3",
			data:     breakAfter(t, array, `"state": "open`, 3, func(rest string) string { return strings.TrimPrefix(rest, `"`) }),
			tally:    Tally{Read: 50, Accepted: 2, Rejected: 48},
			first:    "broken.json:14 record 3: is not valid JSON at line 18, byte 289 (expected ',' or '}'); it and the 47 records after it in the array could not be read",
			notFirst: "broken.json:20 record 4: was not read: the JSON breaks before it, in record 3 at line 18, byte 289",
		},
		{
			// Two breaks leave nothing to count reliably: one reject says
			// about how much is lost.
			name: "array, quote missing in record 3 and a bracket in record 9",
			data: breakAfter(t, breakAfter(t, array, `"state": "open`, 3, func(rest string) string { return strings.TrimPrefix(rest, `"`) }),
				`"id": "1009"`, 1, func(rest string) string { return strings.Replace(rest, "}", "", 1) }),
			tally: Tally{Read: 3, Accepted: 2, Rejected: 1},
			first: "broken.json:14 record 3: is not valid JSON at line 18, byte 289 (expected ',' or '}'); the rest of the file from there could not be read: about 47 more records",
		},
		{
			name:  "array cut off inside record 5",
			data:  array[:strings.Index(array, `"id": "1005"`)],
			tally: Tally{Read: 5, Accepted: 4, Rejected: 1},
			first: "broken.json:26 record 5: is cut off: the file ends inside it (line 28, byte 460), so the file was probably cut short",
		},
		{
			name:  "array without its closing bracket",
			data:  strings.TrimSuffix(array, "]"),
			tally: Tally{Read: 51, Accepted: 50, Rejected: 1},
			first: "broken.json:302: the file ends before the array is closed (line 302, byte 5251): it was probably cut short, and records may be missing",
		},
		{
			name:  "page broken after its conversations",
			data:  strings.Replace(page, `"per_page": 50`, `"per_page" 50`, 1),
			tally: Tally{Read: 51, Accepted: 50, Rejected: 1},
			first: "broken.json:304: is not valid JSON at line 306, byte 5920 (expected ':' after key); the rest of the file from there could not be read",
		},
		{
			name:  "text after the array",
			data:  array + "\nsee you\n",
			tally: Tally{Read: 51, Accepted: 50, Rejected: 1},
			first: "broken.json:303: is not valid JSON at line 303, byte 5253 (unexpected character 's'); the rest of the file from there could not be read",
		},
		{
			name:     "a page on one line of JSON Lines, comma missing",
			data:     `{"type":"conversation","id":"1","created_at":1}` + "\n" + `{"type":"conversation.list","conversations":[{"id":"2","created_at":2} {"id":"3","created_at":3},{"id":"4","created_at":4}]}` + "\n" + `{"type":"conversation","id":"5","created_at":5}` + "\n",
			tally:    Tally{Read: 5, Accepted: 3, Rejected: 2},
			first:    "broken.json:2 record 2: was not read: the JSON breaks right before it, at byte 71 of the line (expected ',' or ']'); it and the record after it in the array could not be read",
			notFirst: "broken.json:2 record 3: was not read: the JSON breaks before it, right before record 2 at byte 71 of the line",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, got := readAPIString(t, "broken.json", tt.data)
			if info.Tally != tt.tally {
				t.Errorf("tally %+v, want %+v", info.Tally, tt.tally)
			}
			if msg := withoutDir(info.Rejects[0].Error()); msg != tt.first {
				t.Errorf("first reject\n got %s\nwant %s", msg, tt.first)
			}
			if tt.notFirst != "" && (len(info.Rejects) < 2 || withoutDir(info.Rejects[1].Error()) != tt.notFirst) {
				t.Errorf("second reject %v\nwant %s", info.Rejects[1:min(2, len(info.Rejects))], tt.notFirst)
			}
			// What was read is what comes before the break, in order.
			for i, e := range got {
				if want := fmt.Sprint(1001 + i); e.c.ID != want && !strings.Contains(tt.name, "JSON Lines") {
					t.Errorf("conversation %d is %s, want %s", i, e.c.ID, want)
				}
			}
		})
	}
}

// withoutDir drops the temporary folder from a sentence that starts with a
// file's path.
func withoutDir(msg string) string {
	path, rest, _ := strings.Cut(msg, ": ")
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		path = path[i+1:]
	}
	return path + ": " + rest
}

// TestReadAPI_CutGzipKeepsItsLines: the case, a .gz holding 133
// complete JSON lines and part of a 134th, cut short: it gave records 0 and
// "unexpected EOF" with no position. The 133 records are read, and one
// reject at line 134 says where the data stops.
func TestReadAPI_CutGzipKeepsItsLines(t *testing.T) {
	var lines bytes.Buffer
	for i := range 133 {
		fmt.Fprintf(&lines, `{"type":"conversation","id":"%d","created_at":%d,"source":{"body":"%s"}}`+"\n", 5001+i, 1754169880+i, strings.Repeat("<p>hi</p>", i%40))
	}
	lines.WriteString(`{"type":"conversation","id":"5134","crea`)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(lines.Bytes())
	zw.Flush() // the data so far, without the end of the stream: a cut file
	var got []emitted
	info, err := readAPIBytes(t, "pull.jsonl.gz", z.Bytes(), collect(&got))
	if err != nil {
		t.Fatal(err)
	}
	if info.Tally != (Tally{Read: 134, Accepted: 133, Rejected: 1}) {
		t.Fatalf("tally %+v", info.Tally)
	}
	want := fmt.Sprintf("pull.jsonl.gz:134: the gzip file ends early after %d bytes of data: it was cut short, for example by an interrupted download; the 133 records before were read", lines.Len())
	if got := withoutDir(info.Rejects[0].Error()); got != want {
		t.Errorf("reject\n got %s\nwant %s", got, want)
	}
	// The same file as a pretty-printed array: the records before the cut
	// are read, the one it cuts is the reject.
	array := prettyConversations(t, 40, false)
	z.Reset()
	zw = gzip.NewWriter(&z)
	zw.Write([]byte(array[:len(array)/2]))
	zw.Flush()
	info, err = readAPIBytes(t, "pull.json.gz", z.Bytes(), collect(&got))
	if err != nil {
		t.Fatal(err)
	}
	complete := strings.Count(array[:len(array)/2], "\n  }")
	if info.Tally.Rejected != 1 || info.Tally.Accepted != complete || !strings.Contains(info.Rejects[0].Reason, fmt.Sprintf("the %d records before were read", complete)) || info.Rejects[0].Record != complete+1 {
		t.Errorf("array: tally %+v, rejects %v", info.Tally, info.Rejects)
	}
}

// TestReadAPI_GzipCutBetweenValues: the data ends at a clean boundary but the
// gzip stream does not end there: what followed is lost, and a reject says so.
func TestReadAPI_GzipCutBetweenValues(t *testing.T) {
	for _, data := range []string{
		`{"type":"conversation","id":"1","created_at":1}` + "\n",
		`[{"type":"conversation","id":"1","created_at":1}]` + "\n",
	} {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte(data))
		zw.Flush()
		info, err := readAPIBytes(t, "p.json.gz", z.Bytes(), func(*intercom.Conversation, bool) error { return nil })
		if err != nil || info.Tally != (Tally{Read: 2, Accepted: 1, Rejected: 1}) || !strings.Contains(info.Rejects[0].Reason, "the 1 record before was read") {
			t.Errorf("%q: %v %+v %v", data, err, info.Tally, info.Rejects)
		}
	}
}

// TestReadAPI_GzipTrailingData: bytes after the end of a gzip file's data
// that are not gzip ((gzip -c a.jsonl; echo garbage) > trail.gz) are no
// record: the records of the gzip data are read and accounted as usual, and
// the bytes are said to have been ignored, where they begin and how many.
// They were "the gzip file ends early … cut short" (fewer than 10 bytes) or
// "damaged" (more), with a rejected record that did not exist. A second
// gzip member is still read, and one cut short is still a reject.
func TestReadAPI_GzipTrailingData(t *testing.T) {
	one := []byte(`{"type":"conversation","id":"1","created_at":1}` + "\n")
	two := []byte(`{"type":"conversation","id":"2","created_at":2}` + "\n")
	z1, z2 := gzipBytes(t, one), gzipBytes(t, two)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	at := func(n int) string { return fmt.Sprintf("the gzip data ends at byte %d of the file, ", n) }
	tests := []struct {
		name     string
		data     []byte
		tally    Tally
		reject   string // the one reject's reason, if any
		trailing string
	}{
		{"echo garbage (8 bytes)", cat(z1, []byte("garbage\n")), Tally{Read: 1, Accepted: 1}, "",
			at(len(z1)) + "and the 8 bytes after it are not gzip, so they were ignored"},
		{"a line of text (more than a gzip header)", cat(z1, []byte("this line was appended to the file by mistake\n")), Tally{Read: 1, Accepted: 1}, "",
			at(len(z1)) + "and the 46 bytes after it are not gzip, so they were ignored"},
		{"one byte", cat(z1, []byte("\n")), Tally{Read: 1, Accepted: 1}, "",
			at(len(z1)) + "and the 1 byte after it is not gzip, so it was ignored"},
		{"zero padding", cat(z1, make([]byte, 512)), Tally{Read: 1, Accepted: 1}, "",
			at(len(z1)) + "and the 512 bytes after it are not gzip, so they were ignored"},
		{"half a gzip magic", cat(z1, []byte{0x1f}), Tally{Read: 1, Accepted: 1}, "",
			at(len(z1)) + "and the 1 byte after it is not gzip, so it was ignored"},
		{"uncompressed records appended", cat(z1, two), Tally{Read: 1, Accepted: 1}, "",
			at(len(z1)) + "and the 48 bytes after it are not gzip, so they were ignored"},
		{"two members", cat(z1, z2), Tally{Read: 2, Accepted: 2}, "", ""},
		{"two members, then garbage", cat(z1, z2, []byte("garbage\n")), Tally{Read: 2, Accepted: 2}, "",
			at(len(z1)+len(z2)) + "and the 8 bytes after it are not gzip, so they were ignored"},
		{"a second member cut short", cat(z1, z2[:len(z2)/2]), Tally{Read: 2, Accepted: 1, Rejected: 1},
			"the gzip file ends early after 73 bytes of data: it was cut short, for example by an interrupted download; the 1 record before was read", ""},
		{"a second member cut inside its header", cat(z1, z2[:4]), Tally{Read: 2, Accepted: 1, Rejected: 1},
			"the gzip file ends early after 48 bytes of data: it was cut short, for example by an interrupted download; the 1 record before was read", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []emitted
			info, err := readAPIBytes(t, "trail.jsonl.gz", tt.data, collect(&got))
			if err != nil {
				t.Fatal(err)
			}
			if info.Tally != tt.tally || len(got) != tt.tally.Accepted {
				t.Errorf("tally %+v, %d emitted; want %+v", info.Tally, len(got), tt.tally)
			}
			reason := ""
			if len(info.Rejects) > 0 {
				reason = info.Rejects[0].Reason
			}
			if reason != tt.reject {
				t.Errorf("reject %q\nwant %q", reason, tt.reject)
			}
			if info.File.Trailing != tt.trailing {
				t.Errorf("trailing %q\n     want %q", info.File.Trailing, tt.trailing)
			}
			if info.File.Bytes != int64(len(tt.data)) {
				t.Errorf("%d bytes hashed, the file has %d", info.File.Bytes, len(tt.data))
			}
			if tt.trailing != "" {
				checkOneSentence(t, "trail.jsonl.gz: "+info.File.Trailing, "trail.jsonl.gz")
			}
		})
	}
}

// arrayStream yields a JSON array of n conversations of about 2 KB each,
// generated as it is read, so that the test itself holds none of it.
type arrayStream struct {
	n, i int
	page bool
	buf  bytes.Buffer
}

func (a *arrayStream) Read(p []byte) (int, error) {
	for a.buf.Len() < len(p) && a.i <= a.n {
		switch {
		case a.i == 0 && a.page:
			a.buf.WriteString("{\n  \"type\": \"conversation.list\",\n  \"conversations\": [\n")
		case a.i == 0:
			a.buf.WriteString("[\n")
		case a.i > 1:
			a.buf.WriteString(",\n")
		}
		if a.i > 0 {
			fmt.Fprintf(&a.buf, `  {"type":"conversation","id":"%d","created_at":%d,"source":{"body":"%s"}}`, a.i, 1754169880+a.i, strings.Repeat("<p>body</p>", 180))
		}
		a.i++
		if a.i > a.n {
			if a.page {
				a.buf.WriteString("\n  ],\n  \"total_count\": 1\n}\n")
			} else {
				a.buf.WriteString("\n]\n")
			}
		}
	}
	if a.buf.Len() == 0 {
		return 0, io.EOF
	}
	return a.buf.Read(p)
}

// TestReadAPI_ArrayMemoryDoesNotGrow: a 140 MB array (and page) is read
// element by element; it used to be read whole (a 139 MB array took 304 MB).
// The heap stays far below the input's size.
func TestReadAPI_ArrayMemoryDoesNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 2 x 140 MB")
	}
	const n = 70000
	for _, page := range []bool{false, true} {
		t.Run(fmt.Sprintf("page=%v", page), func(t *testing.T) {
			runtime.GC()
			var peak uint64
			var ms runtime.MemStats
			count := 0
			o, err := NewOpened("big.json", &arrayStream{n: n, page: page})
			if err != nil {
				t.Fatal(err)
			}
			info, err := ReadAPI(o, APIOptions{Workers: 2}, func(c *intercom.Conversation, _ bool) error {
				count++
				if count%5000 == 0 {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
				}
				return nil
			})
			if err != nil || count != n || info.Tally != (Tally{Read: n, Accepted: n}) {
				t.Fatalf("%d read, %+v, %v", count, info, err)
			}
			if info.File.Bytes < 135<<20 {
				t.Fatalf("only %d bytes read", info.File.Bytes)
			}
			t.Logf("heap peak %d MB for %d MB read", peak>>20, info.File.Bytes>>20)
			if peak > 64<<20 {
				t.Errorf("the heap reached %d MB reading a %d MB array", peak>>20, info.File.Bytes>>20)
			}
		})
	}
}

// TestReadAPI_ElementLargerThanTheWindow: one element larger than the
// splitter's buffer is read whole, and the records after it keep their
// numbers and lines.
func TestReadAPI_ElementLargerThanTheWindow(t *testing.T) {
	body := strings.Repeat(`<p>a long thread \"quoted\"</p>`, 3_000_000/32)
	data := "[\n" + `{"type":"conversation","id":"1","created_at":1754169880}` + ",\n" +
		`{"type":"conversation","id":"2","created_at":1754169881,"source":{"body":"` + body + `"}}` + ",\n" +
		`{"type":"conversation","id":"3","created_at":"bad"}` + "\n]\n"
	info, got := readAPIString(t, "huge.json", data)
	if info.Tally != (Tally{Read: 3, Accepted: 2, Rejected: 1}) || got[1].c.ID != "2" || got[1].c.Origin.Line != 3 {
		t.Fatalf("tally %+v, %v", info.Tally, got)
	}
	if r := info.Rejects[0]; r.Line != 4 || r.Record != 3 {
		t.Errorf("the record after the huge one is at line %d record %d", r.Line, r.Record)
	}
}

// TestReadAPI_ValueTooLarge: a record past maxValueBytes is not held in
// memory: a JSON Lines line is one reject and the lines after it are read;
// in an array it is one reject and the records after it are counted.
func TestReadAPI_ValueTooLarge(t *testing.T) {
	defer func(v int) { maxValueBytes = v }(maxValueBytes)
	maxValueBytes = 3 << 20
	big := `{"type":"conversation","id":"2","created_at":2,"source":{"body":"` + strings.Repeat("x", 4<<20) + `"}}`
	small := func(id int) string { return fmt.Sprintf(`{"type":"conversation","id":"%d","created_at":%d}`, id, id) }
	t.Run("JSON Lines", func(t *testing.T) {
		info, _ := readAPIString(t, "big.jsonl", small(1)+"\n"+big+"\n"+small(3)+"\n"+small(4)+"\n")
		if info.Tally != (Tally{Read: 4, Accepted: 3, Rejected: 1}) || info.Rejects[0].Line != 2 || info.Rejects[0].Reason != "is longer than 3 MiB, far more than any conversation, so it was skipped" {
			t.Errorf("%+v %v", info.Tally, info.Rejects)
		}
		// Its last bytes and the lines after it arrive in one read.
		info, got := readAPIString(t, "big.jsonl", small(1)+"\n"+big+big+"\n"+small(3)+"\n"+small(4))
		if info.Tally != (Tally{Read: 4, Accepted: 3, Rejected: 1}) || got[2].c.ID != "4" || got[2].c.Origin.Line != 4 {
			t.Errorf("%+v %v", info.Tally, info.Rejects)
		}
	})
	t.Run("array", func(t *testing.T) {
		info, _ := readAPIString(t, "big.json", "[\n"+small(1)+",\n"+big+",\n"+small(3)+",\n"+small(4)+"\n]\n")
		want := "is larger than 3 MiB, far more than any conversation, so it was not read; it and the 2 records after it in the array could not be read"
		if info.Tally != (Tally{Read: 4, Accepted: 1, Rejected: 3}) || info.Rejects[0].Record != 2 || info.Rejects[0].Line != 3 || info.Rejects[0].Reason != want || info.Rejects[2].Line != 5 {
			t.Errorf("%+v %v", info.Tally, info.Rejects)
		}
	})
}

// TestReadAPI_DocumentsOneAfterAnother: documents written back to back (a
// conversation, a page, an array) are each read, with their lines.
func TestReadAPI_DocumentsOneAfterAnother(t *testing.T) {
	data := "{\n" + `"type":"conversation","id":"1","created_at":1` + "\n}\n" +
		"{\n" + `"type":"conversation.list","conversations":[{"id":"2","created_at":2},` + "\n" + `{"id":"3","created_at":3}]` + "\n}\n" +
		"[\n" + `{"id":"4","created_at":4}` + "\n]\n" +
		"{\n" + `"type":"error.list","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]` + "\n}\n"
	info, got := readAPIString(t, "several.json", data)
	var origins []string
	for _, e := range got {
		origins = append(origins, e.c.ID+"@"+originString(e.c.Origin))
	}
	want := "1@several.json:1 2@several.json:5#1 3@several.json:6#2 4@several.json:9#1"
	if strings.Join(origins, " ") != want || info.Tally != (Tally{Read: 5, Accepted: 4, Rejected: 1}) || info.Rejects[0].Line != 11 {
		t.Errorf("read %s, %+v %v\nwant %s", strings.Join(origins, " "), info.Tally, info.Rejects, want)
	}
}

// OnReject sees every rejected record, past the 10,000 an input keeps in
// memory: those the reader rejected one by one and those a syntax error
// left unread.
func TestReadAPI_OnRejectSeesEveryRecord(t *testing.T) {
	const n = 12_000
	array := prettyConversations(t, n, false)
	tests := []struct {
		name string
		data string
	}{
		{"rejected one by one", strings.ReplaceAll(array, `"id": "`, `"id": "`+strings.Repeat("9", 70))}, // ids too long
		{"unread after a syntax error", breakAfter(t, array, "\n  }", 2, func(rest string) string { return strings.TrimPrefix(rest, ",") })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := openBytes(t, "many.json", []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			seen := map[int]bool{}
			opts := APIOptions{OnReject: func(r Reject) error {
				seen[r.Record] = true
				return nil
			}}
			info, err := ReadAPI(o, opts, func(*intercom.Conversation, bool) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			if info.Tally.Rejected < n-2 || len(seen) != info.Tally.Rejected {
				t.Errorf("OnReject saw %d distinct records of %d rejected (of %d)", len(seen), info.Tally.Rejected, n)
			}
			if len(info.Rejects) != 10_000 {
				t.Errorf("%d rejects kept, want the first 10,000", len(info.Rejects))
			}
		})
	}
}
