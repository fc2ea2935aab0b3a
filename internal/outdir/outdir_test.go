package outdir

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var names = []string{"report.xlsx", "summary.json", "evidence"}

// run writes one generation whose files all say label, as a command would.
func run(t testing.TB, dir, label string) error {
	d, err := Claim(dir, names)
	if err != nil {
		return err
	}
	defer d.Release()
	gen, err := d.Begin()
	if err != nil {
		d.Abandon()
		return err
	}
	for _, name := range []string{"report.xlsx", "summary.json"} {
		if err := os.WriteFile(filepath.Join(gen, name), []byte(label), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(gen, "evidence"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(gen, "evidence", "evidence.md"), []byte(label), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		d.Abandon()
		return err
	}
	return nil
}

// results reads what a user opening the folder sees.
func results(t testing.TB, dir string) string {
	t.Helper()
	var got []string
	for _, name := range []string{"report.xlsx", "summary.json", "evidence/evidence.md"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			got = append(got, "missing")
			continue
		}
		got = append(got, string(b))
	}
	return strings.Join(got, ",")
}

func generations(t testing.TB, dir string) int {
	entries, _ := os.ReadDir(filepath.Join(dir, hidden))
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), genPrefix) {
			n++
		}
	}
	return n
}

func TestClaim(t *testing.T) {
	cases := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		wantErr string
	}{
		{"a new folder is created", func(t *testing.T, dir string) { os.Remove(dir) }, ""},
		{"an empty folder is taken", func(t *testing.T, dir string) {}, ""},
		{"an earlier output is replaced", func(t *testing.T, dir string) {
			if err := run(t, dir, "old"); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"a user's files are refused", func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "evidence"), 0o755)
			os.WriteFile(filepath.Join(dir, "evidence", "shot.png"), []byte("mine"), 0o644)
		}, "holds files icrecon did not write"},
		{"a file is not a folder", func(t *testing.T, dir string) {
			os.Remove(dir)
			os.WriteFile(dir, []byte("mine"), 0o644)
		}, "this is a file, not a folder"},
		{"a result the user replaced is not overwritten", func(t *testing.T, dir string) {
			if err := run(t, dir, "old"); err != nil {
				t.Fatal(err)
			}
			os.Remove(filepath.Join(dir, "report.xlsx"))
			os.WriteFile(filepath.Join(dir, "report.xlsx"), []byte("saved from Excel"), 0o644)
		}, "is not icrecon's any more"},
		{"a link the user pointed elsewhere is not overwritten", func(t *testing.T, dir string) {
			if err := run(t, dir, "old"); err != nil {
				t.Fatal(err)
			}
			os.Remove(filepath.Join(dir, "summary.json"))
			os.Symlink("/etc/passwd", filepath.Join(dir, "summary.json"))
		}, "is not icrecon's any more"},
		// The names icrecon switches and cleans up, current and
		// current.new, are checked like the results' names: a file of
		// the user's by either name was replaced or deleted.
		{"a user's file named current.new is not deleted", func(t *testing.T, dir string) {
			if err := run(t, dir, "old"); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, newLink), []byte("mine"), 0o644)
		}, "current.new: this is not the link icrecon keeps here"},
		{"a user's link named current.new is not deleted", func(t *testing.T, dir string) {
			if err := run(t, dir, "old"); err != nil {
				t.Fatal(err)
			}
			os.Symlink("notes", filepath.Join(dir, newLink))
		}, "current.new: this is not the link icrecon keeps here"},
		{"a user's file named current is not replaced", func(t *testing.T, dir string) {
			if err := run(t, dir, "old"); err != nil {
				t.Fatal(err)
			}
			os.Remove(filepath.Join(dir, currentLink))
			os.WriteFile(filepath.Join(dir, currentLink), []byte("mine"), 0o644)
		}, "current: this is not the link icrecon keeps here"},
		{"a current pointing elsewhere is not replaced", func(t *testing.T, dir string) {
			if err := run(t, dir, "old"); err != nil {
				t.Fatal(err)
			}
			os.Remove(filepath.Join(dir, currentLink))
			os.Symlink(t.TempDir(), filepath.Join(dir, currentLink))
		}, "current: this is not the link icrecon keeps here"},
		{"a killed commit's current.new is removed", func(t *testing.T, dir string) {
			if err := run(t, dir, "old"); err != nil {
				t.Fatal(err)
			}
			os.Symlink(filepath.Join(hidden, genPrefix+"killed"), filepath.Join(dir, newLink))
		}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			os.Mkdir(dir, 0o755)
			tc.prepare(t, dir)
			before := snapshot(t, dir)
			err := run(t, dir, "new")
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := results(t, dir); got != "new,new,new" {
					t.Errorf("results %q", got)
				}
				if n := generations(t, dir); n != 1 {
					t.Errorf("%d generations kept, want 1", n)
				}
				if _, err := os.Lstat(filepath.Join(dir, newLink)); err == nil {
					t.Errorf("%s is left behind", newLink)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("a refused run changed the folder:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// snapshot lists every name under dir with its content or link target.
func snapshot(t testing.TB, dir string) string {
	var b strings.Builder
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		fmt.Fprintf(&b, "%s %v", path, info.Mode().Type())
		switch {
		case info.Mode()&os.ModeSymlink != 0:
			to, _ := os.Readlink(path)
			b.WriteString(" -> " + to)
		case info.Mode().IsRegular() && !strings.HasSuffix(path, lockFile):
			c, _ := os.ReadFile(path)
			b.WriteString(" " + string(c))
		}
		b.WriteString("\n")
		return nil
	})
	return b.String()
}

func TestAFailedFirstRunLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	d, err := Claim(dir, names)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Begin(); err != nil {
		t.Fatal(err)
	}
	d.Abandon()
	d.Release()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the folder a failed first run made is still there: %v", err)
	}
}

