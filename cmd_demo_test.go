package main

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDemo runs `icrecon demo` as a newcomer would and checks that it
// writes every output and says where.
func TestDemo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := runCLI(t, "demo", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"report.xlsx", "summary.json", "conversations.csv", "differences.csv", "bridge.csv", "evidence/evidence.md", "evidence.zip"} {
		if fi, err := os.Stat(filepath.Join(out, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !strings.Contains(stdout, "The results are in "+out) || !strings.Contains(stdout, "FIGURE") {
		t.Errorf("the demo does not say where its results are:\n%s", stdout)
	}
	if s := readSummary(t, out); s.Accounting["conversations"] != 300 || len(s.Figures) == 0 {
		t.Errorf("summary %v, %d figures", s.Accounting, len(s.Figures))
	}
}

var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z.]{2,}`)
	phonePattern = regexp.MustCompile(`555[ -]01\d\d`) // every phone number in the sample
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
)

// sampleCustomers lists the names and e-mail addresses the sample's export
// holds: the personal data the bundle must not carry.
func sampleCustomers(t *testing.T) []string {
	t.Helper()
	rows := readCSV(t, "fixtures/sample/export.csv")
	name, email := -1, -1
	for i, h := range rows[0] {
		switch strings.TrimPrefix(h, "\ufeff") {
		case "User name":
			name = i
		case "User email":
			email = i
		}
	}
	var out []string
	for _, r := range rows[1:] {
		for _, i := range []int{name, email} {
			if v := strings.TrimSpace(r[i]); len(v) > 3 {
				out = append(out, v)
			}
		}
	}
	if len(out) < 100 {
		t.Fatalf("the sample holds only %d names and e-mails; the test would prove nothing", len(out))
	}
	return out
}

// sampleBodies returns the text of every message body in the sample's API
// pulls that is long enough to be recognisable (HTML removed, each
// paragraph on its own), and checks the pulls hold phone numbers.
func sampleBodies(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("fixtures/sample/api/conversations.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(phonePattern.FindAll(data, -1)); n < 10 {
		t.Fatalf("the sample's pulls hold %d phone numbers; the test would prove nothing", n)
	}
	type body struct {
		Body string `json:"body"`
	}
	var out []string
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var c struct {
			Source body
			Parts  struct {
				Parts []body `json:"conversation_parts"`
			} `json:"conversation_parts"`
		}
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatal(err)
		}
		for _, b := range append(c.Parts.Parts, c.Source) {
			for _, p := range strings.Split(b.Body, "</p>") {
				if p = strings.TrimSpace(html.UnescapeString(tagPattern.ReplaceAllString(p, " "))); len(p) >= 30 {
					out = append(out, p)
				}
			}
		}
	}
	if len(out) < 100 {
		t.Fatalf("the sample holds only %d message paragraphs; the test would prove nothing", len(out))
	}
	return out
}

// evidenceText concatenates every file of the evidence bundle.
func evidenceText(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}

// TestEvidence_CarriesNoPersonalData proves on the sample, which holds
// customers' names, e-mail addresses and phone numbers (in the export and in
// message bodies), that the evidence bundle — evidence/ and evidence.zip,
// the file attached to the ticket, with bridge.csv and differences.csv —
// carries none of them unless asked, and that --include-pii adds the names
// and e-mail addresses in customers.csv and nowhere else in the bundle.
func TestEvidence_CarriesNoPersonalData(t *testing.T) {
	customers, bodies := sampleCustomers(t), sampleBodies(t)
	out := t.TempDir()
	if code, _, stderr := runCLI(t, sampleArgs(out)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	text := evidenceText(t, filepath.Join(out, "evidence")) + zipText(t, filepath.Join(out, "evidence.zip"))
	if m := emailPattern.FindString(text); m != "" {
		t.Errorf("the evidence bundle holds an e-mail address: %s", m)
	}
	if m := phonePattern.FindString(text); m != "" {
		t.Errorf("the evidence bundle holds a phone number: %s", m)
	}
	for _, c := range customers {
		if strings.Contains(text, c) {
			t.Fatalf("the evidence bundle holds %q", c)
		}
	}
	for _, b := range bodies {
		if strings.Contains(text, b) {
			t.Fatalf("the evidence bundle holds a message body: %q", b)
		}
	}

	withPII := t.TempDir()
	if code, _, stderr := runCLI(t, sampleArgs(withPII, "--include-pii")...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// customers.csv, in evidence/ and in the zip, holds them, and it alone.
	zipped := zipFiles(t, filepath.Join(withPII, "evidence.zip"))
	written, err := os.ReadFile(filepath.Join(withPII, "evidence", "customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"evidence/customers.csv": string(written), "evidence.zip": string(zipped["evidence/customers.csv"])} {
		found := 0
		for _, c := range customers {
			if strings.Contains(text, c) {
				found++
			}
		}
		if found == 0 || !strings.HasPrefix(text, "conversation_id,name,email\n") {
			t.Errorf("--include-pii added no names or e-mail addresses to %s", name)
		}
	}
	md, err := os.ReadFile(filepath.Join(withPII, "evidence", "evidence.md"))
	if err != nil {
		t.Fatal(err)
	}
	others := map[string][]byte{"evidence/evidence.md on disk": md}
	for name, data := range zipped {
		if name != "evidence/customers.csv" {
			others[name+" in evidence.zip"] = data
		}
	}
	for name, data := range others {
		text := string(data)
		if m := emailPattern.FindString(text); m != "" {
			t.Errorf("with --include-pii, %s holds an e-mail address: %s", name, m)
		}
		for _, c := range customers {
			if strings.Contains(text, c) {
				t.Fatalf("with --include-pii, %s holds %q: only customers.csv should", name, c)
			}
		}
	}
}
