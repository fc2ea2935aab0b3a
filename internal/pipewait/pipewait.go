// Package pipewait bounds the wait for an input that may be a named pipe:
// opening one, or reading from it, waits for a program to write to it, and
// one that no program writes to would hold the run for ever.
package pipewait

import (
	"fmt"
	"time"
)

// Default is how long an input may take to give its first bytes: a file
// gives them at once, and a program behind a pipe (`<(pass show …)`,
// `<(zcat …)`) starts writing well within it.
const Default = 30 * time.Second

// NothingCame says that an input gave nothing within the wait. Its sentence
// lacks the input's name, which the caller puts before it.
type NothingCame struct{ Wait time.Duration }

func (e *NothingCame) Error() string {
	return fmt.Sprintf("nothing came from it in %s; is it a named pipe that no program writes to?", e.Wait)
}

// Do runs step apart and waits at most wait for it. When the wait runs out
// it returns *NothingCame at once. step cannot be called off (an open(2) of
// a pipe waits in the kernel), so it goes on waiting; if it ever succeeds,
// what it made (a file, to close) is given to release, unless that is nil.
func Do[T any](wait time.Duration, step func() (T, error), release func(T)) (T, error) {
	done := make(chan result[T], 1)
	go func() {
		v, err := step()
		done <- result[T]{v, err}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-timer.C:
		if release != nil {
			go releaseLate(done, release)
		}
		var zero T
		return zero, &NothingCame{Wait: wait}
	}
}

type result[T any] struct {
	v   T
	err error
}

// releaseLate waits for a step whose wait ran out and releases what it made.
func releaseLate[T any](done <-chan result[T], release func(T)) {
	if r := <-done; r.err == nil {
		release(r.v)
	}
}
