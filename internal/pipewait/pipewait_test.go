package pipewait

import (
	"errors"
	"testing"
	"time"
)

func TestDo(t *testing.T) {
	failed := errors.New("no such file")
	tests := []struct {
		name    string
		step    func() (string, error)
		want    string
		wantErr string
	}{
		{"at once", func() (string, error) { return "token", nil }, "token", ""},
		{"its own error", func() (string, error) { return "", failed }, "", "no such file"},
		{"within the wait", func() (string, error) { time.Sleep(10 * time.Millisecond); return "late", nil }, "late", ""},
		{"never", func() (string, error) { select {} }, "", "nothing came from it in 50ms; is it a named pipe that no program writes to?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Do(50*time.Millisecond, tt.step, nil)
			if got != tt.want || (err == nil) != (tt.wantErr == "") || err != nil && err.Error() != tt.wantErr {
				t.Errorf("Do = %q, %v; want %q, %q", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestDo_ReleasesLateResult: what a step makes after its wait ran out is
// released (closed), not leaked.
func TestDo_ReleasesLateResult(t *testing.T) {
	proceed := make(chan struct{})
	released := make(chan string, 1)
	_, err := Do(10*time.Millisecond, func() (string, error) { <-proceed; return "file", nil }, func(v string) { released <- v })
	var nothing *NothingCame
	if !errors.As(err, &nothing) {
		t.Fatalf("err = %v, want *NothingCame", err)
	}
	close(proceed)
	select {
	case v := <-released:
		if v != "file" {
			t.Errorf("released %q", v)
		}
	case <-time.After(5 * time.Second):
		t.Error("the late result was not released")
	}
}
