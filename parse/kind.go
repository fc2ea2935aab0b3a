package parse

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/icrecon/icrecon/intercom"
)

// Kind is what an input is.
type Kind string

// The kinds of input icrecon reads.
const (
	KindExport    Kind = "export_csv"
	KindAPI       Kind = "api_json"
	KindDashboard Kind = "dashboard_csv"
	KindWorkspace Kind = "workspace"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Sniff decides what an input is from its first bytes (after gzip), or says in
// one sentence why it is none of them.
func Sniff(o *Opened) (Kind, error) {
	head, err := o.Peek(8192)
	var cut *CutError
	if errors.As(err, &cut) && len(bytes.TrimSpace(bytes.TrimPrefix(head, utf8BOM))) == 0 {
		return "", cut // a gzip file with no data to look at
	}
	return sniff(o.Path, head, o.gz != nil)
}

var utf32LEBOM = []byte{0xFF, 0xFE, 0, 0}
var utf32BEBOM = []byte{0, 0, 0xFE, 0xFF}

func sniff(name string, head []byte, gzipped bool) (Kind, error) {
	if bytes.HasPrefix(head, utf32LEBOM) || bytes.HasPrefix(head, utf32BEBOM) {
		return "", fmt.Errorf("%s: this file is UTF-32 text, which icrecon does not read; save it as UTF-8 (in Excel: Save As > CSV UTF-8)", name)
	}
	head = bytes.TrimPrefix(head, utf8BOM)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	lowerName := strings.ToLower(strings.TrimSuffix(name, ".gz"))
	switch {
	case len(trimmed) == 0:
		return "", fmt.Errorf("%s: the file is empty", name)
	case looksUTF16WithoutBOM(head):
		return "", fmt.Errorf("%s: this file is UTF-16 text without the mark that says so, which cannot be told from binary safely; save it as UTF-8 (in Excel: Save As > CSV UTF-8)", name)
	case !gzipped && strings.HasSuffix(strings.ToLower(name), ".gz") && isBinary(head):
		return "", fmt.Errorf("%s: this is not a gzip file, although its name ends in .gz, nor a CSV, JSON or YAML file icrecon can read", name)
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "", fmt.Errorf("%s: this is an Excel workbook or another zip file, not a CSV; in Intercom Reports choose Export as CSV, or in Excel use Save As > CSV", name)
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")):
		return "", fmt.Errorf("%s: this is an old-style Excel (.xls) file, not a CSV; save it as CSV first", name)
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "", fmt.Errorf("%s: this is a PDF document, not data icrecon can read", name)
	case looksHTML(trimmed):
		return "", fmt.Errorf("%s: this is a web page (HTML), not Intercom data; it is probably an error or login page saved instead of the API's JSON or the CSV download", name)
	case isBinary(head):
		return "", fmt.Errorf("%s: this is a binary file, not a CSV, JSON or YAML file icrecon can read", name)
	case trimmed[0] == '{' || trimmed[0] == '[':
		return KindAPI, nil
	}
	first := firstDataLine(head)
	switch {
	case isExportHeader(first):
		return KindExport, nil
	case isDashboardHeader(first):
		return KindDashboard, nil
	case strings.HasSuffix(lowerName, ".yaml") || strings.HasSuffix(lowerName, ".yml") || looksWorkspaceYAML(head):
		return KindWorkspace, nil
	}
	return "", fmt.Errorf("%s: this is not a file icrecon reads: expected a Reports CSV export (with a \"Conversation ID\" column), an API pull (JSON), a dashboard figures CSV (metric,from,to,value) or a workspace.yaml", name)
}

func isBinary(head []byte) bool { return bytes.IndexByte(head, 0) >= 0 }

// looksUTF16WithoutBOM spots text saved as UTF-16 with no byte-order mark:
// in its first characters every other byte is zero.
func looksUTF16WithoutBOM(head []byte) bool {
	n := min(len(head), 64) &^ 1
	if n < 8 {
		return false
	}
	var zeros [2]int
	for i := range n {
		if head[i] == 0 {
			zeros[i%2]++
		}
	}
	half := n / 2
	return (zeros[0] == 0 && zeros[1] >= half*3/4) || (zeros[1] == 0 && zeros[0] >= half*3/4)
}

func looksHTML(b []byte) bool {
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	start := strings.ToLower(string(b[:min(len(b), 512)]))
	return strings.Contains(start, "<html") || strings.Contains(start, "<!doctype") || strings.Contains(start, "<head") || strings.Contains(start, "<body")
}

// firstDataLine is the first line that is neither blank nor a # comment.
func firstDataLine(b []byte) string {
	for _, line := range strings.Split(string(b), "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			return strings.TrimRight(line, "\r")
		}
	}
	return ""
}

func firstLine(b []byte) string {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func isExportHeader(line string) bool {
	return strings.Contains(strings.ToLower(line), "conversation id")
}

func isDashboardHeader(line string) bool {
	fields := strings.FieldsFunc(strings.ToLower(line), func(r rune) bool { return r == ',' || r == ';' || r == '\t' || r == '|' })
	if len(fields) == 0 {
		return false
	}
	first := strings.Trim(strings.TrimSpace(fields[0]), `"`)
	if first == "metric" {
		return true
	}
	return intercom.MetricKindOf(first) != 0
}

func looksWorkspaceYAML(head []byte) bool {
	for _, line := range strings.Split(string(head), "\n") {
		key, _, found := strings.Cut(strings.TrimSpace(line), ":")
		if found && (key == "timezone" || key == "office_hours") {
			return true
		}
	}
	return false
}
