package parse

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/icrecon/icrecon/fixtures"
	"github.com/icrecon/icrecon/intercom"
)

// syntheticPull builds n conversations of API 2.16 shape as JSON Lines, about
// 6 KB each with HTML bodies, the size of a real pull with parts.
func syntheticPull(n int) []byte {
	var b bytes.Buffer
	body := strings.Repeat(`<p>Hello, I can\u2019t log in since the update. Here is what I see: <a href=\"https://example.com/x\">link</a></p>`, 4)
	for i := 0; i < n; i++ {
		created := 1759300000 + i*37
		fmt.Fprintf(&b, `{"type":"conversation","id":"2154700%08d","created_at":%d,"updated_at":%d,"waiting_since":null,"snoozed_until":null,`, i, created, created+9000)
		fmt.Fprintf(&b, `"source":{"type":"conversation","id":"9%d","delivered_as":"customer_initiated","subject":"","body":"%s","author":{"type":"user","id":"6762f0f31bb69f9f2193bb8b","name":"Jane Doe","email":"jane@example.com"},"attachments":[],"url":null,"redacted":false},`, i, body)
		b.WriteString(`"contacts":{"type":"contact.list","contacts":[{"type":"contact","id":"6762f0f31bb69f9f2193bb8b","external_id":"70"}]},`)
		fmt.Fprintf(&b, `"first_contact_reply":{"created_at":%d,"type":"conversation","url":null},"admin_assignee_id":5003,"team_assignee_id":0,"open":false,"state":"closed","read":true,`, created)
		b.WriteString(`"tags":{"type":"tag.list","tags":[{"type":"tag","id":"1","name":"billing","applied_at":1759300000,"applied_by":{"type":"admin","id":"5003"}}]},"priority":"none","sla_applied":null,`)
		fmt.Fprintf(&b, `"statistics":{"type":"conversation_statistics","time_to_assignment":0,"time_to_admin_reply":600,"time_to_first_close":3600,"time_to_last_close":3600,"median_time_to_reply":600,"first_contact_reply_at":%d,"first_assignment_at":%d,"first_admin_reply_at":%d,"first_close_at":%d,"last_assignment_at":%d,"last_assignment_admin_reply_at":%d,"last_contact_reply_at":%d,"last_admin_reply_at":%d,"last_close_at":%d,"last_closed_by_id":"5003","count_reopens":0,"count_assignments":1,"count_conversation_parts":8},`,
			created, created+5, created+600, created+3600, created+5, created+600, created+1200, created+1800, created+3600)
		b.WriteString(`"conversation_rating":null,"teammates":{"type":"admin.list","teammates":[{"type":"admin","id":"5003"}]},"title":null,"custom_attributes":{"Plan":"pro"},"topics":{},"ticket":null,"linked_objects":{"type":"list","data":[],"total_count":0,"has_more":false},"ai_agent":null,"ai_agent_participated":false,`)
		b.WriteString(`"conversation_parts":{"type":"conversation_part.list","conversation_parts":[`)
		for p := 0; p < 8; p++ {
			if p > 0 {
				b.WriteByte(',')
			}
			author := `{"id":"5003","type":"admin","name":"Sam Agent","email":"sam@acme.example","from_ai_agent":false,"is_ai_answer":false}`
			if p%2 == 1 {
				author = `{"id":"6762f0f31bb69f9f2193bb8b","type":"user","name":"Jane Doe","email":"jane@example.com"}`
			}
			fmt.Fprintf(&b, `{"type":"conversation_part","id":"%d%d","part_type":"comment","body":"%s","created_at":%d,"updated_at":%d,"notified_at":%d,"assigned_to":null,"author":%s,"attachments":[],"external_id":null,"redacted":false,"email_message_metadata":null,"metadata":{},"state":"open","tags":[],"event_details":null,"app_package_code":null}`,
				i, p, body, created+p*300, created+p*300, created+p*300, author)
		}
		b.WriteString(`],"total_count":8}}` + "\n")
	}
	return b.Bytes()
}

// BenchmarkReadAPI measures the API reader's throughput on JSON Lines.
//
//	go test -run='^$' -bench=BenchmarkReadAPI -benchmem ./parse/
func BenchmarkReadAPI(b *testing.B) {
	benchmarkReadAPI(b, "bench.jsonl", syntheticPull(20000), 20000)
}

// BenchmarkReadAPIArray measures the same pull written as one JSON array (as
// `jq -s` makes it), which the reader streams element by element.
//
//	go test -run='^$' -bench=BenchmarkReadAPIArray -benchmem ./parse/
func BenchmarkReadAPIArray(b *testing.B) {
	lines := bytes.Split(bytes.TrimSpace(syntheticPull(20000)), []byte{'\n'})
	data := append(append([]byte("[\n"), bytes.Join(lines, []byte(",\n"))...), "\n]\n"...)
	benchmarkReadAPI(b, "bench.json", data, 20000)
}

// benchmarkReadAPI reads data as the file name, on one worker and on two,
// and fails unless every one of the want conversations is read.
func benchmarkReadAPI(b *testing.B, name string, data []byte, want int) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				o, err := NewOpened(name, bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				if _, err := ReadAPI(o, APIOptions{Workers: workers}, func(*intercom.Conversation, bool) error { n++; return nil }); err != nil {
					b.Fatal(err)
				}
				if n != want {
					b.Fatalf("read %d conversations", n)
				}
			}
		})
	}
}

