package metrics_test

import (
	"testing"

	"github.com/icrecon/icrecon/metrics"
)

// BenchmarkRecompute recomputes the sample's conversations (about 9 parts
// each, office hours on); one op is one conversation.
//
//	go test -run='^$' -bench=BenchmarkRecompute -benchmem ./metrics/
func BenchmarkRecompute(b *testing.B) {
	convs := sampleConversations(b)
	opts := options(sampleWorkspace(b))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		metrics.Recompute(convs[i%len(convs)], opts)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "conversations/s")
}