// TestAFailedFirstRunRemovesOnlyItsOwn: a failed run into a folder where no
// run has finished removes what icrecon made there, and nothing else, even
// under .icrecon.
func TestAFailedFirstRunRemovesOnlyItsOwn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	mine := filepath.Join(dir, hidden, genPrefix+"mine", "notes.txt")
	os.MkdirAll(filepath.Dir(mine), 0o755)
	os.WriteFile(mine, []byte("my notes"), 0o644)
	os.WriteFile(filepath.Join(dir, hidden, ownerFile), []byte(ownerText), 0o644)
	d, err := Claim(dir, names)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := d.Begin()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(gen, "summary.json"), []byte("half"), 0o644)
	d.Abandon()
	d.Release()
	if b, err := os.ReadFile(mine); err != nil || string(b) != "my notes" {
		t.Errorf("the user's file under .icrecon: %q, %v", b, err)
	}
	if _, err := os.Stat(gen); !os.IsNotExist(err) {
		t.Errorf("the failed run's generation is still there: %v", err)
	}
}

func TestAFailedRunKeepsTheEarlierResults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := run(t, dir, "old"); err != nil {
		t.Fatal(err)
	}
	d, err := Claim(dir, names)
	if err != nil {
		t.Fatal(err)
	}
	gen, _ := d.Begin()
	os.WriteFile(filepath.Join(gen, "summary.json"), []byte("half"), 0o644)
	d.Abandon()
	d.Release()
	if got := results(t, dir); got != "old,old,old" {
		t.Errorf("results %q after a failed run", got)
	}
	if n := generations(t, dir); n != 1 {
		t.Errorf("%d generations, want 1", n)
	}
}

func TestASecondConcurrentRunIsRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	first, err := Claim(dir, names)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Begin(); err != nil {
		t.Fatal(err)
	}
	if _, err := Claim(dir, names); err == nil || !strings.Contains(err.Error(), "another icrecon run is writing into this folder") {
		t.Fatalf("second claim: %v", err)
	}
	first.Abandon()
	first.Release()
	if err := run(t, dir, "after"); err != nil {
		t.Errorf("once the first run ended the folder should be free: %v", err)
	}
}

