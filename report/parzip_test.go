package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// zipRoundTrip writes parts through parallelZip and reads them back with
// archive/zip, which checks each part's CRC and sizes as it reads.
func zipRoundTrip(t testing.TB, parts [][]byte, writeSize int) {
	t.Helper()
	var out bytes.Buffer
	z := newParallelZip(&out)
	for i, data := range parts {
		w, err := z.Create(fmt.Sprintf("xl/part%d.xml", i))
		if err != nil {
			t.Fatal(err)
		}
		for rest := data; len(rest) > 0; {
			n := min(len(rest), writeSize)
			if _, err := w.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatalf("the zip cannot be opened: %v", err)
	}
	if len(r.File) != len(parts) {
		t.Fatalf("%d parts read back, %d written", len(r.File), len(parts))
	}
	for i, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		got, err := io.ReadAll(rc) // archive/zip checks the CRC at the end
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !bytes.Equal(got, parts[i]) {
			t.Fatalf("%s: %d bytes read back differ from the %d written", f.Name, len(got), len(parts[i]))
		}
		if f.ReaderVersion != zipVersion20 || f.Method != zip.Deflate {
			t.Errorf("%s: version %d, method %d", f.Name, f.ReaderVersion, f.Method)
		}
	}
}

func TestParallelZip_RoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		return b
	}
	xmlLike := func(n int) []byte {
		var b bytes.Buffer
		for i := 0; b.Len() < n; i++ {
			fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>%d</t></is></c></row>`, i, i, rng.IntN(1e9))
		}
		return b.Bytes()[:n]
	}
	cases := []struct {
		name      string
		parts     [][]byte
		writeSize int
	}{
		{"no parts", nil, 1},
		{"an empty part", [][]byte{{}}, 1},
		{"one byte", [][]byte{{'x'}}, 1},
		{"a block less one byte", [][]byte{xmlLike(zipBlock - 1)}, 4096},
		{"exactly a block: the last block is empty", [][]byte{xmlLike(zipBlock)}, 4096},
		{"a block and a byte", [][]byte{xmlLike(zipBlock + 1)}, 4096},
		{"many blocks in flight, written in one call", [][]byte{xmlLike(7*zipBlock + 333)}, 8 * zipBlock},
		{"incompressible data", [][]byte{random(3*zipBlock + 5)}, 100_000},
		{"parts of every size after one another", [][]byte{xmlLike(10), {}, xmlLike(2*zipBlock + 9), random(77), xmlLike(zipBlock)}, 32 << 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { zipRoundTrip(t, tc.parts, tc.writeSize) })
	}
}

// FuzzParallelZip: any parts, written in any pieces, read back unchanged.
func FuzzParallelZip(f *testing.F) {
	f.Add([]byte("<sheet/>"), uint16(3), uint8(2))
	f.Add(bytes.Repeat([]byte("<c>1</c>"), 1000), uint16(700), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, piece uint16, copies uint8) {
		// A part up to a few blocks long, so that blocks are cut too.
		part := bytes.Repeat(data, 1+int(copies)%4*(zipBlock/max(1, len(data)))/2)
		zipRoundTrip(t, [][]byte{data, part, {}}, 1+int(piece))
	})
}
