package outfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// earlier is an output recognised by its first line, "OURS", or an empty
// file.
var earlier = Output{Name: "test output", IsEarlier: func(first []byte) bool {
	return len(first) == 0 || string(first) == "OURS\n"
}}

// TestCheck: the attacker's report on metrics --out — an input, a file in
// an input folder, or any existing file was replaced by the output.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	write := func(name, content string) {
		os.MkdirAll(filepath.Dir(at(name)), 0o755)
		if err := os.WriteFile(at(name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pull.jsonl", `{"type":"conversation"}`+"\n")
	write("workspace.yaml", "timezone: UTC\n")
	write("api/a.jsonl", "{}\n")
	write("notes.txt", "mine\n")
	write("old.jsonl", "OURS\nrow\n")
	write("empty.jsonl", "")
	write("long.jsonl", "OURS"+strings.Repeat("x", maxFirstLine)+"\n")
	os.Mkdir(at("api/sub"), 0o755)
	os.Symlink(at("api"), at("api-link"))
	os.Symlink(at("pull.jsonl"), at("pull-link.jsonl"))
	os.Link(at("pull.jsonl"), at("pull-hardlink.jsonl"))
	os.Symlink(at("api/sub"), at("sub-link"))
	inputs := []string{at("pull.jsonl"), at("workspace.yaml"), at("api")}

	cases := []struct {
		name    string
		out     string
		inputs  []string
		wantErr string
	}{
		{"standard output", "-", inputs, ""},
		{"no --out", "", inputs, ""},
		{"a new file", at("metrics.jsonl"), inputs, ""},
		{"an earlier output", at("old.jsonl"), inputs, ""},
		{"an empty file", at("empty.jsonl"), inputs, ""},
		{"the input itself", at("pull.jsonl"), inputs, "is one of the inputs; icrecon will not write over it"},
		{"the workspace file", at("workspace.yaml"), inputs, "is one of the inputs"},
		{"the input spelled otherwise", at("api/../pull.jsonl"), inputs, "is one of the inputs"},
		{"the input given through a link", at("pull.jsonl"), []string{at("pull-link.jsonl")}, "is one of the inputs"},
		{"a link to the input", at("pull-link.jsonl"), inputs, "is one of the inputs"},
		{"a hard link to the input", at("pull-hardlink.jsonl"), inputs, "is one of the inputs"},
		{"a file read from an input folder", at("api/a.jsonl"), append(inputs, at("api/a.jsonl")), "is one of the inputs"},
		{"a file in an input folder, not yet read", at("api/a.jsonl"), inputs, "a folder given as an input"},
		{"a new file in an input folder", at("api/m.jsonl"), inputs, "is inside " + at("api") + ", a folder given as an input"},
		{"a new file below an input folder", at("api/sub/m.jsonl"), inputs, "a folder given as an input"},
		{"a new file in an input folder reached by a link", at("api-link/sub/m.jsonl"), inputs, "a folder given as an input"},
		{"a new file in an input folder given by a link", at("api/m.jsonl"), []string{at("api-link")}, "a folder given as an input"},
		// The link is followed before "..": sub-link/.. is api, not dir
		// (written out, as filepath.Join would clean the ".." away).
		{"a new file past a link and ..", at("sub-link") + "/../m.jsonl", inputs, "a folder given as an input"},
		{"a user's file", at("notes.txt"), inputs, "already exists and is not an earlier test output; icrecon will not replace it"},
		{"a first line too long to be ours", at("long.jsonl"), inputs, "is not an earlier test output"},
		{"a folder", at("api/sub"), nil, "this is a folder"},
		{"a missing input is left to the reading", at("metrics.jsonl"), []string{at("missing.jsonl")}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.out, tc.inputs, earlier)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.out) {
				t.Errorf("the message does not name %s: %v", tc.out, err)
			}
		})
	}
}

// TestCheckFolder: reconcile --out inside an --api folder was accepted, and
// the next identical run read its results as inputs and failed; an output
// folder must be neither an input nor inside a folder given as one, at any
// depth, however spelled or linked.
func TestCheckFolder(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	for _, name := range []string{"api/sub", "export", "elsewhere", "real-api/x"} {
		if err := os.MkdirAll(at(name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(at("api/a.jsonl"), []byte("{}\n"), 0o644)
	os.WriteFile(at("dashboard.csv"), []byte("metric,from,to,value\n"), 0o644)
	os.Symlink(at("api"), at("api-link"))
	os.Symlink(at("api/sub"), at("sub-link"))
	os.Symlink(at("real-api"), at("api-by-link"))
	inputs := []string{at("export"), at("api"), at("dashboard.csv")}

	const (
		self   = "is one of the inputs; icrecon will not write its results into it: give another folder"
		inside = ", a folder given as an input; icrecon will not write there, since the next run would read its results as inputs: give a folder outside that one"
	)
	cases := []struct {
		name    string
		out     string
		inputs  []string
		wantErr string
	}{
		{"a new folder elsewhere", at("out"), inputs, ""},
		{"a folder beside the inputs", at("elsewhere"), inputs, ""},
		{"a folder named like an input", at("api2/out"), inputs, ""},
		{"the api folder itself", at("api"), inputs, self},
		{"the api folder spelled otherwise", at("export/../api/"), inputs, self},
		{"the api folder through a link", at("api-link"), inputs, self},
		{"the dashboard file", at("dashboard.csv"), inputs, self},
		{"a new folder in the api folder", at("api/out"), inputs, "is inside " + at("api") + inside},
		{"a new folder in the export folder", at("export/out"), inputs, "is inside " + at("export") + inside},
		{"a folder deep in the api folder, not yet made", at("api/sub/a/b/c"), inputs, "is inside " + at("api") + inside},
		{"an existing folder in the api folder", at("api/sub"), inputs, "is inside " + at("api") + inside},
		{"through a link to the api folder", at("api-link/out"), inputs, "is inside " + at("api") + inside},
		{"a link into the api folder", at("sub-link"), inputs, "is inside " + at("api") + inside},
		{"a new folder past a link into the api folder", at("sub-link/a/b"), inputs, "is inside " + at("api") + inside},
		{"a new folder past a link and ..", at("sub-link") + "/../out", inputs, "is inside " + at("api") + inside},
		{"an api folder given by a link", at("real-api/out"), []string{at("api-by-link")}, "is inside " + at("api-by-link") + inside},
		{"a missing input is left to the reading", at("missing/out"), []string{at("missing")}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckFolder(tc.out, tc.inputs)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := "--out " + tc.out + " "; err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), tc.wantErr) {
				t.Fatalf("error %v\nwant  %s… %s", err, want, tc.wantErr)
			}
		})
	}
}
