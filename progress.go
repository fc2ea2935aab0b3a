package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress shows, on standard error, how much of the inputs has been read:
// only when standard error is a terminal, so logs and pipes stay clean.
type progress struct {
	w       io.Writer
	total   int64 // bytes of all inputs on disk
	done    int64 // bytes of the inputs finished
	current func() int64
	name    string
	started time.Time
	mu      sync.Mutex
	stop    chan struct{}
	stopped chan struct{}
}

// newProgress returns nil (a no-op) unless w is a terminal.
func newProgress(w io.Writer, total int64) *progress {
	f, ok := w.(*os.File)
	if !ok || total <= 0 {
		return nil
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return startProgress(w, total, 250*time.Millisecond)
}

func startProgress(w io.Writer, total int64, every time.Duration) *progress {
	p := &progress{w: w, total: total, started: time.Now(), stop: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(p.stopped)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
				p.draw()
			}
		}
	}()
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

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	read := p.done
	if p.current != nil {
		read += p.current()
	}
	rate := float64(read) / max(time.Since(p.started).Seconds(), 0.001)
	fmt.Fprintf(p.w, "\r\033[Kreading %s: %s of %s (%d%%), %s/s", p.name, megabytes(read), megabytes(p.total), 100*read/p.total, megabytes(int64(rate)))
}

// finish stops the display and clears its line.
func (p *progress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.stopped
	fmt.Fprint(p.w, "\r\033[K")
}

func megabytes(n int64) string {
	if n >= 1e9 {
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	}
	return fmt.Sprintf("%.0f MB", float64(n)/1e6)
}
