package parse

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"testing/iotest"

	"github.com/icrecon/icrecon/intercom"
)

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func utf16BE(s string) []byte {
	le := utf16LE([]byte(s))[2:]
	for i := 0; i+1 < len(le); i += 2 {
		le[i], le[i+1] = le[i+1], le[i]
	}
	return le
}

// sentenceBreak finds the end of one sentence and the start of another.
var sentenceBreak = regexp.MustCompile(`[.!?] +[A-Z]`)

// checkOneSentence asserts that a message about a file names it and is one
// sentence on one line.
func checkOneSentence(t *testing.T, msg, name string) {
	t.Helper()
	if !strings.HasPrefix(msg, name+": ") {
		t.Errorf("%q does not start with the file's name %q", msg, name)
	}
	if strings.ContainsAny(msg, "\r\n") || sentenceBreak.MatchString(msg) {
		t.Errorf("%q is not one sentence on one line", msg)
	}
}

func TestSniff(t *testing.T) {
	exportHeader := "Conversation ID,Conversation started at (America/Vancouver)\n1,2025-08-02 14:24:40\n"
	tests := []struct {
		name string // file name: some kinds are told by it
		data []byte
		want Kind
		err  string // a phrase of the sentence
	}{
		{"export.csv", []byte(exportHeader), KindExport, ""},
		{"export-bom.csv", []byte("\ufeff" + exportHeader), KindExport, ""},
		{"export-semicolon.csv", []byte("\"Conversation ID\";Channel\n1;Chat\n"), KindExport, ""},
		{"export.csv.gz", gzipBytes(t, []byte(exportHeader)), KindExport, ""},
		{"conversation.json", []byte(`{"type":"conversation"}`), KindAPI, ""},
		{"page.json", []byte("\ufeff\n  [\n{}]"), KindAPI, ""},
		{"pull.jsonl.gz", gzipBytes(t, []byte("{\"id\":\"1\"}\n")), KindAPI, ""},
		{"figures.csv", []byte("metric,from,to,value\n"), KindDashboard, ""},
		{"figures-noheader.csv", []byte("new_conversations,2025-10-01,2025-10-31,1204\n"), KindDashboard, ""},
		{"figures-quoted.csv", []byte("\"metric\";\"from\";\"to\";\"value\"\n"), KindDashboard, ""},
		// ReadDashboard allows # comments; a file that starts with one (where
		// the figures came from) is still a figures file.
		{"figures-comment.csv", []byte("# October, from Reports\nmetric,from,to,value\nnew_conversations,2025-10-01,2025-10-31,1204\n"), KindDashboard, ""},
		{"workspace.yaml", []byte("app_id: abc\n"), KindWorkspace, ""},
		{"workspace.YML", []byte("bots: []\n"), KindWorkspace, ""},
		{"settings.txt", []byte("# my workspace\ntimezone: UTC\n"), KindWorkspace, ""},
		{"ws.yaml.gz", gzipBytes(t, []byte("timezone: UTC\n")), KindWorkspace, ""},
		// The wrong kinds of file, each told in one sentence.
		{"report.xlsx", []byte("PK\x03\x04\x14\x00\x06\x00rest of a zip"), "", "this is an Excel workbook or another zip file, not a CSV"},
		{"report.csv", []byte("PK\x03\x04\x14\x00\x06\x00rest of a zip"), "", "this is an Excel workbook or another zip file, not a CSV"},
		{"report.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"), "", "this is an old-style Excel (.xls) file, not a CSV"},
		{"report.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "", "this is a PDF document"},
		// What a browser saves when the session expired.
		{"pull.json", []byte("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body></body></html>"), "", "this is a web page (HTML), not Intercom data"},
		{"pull2.json", []byte("\ufeff\r\n  <html lang=\"en\"><body>502 Bad Gateway</body></html>"), "", "this is a web page (HTML)"},
		{"empty.csv", nil, "", "the file is empty"},
		{"blank.json", []byte(" \r\n\t\n"), "", "the file is empty"},
		{"bom-only.csv", []byte("\ufeff"), "", "the file is empty"},
		{"data.bin", []byte("\x01\x02\x00\x03binary"), "", "this is a binary file"},
		// Issue 13: UTF-16 was called "a binary file". With its mark it is
		// read; without, or as UTF-32, the sentence says what to do.
		{"export-utf16le.csv", utf16LE([]byte(exportHeader)), KindExport, ""},
		{"export-utf16be.txt", append([]byte{0xFE, 0xFF}, utf16BE(exportHeader)...), KindExport, ""},
		{"pull-utf16.json", utf16LE([]byte(`{"type":"conversation"}`)), KindAPI, ""},
		{"export-utf16-nobom.csv", utf16LE([]byte(exportHeader))[2:], "", "this file is UTF-16 text without the mark that says so, which cannot be told from binary safely; save it as UTF-8"},
		{"export-utf32.csv", append([]byte{0xFF, 0xFE, 0, 0}, "C\x00\x00\x00"...), "", "this file is UTF-32 text, which icrecon does not read; save it as UTF-8"},
		{"export-pipe.csv", []byte("Conversation ID|Channel\n1|Chat\n"), KindExport, ""},
		{"figures-pipe.csv", []byte("metric|from|to|value\n"), KindDashboard, ""},
		{"figures-tab.csv", []byte("new_conversations\t2025-10-01\t2025-10-31\t1204\n"), KindDashboard, ""},
		// Issue 13: gzip garbage was called "empty".
		{"notgzip.json.gz", []byte("\x01\x02\x00\x03binary"), "", "this is not a gzip file, although its name ends in .gz"},
		{"notes.txt", []byte("hello world\nthis is not data\n"), "", "this is not a file icrecon reads"},
		{"other.csv", []byte("id,name\n1,Ann\n"), "", "this is not a file icrecon reads"},
		{"angle.txt", []byte("<xml>not html</xml>"), "", "this is not a file icrecon reads"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, tt.name, tt.data)
			o, err := Input{Path: path}.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			got, err := Sniff(o)
			if tt.err == "" {
				if err != nil || got != tt.want {
					t.Errorf("Sniff = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Sniff = %q, want an error containing %q", got, tt.err)
			}
			if !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.err)
			}
			checkOneSentence(t, err.Error(), path)
		})
	}
}

