package ordered

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestRunKeepsOrderAndCounts(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		var got []int
		err := Run(workers,
			func(send func(int) bool) error {
				for i := range 1000 {
					if !send(i) {
						return nil
					}
				}
				return nil
			},
			func() func(int) int {
				rng := rand.New(rand.NewPCG(uint64(workers), 1))
				return func(i int) int {
					if rng.IntN(50) == 0 {
						time.Sleep(time.Millisecond) // out-of-order completion
					}
					return i * 2
				}
			},
			func(v int) error { got = append(got, v); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1000 {
			t.Fatalf("workers=%d: %d results", workers, len(got))
		}
		for i, v := range got {
			if v != 2*i {
				t.Fatalf("workers=%d: result %d is %d, out of order", workers, i, v)
			}
		}
	}
}

func TestRunStopsOnConsumeError(t *testing.T) {
	stop := errors.New("stop")
	sent := 0
	err := Run(2,
		func(send func(int) bool) error {
			for i := range 1_000_000 {
				if !send(i) {
					return nil
				}
				sent++
			}
			return nil
		},
		func() func(int) int { return func(i int) int { return i } },
		func(v int) error {
			if v == 10 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v", err)
	}
	if sent > 1000 {
		t.Errorf("the producer went on to send %d inputs after the consumer failed", sent)
	}
}

func TestRunReturnsProduceError(t *testing.T) {
	bad := errors.New("read error")
	err := Run(2, func(send func(int) bool) error { send(1); return bad },
		func() func(int) int { return func(i int) int { return i } },
		func(int) error { return nil })
	if !errors.Is(err, bad) {
		t.Fatalf("err = %v", err)
	}
}

// TestRunTurnsAPanicIntoAnError: a bug in a transform ends the run with an
// error naming it, never a crash with a stack trace, and nothing hangs.
func TestRunTurnsAPanicIntoAnError(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		err := Run(workers,
			func(send func(int) bool) error {
				for i := range 10000 {
					if !send(i) {
						return nil
					}
				}
				return nil
			},
			func() func(int) int {
				return func(i int) int {
					if i == 500 {
						panic("boom")
					}
					return i
				}
			},
			func(int) error { return nil })
		if err == nil || !strings.Contains(err.Error(), "internal error: boom") {
			t.Errorf("workers=%d: %v", workers, err)
		}
	}
}
