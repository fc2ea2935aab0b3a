package parse

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readResult is what one Read of a record reader gave: enough to tell two
// readers apart wherever the export reader could.
type readResult struct {
	err    string
	cells  []string // when the record was read, or has the wrong number of cells
	line   int      // when the record was read
	offset int64    // after the record, unless the input failed
}

func (r readResult) String() string {
	return fmt.Sprintf("err=%s cells=%q line=%d offset=%d", r.err, r.cells, r.line, r.offset)
}

// readsOf reads records until the end of the input or an error that ends
// it, through read, which returns the cells, the line and the offset.
func readsOf(read func() ([]string, error), line func() int, offset func() int64, limit int) []readResult {
	var out []readResult
	for range limit {
		cells, err := read()
		var res readResult
		var pe *csv.ParseError
		switch {
		case err == nil:
			res.cells, res.line, res.offset = cells, line(), offset()
		case errors.As(err, &pe):
			res.err, res.offset = fmt.Sprintf("record of line %d, line %d, column %d: %v", pe.StartLine, pe.Line, pe.Column, pe.Err), offset()
			if errors.Is(err, csv.ErrFieldCount) {
				res.cells = cells
			}
		default:
			res.err = err.Error()
		}
		out = append(out, res)
		if err != nil && pe == nil {
			break
		}
	}
	return out
}

func csvReads(src io.Reader, comma byte, limit int) []readResult {
	r := csv.NewReader(src)
	r.Comma = rune(comma)
	read := func() ([]string, error) {
		cells, err := r.Read()
		return append([]string(nil), cells...), err
	}
	return readsOf(read, func() int { line, _ := r.FieldPos(0); return line }, r.InputOffset, limit)
}

func splitterReads(src io.Reader, comma byte, limit int) []readResult {
	s := newRecordSplitter(src, comma)
	read := func() ([]string, error) {
		err := s.Read()
		return s.Cells(), err
	}
	return readsOf(read, s.Line, s.InputOffset, limit)
}

// choppedReader gives data a few bytes at a time, then fails with err
// (io.EOF at a clean end) as often as it is read again, as a cut gzip does.
type choppedReader struct {
	data  []byte
	chunk int
	err   error
}

func (c *choppedReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, c.err
	}
	n := copy(p[:min(len(p), c.chunk)], c.data)
	c.data = c.data[n:]
	return n, nil
}

var errCutShort = errors.New("cut short")

// checkSameReads fails when the splitter and encoding/csv read data
// differently, fed chunk bytes at a time and ending with end.
func checkSameReads(t *testing.T, data []byte, comma byte, chunk int, end error) {
	t.Helper()
	limit := len(data) + 3
	want := csvReads(&choppedReader{data, chunk, end}, comma, limit)
	got := splitterReads(&choppedReader{data, chunk, end}, comma, limit)
	for i := range max(len(want), len(got)) {
		var w, g readResult
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w.String() != g.String() {
			t.Fatalf("%q (comma %q, %d bytes a read, ending %v): read %d differs\nencoding/csv: %v\nsplitter:     %v", data, comma, chunk, end, i+1, w, g)
		}
	}
}

func TestRecordSplitterReadsAsEncodingCSV(t *testing.T) {
	tests := []struct{ name, data string }{
		{"plain", "a,b,c\n1,2,3\n"},
		{"no final line feed", "a,b\n1,2"},
		{"CRLF", "a,b\r\n1,2\r\n"},
		{"CR ends the input", "a,b\n1,2\r"},
		{"lone CR inside a cell", "a,b\n1\r2,3\n"},
		{"blank lines", "\n\r\na,b\n\n\n1,2\n\r\n\n"},
		{"a lone CR line at the end", "a,b\n1,2\n\r"},
		{"quoted", "a,b\n\"x, y\",\"he said \"\"hi\"\"\"\n"},
		{"quoted line breaks", "a,b\n\"line one\nline two\",2\n3,4\n"},
		{"quoted CRLF", "a,b\r\n\"line one\r\nline two\",2\r\n"},
		{"quoted at the end, no line feed", "a,b\n1,\"2\""},
		{"quoted, a CR ends the input", "a,b\n1,\"2\"\r"},
		{"bare quote", "a,b\n1,x\"y\n3,4\n"},
		{"text after a closing quote", "a,b\n1,\"x\"y,z\n3,4\n"},
		{"CR after a closing quote", "a,b\n1,\"x\"\ry\n3,4\n"},
		{"quote open to the end", "a,b\n1,\"x\n3,4\n"},
		{"quote open to the end, no line feed", "a,b\n1,\"x"},
		{"quote open, a lone CR line at the end", "a,b\n1,\"x\n\r"},
		{"quote open, CRLF", "a,b\r\n1,\"x\r\n3,4\r\n"},
		{"quote open at the very end", "a,b\n1,\""},
		{"too few cells", "a,b,c\n1,2\n3,4,5\n"},
		{"too many cells", "a,b\n1,2,3\n"},
		{"empty", ""},
		{"only line feeds", "\n\n\n"},
		{"empty cells", ",,\n,,\n"},
		{"quotes in a quoted cell spanning lines", "a\n\"x\"\"\ny\"\"\"\n"},
		{"a bad header", "a,\"b\"c\n1,2\n"},
		{"a long cell", "a,b\n" + strings.Repeat("x", 200<<10) + ",\"" + strings.Repeat("y\n", 50<<10) + "\"\n1,2\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, chunk := range []int{1, 3, 4096, 1 << 20} {
				for _, end := range []error{io.EOF, errCutShort} {
					checkSameReads(t, []byte(tc.data), ',', chunk, end)
					checkSameReads(t, []byte(strings.ReplaceAll(tc.data, ",", ";")), ';', chunk, end)
				}
			}
		})
	}
}

// FuzzRecordSplitter: on any input, read in any chunks, ending cleanly or
// cut, the splitter reads what encoding/csv reads.
func FuzzRecordSplitter(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "export"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".csv") {
			data, err := os.ReadFile(filepath.Join("testdata", "export", e.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, uint8(0), uint8(7), false)
		}
	}
	f.Add([]byte("a,b\r\n\"x\r\ny\"\"\",\"z\"q\n1,2\r"), uint8(0), uint8(2), true)
	f.Add([]byte("a;b\n\"x\n;2\n"), uint8(1), uint8(1), false)
	f.Fuzz(func(t *testing.T, data []byte, comma, chunk uint8, cut bool) {
		end := io.EOF
		if cut {
			end = errCutShort
		}
		checkSameReads(t, data, []byte{',', ';', '\t', '|'}[comma%4], int(chunk)+1, end)
	})
}

func BenchmarkRecordSplitter(b *testing.B) {
	data := syntheticExport(b, 50000)
	b.Run("encoding/csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			r := csv.NewReader(bytes.NewReader(data))
			r.ReuseRecord = true
			for _, err := r.Read(); err == nil; _, err = r.Read() {
			}
		}
	})
	b.Run("splitter", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			s := newRecordSplitter(bytes.NewReader(data), ',')
			for err := s.Read(); err == nil; err = s.Read() {
			}
		}
	})
}
