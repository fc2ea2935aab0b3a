// Package ordered runs a transform over a stream on several goroutines and
// hands the results on in input order, with a bounded number in flight, so
// that a reader can use every core and still be deterministic.
package ordered

import (
	"context"
	"fmt"
	"sync"
)

// Run calls produce, which sends inputs through its send function (send
// reports false once the run is being cancelled). Each input is transformed
// on one of workers goroutines, each with its own transform from
// newTransform (for per-worker scratch state), and consume receives the
// outputs in the order the inputs were sent. An error from consume cancels
// the run and is returned; otherwise produce's error is.
func Run[In, Out any](workers int, produce func(send func(In) bool) error, newTransform func() func(In) Out, consume func(Out) error) error {
	if workers < 1 {
		workers = 1
	}
	type job struct {
		seq int
		in  In
	}
	type result struct {
		seq int
		out Out
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobs := make(chan job, workers)
	done := make(chan result, workers)
	// inFlight bounds the inputs sent but not yet consumed, so a slow input
	// cannot make the reorder buffer grow without limit.
	inFlight := make(chan struct{}, 4*workers)

	var produceErr error
	go func() {
		defer close(jobs)
		seq := 0
		produceErr = produce(func(in In) bool {
			select {
			case inFlight <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			jobs <- job{seq, in}
			seq++
			return true
		})
	}()

	var wg sync.WaitGroup
	var panicked panicError
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A bug in a transform must not take the process down with a
			// stack trace: it ends the run with an error, and the jobs
			// still queued are drained so the producer is not stuck.
			defer func() {
				if p := recover(); p != nil {
					panicked.set(p)
					cancel()
					for j := range jobs {
						_ = j
						<-inFlight
					}
				}
			}()
			transform := newTransform()
			for j := range jobs {
				done <- result{j.seq, transform(j.in)}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	pending := map[int]Out{}
	next := 0
	var consumeErr error
	for r := range done {
		pending[r.seq] = r.out
		for out, ok := pending[next]; ok; out, ok = pending[next] {
			delete(pending, next)
			next++
			<-inFlight
			if consumeErr == nil {
				if consumeErr = consume(out); consumeErr != nil {
					cancel()
				}
			}
		}
	}
	if err := panicked.err(); err != nil {
		return err
	}
	if consumeErr != nil {
		return consumeErr
	}
	return produceErr
}

// panicError keeps the first panic of a worker, as an error.
type panicError struct {
	mu    sync.Mutex
	value any
}

func (p *panicError) set(v any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.value == nil {
		p.value = v
	}
}

func (p *panicError) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.value == nil {
		return nil
	}
	return fmt.Errorf("internal error: %v (this is a bug in icrecon; please report it with the command you ran)", p.value)
}