// TestKillAtEveryStep kills a run (a child process, os.Exit) at each step of
// a commit: the folder must show the old results or the new ones, whole,
// and the next run must succeed and leave one generation.
func TestKillAtEveryStep(t *testing.T) {
	for _, at := range []string{"write", "links", "symlink", "switch", "cleaned"} {
		t.Run(at, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := run(t, dir, "old"); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
			cmd.Env = append(os.Environ(), "OUTDIR_HELPER_DIR="+dir, "OUTDIR_HELPER_KILL_AT="+at)
			if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(err.Error(), "exit status 9") {
				t.Fatalf("the child was not killed at %s: %v\n%s", at, err, out)
			}
			got := results(t, dir)
			if got != "old,old,old" && got != "new,new,new" {
				t.Fatalf("after a kill at %s the folder shows %q", at, got)
			}
			if err := run(t, dir, "next"); err != nil {
				t.Fatalf("the run after the kill: %v", err)
			}
			if got := results(t, dir); got != "next,next,next" {
				t.Errorf("results %q", got)
			}
			if n := generations(t, dir); n != 1 {
				t.Errorf("%d generations left, want 1", n)
			}
		})
	}
}

// TestHelperProcess is the child of TestKillAtEveryStep.
func TestHelperProcess(t *testing.T) {
	dir, at := os.Getenv("OUTDIR_HELPER_DIR"), os.Getenv("OUTDIR_HELPER_KILL_AT")
	if dir == "" {
		t.Skip("run by TestKillAtEveryStep")
	}
	hooks.step = func(name string) {
		if name == at {
			os.Exit(9)
		}
	}
	d, err := Claim(dir, names)
	if err != nil {
		t.Fatal(err)
	}
	gen, _ := d.Begin()
	os.WriteFile(filepath.Join(gen, "report.xlsx"), []byte("new"), 0o644)
	step("write") // killed while the results are being written
	os.WriteFile(filepath.Join(gen, "summary.json"), []byte("new"), 0o644)
	os.MkdirAll(filepath.Join(gen, "evidence"), 0o755)
	os.WriteFile(filepath.Join(gen, "evidence", "evidence.md"), []byte("new"), 0o644)
	d.Commit()
	os.Exit(0)
}

