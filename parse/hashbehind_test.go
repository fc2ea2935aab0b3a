package parse

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"

	"github.com/icrecon/icrecon/intercom"
)

// TestHashBehind: the sum is SHA-256 of the bytes written, in order,
// whatever the sizes of the writes: below and across the inline part,
// across blocks, with more blocks than are held at once, and with writing
// going on after a sum.
func TestHashBehind(t *testing.T) {
	const many = inlineBytes + (maxHashBlocks+3)*hashBlockSize + 17
	for _, tc := range []struct {
		name   string
		total  int
		writes []int // sizes written in turn, repeated up to total
		sumAt  int   // also take a sum after this many bytes (0: not)
	}{
		{"nothing", 0, []int{1}, 0},
		{"a few bytes", 10, []int{3}, 0},
		{"exactly the inline part", inlineBytes, []int{inlineBytes}, 0},
		{"one byte past the inline part", inlineBytes + 1, []int{inlineBytes + 1}, 0},
		{"odd writes across blocks", many, []int{1, 4095, 65536, 300001}, 0},
		{"writes of a block", many, []int{hashBlockSize}, 0},
		{"one write of everything", many, []int{many}, 0},
		{"a sum midway, then more", many, []int{70000}, inlineBytes + 3*hashBlockSize + 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := make([]byte, tc.total)
			for i := range data {
				data[i] = byte(i*7 + i>>9)
			}
			h := newHashBehind()
			for off, i := 0, 0; off < len(data); i++ {
				n := min(tc.writes[i%len(tc.writes)], len(data)-off)
				if tc.sumAt > off && tc.sumAt <= off+n {
					n = tc.sumAt - off
				}
				h.Write(data[off : off+n])
				off += n
				if off == tc.sumAt {
					checkSum(t, h.Sum(), data[:off])
				}
			}
			checkSum(t, h.Sum(), data)
			checkSum(t, h.Sum(), data) // asking again changes nothing
		})
	}
}

func checkSum(t *testing.T, got, data []byte) {
	t.Helper()
	if want := sha256.Sum256(data); !bytes.Equal(got, want[:]) {
		t.Errorf("after %d bytes: sum %x, want %x", len(data), got, want)
	}
}

// TestOpened_PipeHashesWhatWasRead: a pipe may never end, so Info hashes
// the bytes read, not more; a pull read from one is whole and hashed whole.
func TestOpened_PipeHashesWhatWasRead(t *testing.T) {
	data := syntheticPull(300) // about 2 MB: many blocks hashed behind
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		w.Write(data)
		w.Close()
	}()
	o, err := NewOpened("pipe", r)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	info, err := ReadAPI(o, APIOptions{Workers: 2}, func(*intercom.Conversation, bool) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if info.Tally.Accepted != 300 {
		t.Errorf("accepted %d, want 300", info.Tally.Accepted)
	}
	sum := sha256.Sum256(data)
	if info.File.SHA256 != hex.EncodeToString(sum[:]) || info.File.Bytes != int64(len(data)) {
		t.Errorf("identity %s, %d bytes; want %x, %d", info.File.SHA256, info.File.Bytes, sum, len(data))
	}
}
