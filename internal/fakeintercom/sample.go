package fakeintercom

import (
	"bytes"
	"io/fs"

	"github.com/icrecon/icrecon/fixtures"
)

// sampleFiles are the embedded sample's API pulls, in the 2.16 and 2.9 shapes.
var sampleFiles = []string{"sample/api/conversations.jsonl", "sample/api/legacy-2.9.jsonl"}

// Sample returns the embedded sample workspace's API conversations: every line of
// fixtures.Sample "sample/api/conversations.jsonl" and "sample/api/legacy-2.9.jsonl"
// (297 conversations, each one compact JSON object with its parts, as GET /conversations/{id} returns it).
func Sample() ([][]byte, error) {
	var convs [][]byte
	for _, name := range sampleFiles {
		data, err := fs.ReadFile(fixtures.Sample, name)
		if err != nil {
			return nil, err
		}
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			line = bytes.TrimRight(line, "\r")
			if len(line) > 0 {
				convs = append(convs, line)
			}
		}
	}
	return convs, nil
}