// TestSniffThenRead: sniffing only peeks, so the reader chosen gets every
// byte, BOM and all.
func TestSniffThenRead(t *testing.T) {
	data := "\ufeffConversation ID,Channel\n1,Chat\n2,Email\n"
	o := openTemp(t, "e.csv", []byte(data))
	if k, err := Sniff(o); err != nil || k != KindExport {
		t.Fatalf("Sniff = %q, %v", k, err)
	}
	info, err := ReadExport(o, ExportOptions{}, func(*intercom.Conversation, bool) error { return nil })
	if err != nil || info.Tally.Accepted != 2 {
		t.Fatalf("after Sniff: %+v %v", info, err)
	}
}

func TestOpen_GzipByContent(t *testing.T) {
	plain := []byte(`{"type":"conversation","id":"1","created_at":1}` + "\n")
	tests := []struct {
		name string
		data []byte
	}{
		{"named .gz", gzipBytes(t, plain)},
		{"gzip without the .gz name", gzipBytes(t, plain)},
		{"plain with a .gz name", plain},
	}
	names := []string{"pull.jsonl.gz", "pull.jsonl", "pull.jsonl.gz"}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, names[i], tt.data)
			o, err := Input{Path: path}.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			got, err := io.ReadAll(o)
			if err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("read %q, %v", got, err)
			}
			fi := o.Info(KindAPI)
			if fi.Path != path || fi.Kind != KindAPI {
				t.Errorf("Info %+v", fi)
			}
			checkFileInfo(t, path, fi)
		})
	}
}