// TestClaim_RefusesInsideHidden: an --out inside an output's .icrecon
// folder, at any depth, spelled so or reached through a link, is refused
// before anything is made: a run into that output would delete it, with
// whatever the user put in it.
func TestClaim_RefusesInsideHidden(t *testing.T) {
	const want = "the folder where an icrecon output keeps its own files; icrecon will not write there, since a run into that output would delete it: give --out a folder elsewhere"
	cases := []struct {
		name string
		out  func(out string) string // the --out, given the output folder
	}{
		{"the hidden folder itself", func(out string) string { return filepath.Join(out, hidden) }},
		{"a name like a generation's", func(out string) string {
			return filepath.Join(out, hidden, genPrefix+"20250101T000000-abcdef")
		}},
		{"the generation in use, through current", func(out string) string { return filepath.Join(out, currentLink) }},
		{"deep inside the generation in use", func(out string) string { return filepath.Join(out, currentLink, "evidence", "more") }},
		{"deep inside a new folder there", func(out string) string { return filepath.Join(out, hidden, "a", "b", "c") }},
		{"through a link to the hidden folder", func(out string) string {
			link := filepath.Join(filepath.Dir(out), "shortcut")
			os.Symlink(filepath.Join(out, hidden), link)
			return filepath.Join(link, "mine")
		}},
		{"spelled with ..", func(out string) string { return filepath.Join(out, "x") + "/../" + hidden + "/y" }},
		{"past a link into the hidden folder and ..", func(out string) string {
			// The system follows the link before "..": deep/.. is the hidden folder.
			link := filepath.Join(filepath.Dir(out), "deep-link")
			os.MkdirAll(filepath.Join(out, hidden, "deep"), 0o755)
			os.Symlink(filepath.Join(out, hidden, "deep"), link)
			return link + "/../y"
		}},
		{"in another case", func(out string) string { return filepath.Join(out, ".ICRECON", "y") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if err := run(t, out, "old"); err != nil {
				t.Fatal(err)
			}
			dir := tc.out(out)
			before := snapshot(t, out)
			err := run(t, dir, "nested")
			if err == nil || !strings.HasPrefix(err.Error(), dir+": this is inside ") || !strings.HasSuffix(err.Error(), want) {
				t.Fatalf("error %v\nwant %s: this is inside …%s", err, dir, want)
			}
			if after := snapshot(t, out); after != before {
				t.Errorf("a refused run changed the output:\nbefore %s\nafter  %s", before, after)
			}
			if got := results(t, out); got != "old,old,old" {
				t.Errorf("results %q", got)
			}
		})
	}
	// A folder merely beside one, or named like it, is fine.
	for _, name := range []string{".icrecon-notes", "icrecon"} {
		dir := filepath.Join(t.TempDir(), name, "out")
		if err := run(t, dir, "new"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestLeftovers_OnlyOwnGenerations: the clean-up under .icrecon removes a
// generation a killed run left (it carries Begin's marker) and nothing
// else named like one: a folder of the user's, an output that was given
// such a name as its --out (before that was refused), a link, a file.
func TestLeftovers_OnlyOwnGenerations(t *testing.T) {
	const name = genPrefix + "20250101T000000-abcdef"
	cases := []struct {
		name    string
		prepare func(t *testing.T, path string) // makes .icrecon/<name>
		kept    bool
	}{
		{"a killed run's generation is removed", func(t *testing.T, path string) {
			os.MkdirAll(path, 0o755)
			os.WriteFile(filepath.Join(path, genMarker), []byte(genMarkerText), 0o644)
			os.WriteFile(filepath.Join(path, "report.xlsx"), []byte("half"), 0o644)
		}, false},
		{"a folder of the user's is kept", func(t *testing.T, path string) {
			os.MkdirAll(path, 0o755)
			os.WriteFile(filepath.Join(path, "notes.txt"), []byte("my notes"), 0o644)
		}, true},
		{"an empty folder of the user's is kept", func(t *testing.T, path string) { os.MkdirAll(path, 0o755) }, true},
		{"an output given that name is kept", func(t *testing.T, path string) {
			// As a run into it made it before such an --out was refused.
			os.MkdirAll(filepath.Join(path, hidden, name), 0o755)
			os.WriteFile(filepath.Join(path, hidden, ownerFile), []byte(ownerText), 0o644)
			os.WriteFile(filepath.Join(path, hidden, name, genMarker), []byte(genMarkerText), 0o644)
			os.Symlink(filepath.Join(hidden, name), filepath.Join(path, currentLink))
			os.WriteFile(filepath.Join(path, "notes.txt"), []byte("my notes"), 0o644)
		}, true},
		{"a link is kept", func(t *testing.T, path string) {
			target := t.TempDir()
			os.WriteFile(filepath.Join(target, genMarker), []byte(genMarkerText), 0o644)
			os.Symlink(target, path)
		}, true},
		{"a file is kept", func(t *testing.T, path string) { os.WriteFile(path, []byte("mine"), 0o644) }, true},
		{"a marker that is a folder is no marker", func(t *testing.T, path string) {
			os.MkdirAll(filepath.Join(path, genMarker), 0o755)
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if err := run(t, out, "old"); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(out, hidden, name)
			tc.prepare(t, path)
			before := snapshot(t, path)
			if err := run(t, out, "new"); err != nil {
				t.Fatal(err)
			}
			if got := results(t, out); got != "new,new,new" {
				t.Errorf("results %q", got)
			}
			_, err := os.Lstat(path)
			switch {
			case tc.kept && err != nil:
				t.Errorf("%s was removed", name)
			case tc.kept:
				if after := snapshot(t, path); after != before {
					t.Errorf("it was changed:\nbefore %s\nafter  %s", before, after)
				}
			case err == nil:
				t.Errorf("%s is left behind", name)
			}
			if n, want := generations(t, out), map[bool]int{true: 2, false: 1}[tc.kept]; n != want {
				t.Errorf("%d folders named like generations, want %d", n, want)
			}
		})
	}
}

// TestGenerationMarkerIsNoResult: the marker in each generation is not
// linked as a result.
func TestGenerationMarkerIsNoResult(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if err := run(t, out, "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(out, genMarker)); err == nil {
		t.Errorf("the generation's marker is linked beside the results")
	}
	if _, err := os.Stat(filepath.Join(out, currentLink, genMarker)); err != nil {
		t.Errorf("the generation in use lacks its marker: %v", err)
	}
}
