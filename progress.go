package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// statusLine redraws one line on standard error while a long job runs:
// only when standard error is a terminal, so logs and pipes stay clean.
// The line is cut to the terminal's width, so it never wraps (a wrapped
// line cannot be redrawn in place, and stacks up). A nil *statusLine does
// nothing.
type statusLine struct {
	w       io.Writer
	width   int
	text    func() string
	stop    chan struct{}
	stopped chan struct{}
}

// newStatusLine returns nil unless w is a terminal.
func newStatusLine(w io.Writer, text func() string) *statusLine {
	if !isTerminal(w) {
		return nil
	}
	return startStatusLine(w, progressEvery(), text)
}

// progressEvery is how often the line is redrawn; ICRECON_PROGRESS_EVERY
// (a Go duration) changes it, for tests.
func progressEvery() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("ICRECON_PROGRESS_EVERY")); err == nil && d > 0 {
		return d
	}
	return 250 * time.Millisecond
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// widthOf is the terminal's width in columns: COLUMNS when set, else what
// the terminal says, else 80.
func widthOf(w io.Writer) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := w.(*os.File); ok {
		if n := terminalWidth(f); n > 0 {
			return n
		}
	}
	return 80
}

// outputWidth is the width the summary is laid out for: the terminal's
// when standard output is one, else the full table's.
func outputWidth(w io.Writer) int {
	if isTerminal(w) || os.Getenv("COLUMNS") != "" {
		return widthOf(w)
	}
	return 100
}

func startStatusLine(w io.Writer, every time.Duration, text func() string) *statusLine {
	s := &statusLine{w: w, width: widthOf(w), text: text, stop: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(s.stopped)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				fmt.Fprintf(s.w, "\r\033[K%s", cut(s.text(), s.width-1))
			}
		}
	}()
	return s
}

// cut shortens text to at most n characters, ending in "…" when it had to.
func cut(text string, n int) string {
	if n < 1 || utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)
	return string(runes[:n-1]) + "…"
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

// progress shows how much of the inputs has been read, then what the run
// is doing (working out the figures, writing the workbook), so the screen
// is never blank while something takes time.
type progress struct {
	line    *statusLine
	total   int64 // bytes of all inputs on disk
	done    int64 // bytes of the inputs finished
	current func() int64
	name    string
	stage   string // after reading: what is being done
	since   time.Time
	started time.Time
	mu      sync.Mutex
}

// newProgress returns nil (a no-op) unless w is a terminal.
func newProgress(w io.Writer, total int64) *progress {
	if !isTerminal(w) {
		return nil
	}
	return startProgress(w, total, progressEvery())
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
	p.name, p.current, p.stage = name, read, ""
}

// doing shows a step that has no bytes to count.
func (p *progress) doing(stage string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage, p.since = stage, time.Now()
}

func (p *progress) text() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stage != "" {
		return fmt.Sprintf("%s (%ds)", p.stage, int(time.Since(p.since).Seconds()))
	}
	read := p.done
	if p.current != nil {
		read += p.current()
	}
	rate := float64(read) / max(time.Since(p.started).Seconds(), 0.001)
	percent := int64(100)
	if p.total > 0 {
		percent = min(100, 100*read/p.total)
	}
	return fmt.Sprintf("reading %s: %s of %s (%d%%), %s/s", p.name, megabytes(read), megabytes(p.total), percent, megabytes(int64(rate)))
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