// TestOpen_BrokenGzip: a file that starts like gzip but is not one is said
// to be so in one sentence, whether its header or its data is broken
// (issue 13: garbage data after a good header was called "empty").
func TestOpen_BrokenGzip(t *testing.T) {
	header := []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03")
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"damaged header", []byte("\x1f\x8b\x00garbage"), "this is not a gzip file: it starts like one, but its header is damaged"},
		{"header cut short", []byte("\x1f\x8b\x08"), "the gzip file ends early, inside its header"},
		{"garbage after a good header", append(header, "\xff\xfe garbage, not deflate data at all"...), "this is not a gzip file: it starts like one, but its data cannot be decompressed"},
		{"cut right after the header", header, "the gzip file ends early, before any data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, "pull.json.gz", tt.data)
			o, err := Input{Path: path}.Open()
			if err == nil {
				defer o.Close()
				_, err = Sniff(o)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tt.want)
			}
			checkOneSentence(t, err.Error(), path)
			// The readers, called without Sniff, say the same.
			if o, err := (Input{Path: path}).Open(); err == nil {
				defer o.Close()
				if _, err := ReadAPI(o, APIOptions{}, func(*intercom.Conversation, bool) error { return nil }); err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("ReadAPI: %v", err)
				}
			}
		})
	}
}

// TestOpened_InfoHashesUnreadBytes: the SHA-256 in reports is of the whole
// file on disk, so an analyst can check it with sha256sum, even when the
// reader stopped early (a fatal error, --strict, a sniff that refused it).
func TestOpened_InfoHashesUnreadBytes(t *testing.T) {
	big := bytes.Repeat([]byte("Conversation ID,Channel\n1,Chat\n"), 20000) // 600 KB: more than the buffers
	for _, tc := range []struct {
		name string
		data []byte
		read int
	}{
		{"nothing read", big, 0},
		{"a few bytes read", big, 10},
		{"everything read", big, -1},
		{"gzip, partly read", gzipBytes(t, big), 100},
		{"empty file", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "x.csv", tc.data)
			o, err := Input{Path: path}.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			switch {
			case tc.read < 0:
				io.Copy(io.Discard, o)
			case tc.read > 0:
				io.ReadFull(o, make([]byte, tc.read))
			}
			fi := o.Info(KindExport)
			sum := sha256.Sum256(tc.data)
			if fi.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("SHA-256 %s, want %x", fi.SHA256, sum)
			}
			if fi.Bytes != int64(len(tc.data)) {
				t.Errorf("Bytes %d, want %d", fi.Bytes, len(tc.data))
			}
		})
	}
}

func TestOpen_Missing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.csv")
	_, err := Input{Path: path}.Open()
	if err == nil || err.Error() != path+": no such file or folder" {
		t.Errorf("err = %v", err)
	}
}

