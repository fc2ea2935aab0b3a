package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressIsSilentUnlessATerminal(t *testing.T) {
	var buf bytes.Buffer
	if p := newProgress(&buf, 1000); p != nil {
		t.Fatal("a progress display on a buffer, which is not a terminal")
	}
	var p *progress // the no-op every command uses when stderr is not a terminal
	p.file("x", func() int64 { return 1 })
	p.finish()
}

// lockedBuffer is a bytes.Buffer safe for the display's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestProgressShowsBytesOfAllFiles(t *testing.T) {
	var out lockedBuffer
	p := startProgress(&out, 2_000_000_000, time.Millisecond)
	p.file("export.csv", func() int64 { return 500_000_000 })
	p.file("pull.jsonl", func() int64 { return 500_000_000 })
	time.Sleep(20 * time.Millisecond)
	p.finish()
	got := out.String()
	if !strings.Contains(got, "reading pull.jsonl: 1.0 GB of 2.0 GB (50%)") {
		t.Errorf("progress line %q", got)
	}
	if !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("the display does not clear its line at the end: %q", got)
	}
}
