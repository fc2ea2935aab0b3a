// Package golden compares test output with golden files under testdata/,
// and rewrites them when a test runs with -update. Each test package keeps
// its own -update flag and passes it in.
package golden

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// Check compares got with the golden file, or rewrites the file when
// update is set.
func Check(t testing.TB, golden, got string, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output (- golden, + got; rerun with -update if the change is intended):\n%s",
			golden, LineDiff(string(want), got))
	}
}

// LineDiff lists the lines only a or only b has, numbered, by a longest
// common subsequence of lines: enough for files of a few hundred lines.
func LineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			fmt.Fprintf(&out, "%4d - %s\n", i+1, x[i])
			i++
		default:
			fmt.Fprintf(&out, "%4d + %s\n", j+1, y[j])
			j++
		}
	}
	return out.String()
}
