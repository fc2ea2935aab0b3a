package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// statusLine redraws one line on standard error while a long job runs:
// only when standard error is a terminal, so logs and pipes stay clean.
// A nil *statusLine does nothing.
type statusLine struct {
	w       io.Writer
	text    func() string
	stop    chan struct{}
	stopped chan struct{}
}

// newStatusLine returns nil unless w is a terminal.
func newStatusLine(w io.Writer, text func() string) *statusLine {
	if !isTerminal(w) {
		return nil
	}
	return startStatusLine(w, 250*time.Millisecond, text)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func startStatusLine(w io.Writer, every time.Duration, text func() string) *statusLine {
	s := &statusLine{w: w, text: text, stop: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(s.stopped)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				fmt.Fprintf(s.w, "\r\033[K%s", s.text())
			}
		}
	}()
	return s
}

// finish stops the display and clears its line.
func (s *statusLine) finish() {
	if s == nil {
		return
	}
	close(s.stop)
	<-s.stopped
	fmt.Fprint(s.w, "\r\033[K")
}

// progress shows how much of the inputs has been read.
type progress struct {
	line    *statusLine
	total   int64 // bytes of all inputs on disk
	done    int64 // bytes of the inputs finished
	current func() int64
	name    string
	started time.Time
	mu      sync.Mutex
}

// newProgress returns nil (a no-op) unless w is a terminal.
func newProgress(w io.Writer, total int64) *progress {
	if total <= 0 || !isTerminal(w) {
		return nil
	}
	return startProgress(w, total, 250*time.Millisecond)
}

func startProgress(w io.Writer, total int64, every time.Duration) *progress {
	p := &progress{total: total, started: time.Now()}
	p.line = startStatusLine(w, every, p.text)
	return p
}

// file starts showing one input; read reports how far it has got.
func (p *progress) file(name string, read func() int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current != nil {
		p.done += p.current()
	}
	p.name, p.current = name, read
}

func (p *progress) text() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	read := p.done
	if p.current != nil {
		read += p.current()
	}
	rate := float64(read) / max(time.Since(p.started).Seconds(), 0.001)
	return fmt.Sprintf("reading %s: %s of %s (%d%%), %s/s", p.name, megabytes(read), megabytes(p.total), 100*read/p.total, megabytes(int64(rate)))
}

func (p *progress) finish() {
	if p == nil {
		return
	}
	p.line.finish()
}

func megabytes(n int64) string {
	if n >= 1e9 {
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	}
	return fmt.Sprintf("%.0f MB", float64(n)/1e6)
}
