package pull

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/icrecon/icrecon/fixtures"
	"github.com/icrecon/icrecon/internal/fakeintercom"
)

var (
	benchOnce  sync.Once
	benchConvs [][]byte
	benchErr   error
)

// benchWorkspace generates ICRECON_BENCH_N conversations (default 2,000,
// about 65 a day over October 2025) once per benchmark run.
func benchWorkspace(b *testing.B) [][]byte {
	benchOnce.Do(func() {
		n := 2000
		if v, err := strconv.Atoi(os.Getenv("ICRECON_BENCH_N")); err == nil && v > 0 {
			n = v
		}
		dir, err := os.MkdirTemp("", "icrecon-pull-bench-")
		if err != nil {
			benchErr = err
			return
		}
		defer os.RemoveAll(dir)
		if _, benchErr = fixtures.Generate(dir, fixtures.Config{N: n, Seed: 1}); benchErr != nil {
			return
		}
		for _, name := range []string{fixtures.FileAPI, fixtures.FileLegacy} {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				benchErr = err
				return
			}
			for line := range bytes.SplitSeq(bytes.TrimSpace(data), []byte("\n")) {
				benchConvs = append(benchConvs, line)
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchConvs
}

// BenchmarkPull pulls a generated workspace from the fake server: on
// loopback with no added latency (the client's own cost), and with 10 ms
// added to every answer (where fetching several at once pays). It reports
// conversations per second and requests per conversation.
func BenchmarkPull(b *testing.B) {
	convs := benchWorkspace(b)
	from := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, latency := range []time.Duration{0, 10 * time.Millisecond} {
		for _, concurrency := range []int{1, 4, 8} {
			b.Run(fmt.Sprintf("latency=%v/concurrency=%d", latency, concurrency), func(b *testing.B) {
				srv, err := fakeintercom.New(convs, fakeintercom.Options{Latency: latency})
				if err != nil {
					b.Fatal(err)
				}
				defer srv.Close()
				var fetched int
				var requests int64
				for b.Loop() {
					p, err := New(Options{
						Dir:   b.TempDir(),
						Query: Query{BaseURL: srv.URL, By: "created_at", From: from, To: to, Timezone: "UTC"},
						Token: "test-token", Concurrency: concurrency, Tool: "icrecon-bench", InsecureHTTP: true,
					})
					if err != nil {
						b.Fatal(err)
					}
					res, err := p.Run(context.Background())
					if err != nil {
						b.Fatal(err)
					}
					fetched += res.Manifest.Counts.Fetched
					requests += res.Manifest.Counts.Requests
				}
				b.ReportMetric(float64(fetched)/b.Elapsed().Seconds(), "conversations/s")
				b.ReportMetric(float64(requests)/float64(fetched), "requests/conversation")
			})
		}
	}
}