// makeTree writes files (name -> content) under a fresh folder.
func makeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func inputPaths(ins []Input, root string) []string {
	var out []string
	for _, in := range ins {
		rel, err := filepath.Rel(root, in.Path)
		if err != nil {
			rel = in.Path
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

func TestExpand(t *testing.T) {
	root := makeTree(t, map[string]string{
		"b.csv":             "x",
		"a.json":            "x",
		"sub/c.jsonl.gz":    "x",
		"sub/deeper/d.yaml": "x",
		"Z.csv":             "x",
		".hidden.csv":       "x",
		".git/objects/x":    "x",
		"sub/.DS_Store":     "x",
		"README.md":         "x",
		"readme.txt":        "x",
		"NOTES.md":          "x",
	})
	ins, _, err := Expand([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(inputPaths(ins, root), " ")
	want := "Z.csv a.json b.csv sub/c.jsonl.gz sub/deeper/d.yaml"
	if got != want {
		t.Errorf("Expand = %s\nwant     %s", got, want)
	}
	// Named files are taken as named, in the order given, folders expanded
	// where they stand.
	ins, _, err = Expand([]string{filepath.Join(root, "b.csv"), filepath.Join(root, "sub"), filepath.Join(root, ".hidden.csv")})
	if err != nil {
		t.Fatal(err)
	}
	got = strings.Join(inputPaths(ins, root), " ")
	if want := "b.csv sub/c.jsonl.gz sub/deeper/d.yaml .hidden.csv"; got != want {
		t.Errorf("Expand = %s\nwant     %s", got, want)
	}
}

// pullManifest begins as every manifest.json a pull writes (indented, the
// schema first).
const pullManifest = "{\n  \"schema\": \"icrecon.pull/v1\",\n  \"tool\": \"icrecon dev\",\n  \"query\": {}\n}\n"

// TestExpand_LeftOut: a folder's file is left out only when it is surely no
// input — README, README.txt or *.md by name, a pull's manifest by its
// schema — and every one left out is listed with why; hidden files alone
// are passed over unsaid. A file named like a README but holding data
// (README-2025-10.jsonl), or a manifest.json that is not a pull's, is read
// like any other, so its records are counted.
func TestExpand_LeftOut(t *testing.T) {
	const (
		notes    = "README and .md files are taken for notes, not data; rename it to have it read"
		manifest = "it is the manifest of an icrecon pull, which says how the pull went; the pull's conversations are in the folder's other files"
		conv     = `{"type":"conversation","id":"1","created_at":1}` + "\n"
	)
	type skip struct{ path, reason string }
	tests := []struct {
		name    string
		files   map[string]string
		read    string // the files read, in order
		skipped []skip
	}{
		{name: "names that begin like a README are read",
			files: map[string]string{"README-2025-10.jsonl": conv, "readme.jsonl.gz": conv, "Readmes.txt": conv, "c.jsonl": conv},
			read:  "README-2025-10.jsonl Readmes.txt c.jsonl readme.jsonl.gz"},
		{name: "a README or .md, in any case, is listed",
			files:   map[string]string{"README": "x", "readme.TXT": "x", "ReadMe.md": "x", "Notes.MD": conv, "sub/guide.md": "x", "c.jsonl": conv},
			read:    "c.jsonl",
			skipped: []skip{{"Notes.MD", notes}, {"README", notes}, {"ReadMe.md", notes}, {"readme.TXT", notes}, {"sub/guide.md", notes}}},
		{name: "a pull's manifest is listed",
			files:   map[string]string{"manifest.json": pullManifest, "conversations.jsonl": conv},
			read:    "conversations.jsonl",
			skipped: []skip{{"manifest.json", manifest}}},
		{name: "a pull's manifest on one line, in a folder below",
			files:   map[string]string{"p/MANIFEST.json": `{"schema":"icrecon.pull/v1","query":{"api_version":"2.5"}}`, "p/conversations.jsonl": conv},
			read:    "p/conversations.jsonl",
			skipped: []skip{{"p/MANIFEST.json", manifest}}},
		{name: "a manifest.json of conversations is read",
			files: map[string]string{"manifest.json": conv, "c.jsonl": conv},
			read:  "c.jsonl manifest.json"},
		{name: "a manifest.json of another schema is read",
			files: map[string]string{"manifest.json": `{"schema":"icrecon.pull/v2"}`, "c.jsonl": conv},
			read:  "c.jsonl manifest.json"},
		// Re-formatted with jq -S, its keys sorted: still a pull's, as
		// reconcile, which reads its window, takes it.
		{name: "a pull's manifest with its keys sorted is listed",
			files:   map[string]string{"manifest.json": `{"counts":{"pages":[1,2]},"query":{"by":"created_at"},"schema":"icrecon.pull/v1","tool":"icrecon dev"}`, "c.jsonl": conv},
			read:    "c.jsonl",
			skipped: []skip{{"manifest.json", manifest}}},
		{name: "a manifest.json with another schema is read",
			files: map[string]string{"manifest.json": `{"name":"my-app","schema":"icrecon.pull/v2"}`, "c.jsonl": conv},
			read:  "c.jsonl manifest.json"},
		{name: "a manifest.json naming the schema inside, not at its top, is read",
			files: map[string]string{"manifest.json": `{"name":"my-app","meta":{"schema":"icrecon.pull/v1"}}`, "c.jsonl": conv},
			read:  "c.jsonl manifest.json"},
		{name: "hidden files and folders are passed over unsaid",
			files: map[string]string{".DS_Store": "x", ".git/objects/x": conv, "sub/.hidden.jsonl": conv, "c.jsonl": conv},
			read:  "c.jsonl"},
		{name: "the attack's folder",
			files:   map[string]string{"README-2025-10.jsonl": conv, "manifest.json": conv, "Notes.MD": conv, "c.jsonl": conv},
			read:    "README-2025-10.jsonl c.jsonl manifest.json",
			skipped: []skip{{"Notes.MD", notes}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(t *testing.T, ins []Input, skipped []Skipped, root string) {
				t.Helper()
				if got := strings.Join(inputPaths(ins, root), " "); got != tt.read {
					t.Errorf("read %s\nwant %s", got, tt.read)
				}
				var got []skip
				for _, s := range skipped {
					rel, _ := filepath.Rel(root, s.Path)
					got = append(got, skip{filepath.ToSlash(rel), s.Reason})
					if want := s.Path + ": skipped: " + s.Reason; s.String() != want {
						t.Errorf("sentence %q\nwant     %q", s, want)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.skipped) {
					t.Errorf("skipped %v\nwant    %v", got, tt.skipped)
				}
			}
			t.Run("files", func(t *testing.T) {
				root := makeTree(t, tt.files)
				ins, skipped, err := Expand([]string{root})
				if err != nil {
					t.Fatal(err)
				}
				check(t, ins, skipped, root)
			})
			t.Run("embedded", func(t *testing.T) {
				fsys := fstest.MapFS{}
				for name, content := range tt.files {
					fsys["in/"+name] = &fstest.MapFile{Data: []byte(content)}
				}
				ins, skipped, err := ExpandFS(fsys, []string{"in"})
				if err != nil {
					t.Fatal(err)
				}
				check(t, ins, skipped, "in")
			})
		})
	}
}

func TestExpand_Errors(t *testing.T) {
	root := makeTree(t, map[string]string{"only/.hidden": "x", "only/README.md": "x", "notes/a.md": "x", "notes/b.md": "x", "hidden/.x": "x"})
	if err := os.Mkdir(filepath.Join(root, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing path", filepath.Join(root, "nope"), ": no such file or folder"},
		{"empty folder", filepath.Join(root, "empty"), ": the folder holds no files to read"},
		{"nothing but hidden files", filepath.Join(root, "hidden"), ": the folder holds no files to read"},
		{"nothing but hidden files and a README", filepath.Join(root, "only"), ": the folder holds no files to read; it holds only what is skipped: " +
			filepath.Join(root, "only", "README.md") + " (README and .md files are taken for notes, not data; rename it to have it read)"},
		{"nothing but skipped files", filepath.Join(root, "notes"), ": the folder holds no files to read; it holds only what is skipped: " +
			filepath.Join(root, "notes", "a.md") + " (README and .md files are taken for notes, not data; rename it to have it read), and 1 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ins, _, err := Expand([]string{tt.path})
			if err == nil || err.Error() != tt.path+tt.want || ins != nil {
				t.Errorf("Expand = %v, %v; want %q", ins, err, tt.path+tt.want)
			}
		})
	}
}

func TestExpandFS(t *testing.T) {
	fsys := fstest.MapFS{
		"sample/export.csv":     {Data: []byte("Conversation ID\n1\n")},
		"sample/api/pull.jsonl": {Data: []byte(`{"type":"conversation","id":"1","created_at":1}` + "\n")},
		"sample/README.md":      {Data: []byte("x")},
	}
	ins, _, err := ExpandFS(fsys, []string{"sample"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 2 || ins[0].Path != "sample/api/pull.jsonl" || ins[1].Path != "sample/export.csv" {
		t.Fatalf("ExpandFS = %+v", ins)
	}
	o, err := ins[1].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if k, err := Sniff(o); k != KindExport || err != nil {
		t.Errorf("Sniff = %q %v", k, err)
	}
	if _, _, err := ExpandFS(fsys, []string{"nope"}); err == nil || err.Error() != "nope: no such file or folder" {
		t.Errorf("missing: %v", err)
	}
}

// TestOpened_InfoAfterStrictStop: a reader stopped by --strict at line 3 of a
// large export leaves most of the file unread; its identity is still the
// whole file's.
func TestOpened_InfoAfterStrictStop(t *testing.T) {
	var b strings.Builder
	b.WriteString("Conversation ID,Channel\n1,Chat\nbad id,Chat\n")
	for i := range 40000 {
		b.WriteString("1000" + strings.Repeat("7", i%5) + ",Email\n")
	}
	path := writeTemp(t, "export.csv", []byte(b.String()))
	o, err := Input{Path: path}.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if _, err := ReadExport(o, ExportOptions{Strict: true}, func(*intercom.Conversation, bool) error { return nil }); err == nil {
		t.Fatal("no strict stop")
	}
	checkFileInfo(t, path, o.Info(KindExport))
}

// TestUTF16Reader: UTF-16 of either order becomes the same UTF-8 whatever
// the reads' sizes, surrogate pairs split across reads included; broken
// pairs and an odd last byte become U+FFFD, never a panic.
func TestUTF16Reader(t *testing.T) {
	text := "Conversation ID\tChannel\r\n1\tChät 💬 ok\r\n2\t\U0001F600\U0001F601\r\n"
	for _, bigEndian := range []bool{false, true} {
		data := utf16LE([]byte(text))[2:]
		if bigEndian {
			data = utf16BE(text)
		}
		for _, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data)), iotest.HalfReader(bytes.NewReader(data))} {
			got, err := io.ReadAll(newUTF16Reader(r, bigEndian))
			if err != nil || string(got) != text {
				t.Errorf("big-endian %v: %q, %v", bigEndian, got, err)
			}
		}
	}
	broken := []struct {
		name string
		data []byte
		want string
	}{
		{"odd byte at the end", []byte{'a', 0, 'b'}, "a\uFFFD"},
		{"high surrogate at the end", []byte{'a', 0, 0x3D, 0xD8}, "a\uFFFD"},
		{"high surrogate then a letter", []byte{0x3D, 0xD8, 'b', 0}, "\uFFFDb"},
		{"low surrogate alone", []byte{0x00, 0xDE, 'c', 0}, "\uFFFDc"},
		{"empty", nil, ""},
	}
	for _, tt := range broken {
		got, err := io.ReadAll(newUTF16Reader(iotest.OneByteReader(bytes.NewReader(tt.data)), false))
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

// TestOpen_UTF16InsideGzip: a gzipped UTF-16 file is both
// decompressed and converted; its identity stays the bytes on disk.
func TestOpen_UTF16InsideGzip(t *testing.T) {
	raw := gzipBytes(t, utf16LE([]byte("Conversation ID,Channel\n1,Chat\n")))
	path := writeTemp(t, "export.csv.gz", raw)
	o, err := Input{Path: path}.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	got, err := io.ReadAll(o)
	if err != nil || string(got) != "\ufeffConversation ID,Channel\n1,Chat\n" || o.Encoding() != "UTF-16LE" {
		t.Errorf("%q %v %q", got, err, o.Encoding())
	}
	checkFileInfo(t, path, o.Info(KindExport))
}