// BenchmarkReadAPISmall reads one small file, as when a folder holds a
// pull saved page by page: the per-file cost (buffers, workers) dominates.
//
//	go test -run='^$' -bench=BenchmarkReadAPISmall -benchmem ./parse/
func BenchmarkReadAPISmall(b *testing.B) {
	page := `{"type":"conversation.list","conversations":[` + strings.Repeat(`{"type":"conversation","id":"1","created_at":1754169880},`, 49) + `{"type":"conversation","id":"2","created_at":1754169881}]}` + "\n"
	for name, data := range map[string]string{"page.json": page, "line.jsonl": `{"type":"conversation","id":"1","created_at":1754169880}` + "\n"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				o, err := NewOpened(name, strings.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ReadAPI(o, APIOptions{Workers: 2}, func(*intercom.Conversation, bool) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// syntheticExport builds a Reports export of n rows in the generator's
// shape: the committed sample's 93 columns and rows (fixtures.Sample), its
// rows repeated with fresh conversation ids so that every row is accepted.
func syntheticExport(tb testing.TB, n int) []byte {
	tb.Helper()
	sample, err := fixtures.Sample.ReadFile("sample/" + fixtures.FileExport)
	if err != nil {
		tb.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(sample, utf8BOM))).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	header, rows := records[0], records[1:]
	var b bytes.Buffer
	b.Write(utf8BOM)
	w := csv.NewWriter(&b)
	w.Write(header)
	for i := range n {
		row := slices.Clone(rows[i%len(rows)])
		row[0] = strconv.Itoa(215470100000000 + i) // Conversation ID
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkReadExport measures the export reader's throughput on 50,000
// rows (about 36 MB) of the generator's 93-column export, on one worker and
// on one per CPU. MB/cpu-s divides the bytes by the CPU time the process
// used, every goroutine's and the collector's: the throughput per core,
// which a machine busy with other work changes less than MB/s.
//
//	go test -run='^$' -bench=BenchmarkReadExport -benchmem ./parse/
func BenchmarkReadExport(b *testing.B) {
	const rows = 50000
	data := syntheticExport(b, rows)
	for _, workers := range []int{1, 0} {
		name := fmt.Sprintf("workers=%d", workers)
		if workers == 0 {
			name = "workers=default"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			defer reportPerCPU(b, len(data))()
			for b.Loop() {
				o, err := NewOpened("bench.csv", bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				info, err := ReadExport(o, ExportOptions{Workers: workers, ReuseConversations: true}, func(*intercom.Conversation, bool) error { n++; return nil })
				if err != nil {
					b.Fatal(err)
				}
				if n != rows || info.Tally.Rejected != 0 {
					b.Fatalf("read %d conversations, %d rejected", n, info.Tally.Rejected)
				}
			}
		})
	}
}

// BenchmarkReadAPIFile reads a real pull, as reconcile does (Lean, a prepare
// step that keeps nothing), to tell the decoder's speed on real data from
// the synthetic pull's. It is skipped unless ICRECON_BENCH_API names a file,
// such as a generated workspace's api/conversations.jsonl:
//
//	ICRECON_BENCH_API=/tmp/ws100k/api/conversations.jsonl go test -run='^$' -bench=BenchmarkReadAPIFile -benchmem ./parse/
func BenchmarkReadAPIFile(b *testing.B) {
	path := os.Getenv("ICRECON_BENCH_API")
	if path == "" {
		b.Skip("ICRECON_BENCH_API names no file")
	}
	size := Input{Path: path}.Size()
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				o, err := Input{Path: path}.Open()
				if err != nil {
					b.Fatal(err)
				}
				prepare := func(*intercom.Conversation) int { return 0 }
				emit := func(*intercom.Conversation, int, bool) error { return nil }
				if _, err := ReadAPIPrepared(o, APIOptions{Workers: workers, Lean: true, ReuseConversations: true}, prepare, emit); err != nil {
					b.Fatal(err)
				}
				o.Close()
			}
		})
	}
}

// reportPerCPU starts counting the process's CPU time; the function it
// returns reports MB per CPU second over the b.N reads of n bytes.
func reportPerCPU(b *testing.B, n int) func() {
	start, ok := processCPU()
	return func() {
		end, _ := processCPU()
		if ok && end > start {
			b.ReportMetric(float64(n)*float64(b.N)/1e6/(end-start).Seconds(), "MB/cpu-s")
		}
	}
}

// BenchmarkDecodeLines measures the decoder alone, on one goroutine: the
// first 64 MB of lines of the file ICRECON_BENCH_API names, held in memory,
// decoded as reconcile decodes them (Lean, conversations reused). No
// reading, hashing or handing on: what it reports is what the decoder
// itself costs per byte.
//
//	ICRECON_BENCH_API=/tmp/ws100k/api/conversations.jsonl go test -run='^$' -bench=BenchmarkDecodeLines -cpu=1 ./parse/
func BenchmarkDecodeLines(b *testing.B) {
	path := os.Getenv("ICRECON_BENCH_API")
	if path == "" {
		b.Skip("ICRECON_BENCH_API names no file")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	if len(data) > 64<<20 {
		data = data[:bytes.LastIndexByte(data[:64<<20], '\n')+1]
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte{'\n'})
	var convs sync.Pool
	d := decoder{lean: true, convs: &convs}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer reportPerCPU(b, len(data))()
	for b.Loop() {
		n := 0
		for i, line := range lines {
			d.decodeTop(line, intercom.Origin{File: path, Line: i + 1}, func(c *intercom.Conversation, r *Reject) {
				if r != nil {
					b.Fatalf("line %d: %s", i+1, r.Reason)
				}
				n++
				d.partsBuf, c.Parts = c.Parts[:0], nil
				convs.Put(c)
			})
		}
		if n != len(lines) {
			b.Fatalf("decoded %d of %d lines", n, len(lines))
		}
	}
}
