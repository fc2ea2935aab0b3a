// Package outdir gives a command a results folder it owns, and replaces the
// results in it as a whole.
//
// A folder given to --out is icrecon's when it is new, empty, or holds an
// earlier icrecon output: a hidden .icrecon folder with a marker file says
// so. Inside it, every run writes a complete new generation; one symbolic
// link, current, names the generation in use and is switched with a single
// rename, so a reader (or a kill at any moment) sees the old results or the
// new, never a mix. The names the user opens — report.xlsx, summary.json … —
// are links through current, made once:
//
//	out/
//	  report.xlsx -> current/report.xlsx
//	  summary.json -> current/summary.json
//	  current -> .icrecon/gen-20251101T120000-1a2b3c
//	  .icrecon/owner, .icrecon/lock, .icrecon/gen-…/.icrecon-generation
//
// icrecon never replaces or removes a name it did not write: a file the
// user put beside the results, a result the user replaced (a workbook saved
// over its link from Excel), or a current or current.new that is not
// icrecon's link to a generation, stops the run before anything is written. A lock
// refuses a second run into the same folder while one is going; generations
// left by a killed run are removed by the next, and only folders that carry
// the marker Begin writes into each generation are. An --out inside an
// output's .icrecon folder is refused.
package outdir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/icrecon/icrecon/internal/atomicfile"
	"github.com/icrecon/icrecon/internal/outfile"
)

const (
	// hidden is icrecon's own folder inside an output folder.
	hidden = ".icrecon"
	// currentLink names the generation in use.
	currentLink = "current"
	genPrefix   = "gen-"
	ownerFile   = "owner"
	lockFile    = "lock"
	ownerText   = "This folder holds results written by icrecon. icrecon replaces only the names it wrote.\n"
	// genMarker is written into every generation as Begin makes it: the
	// clean-up removes a folder under .icrecon only when it holds it, so
	// a folder icrecon did not make there is never deleted.
	genMarker     = ".icrecon-generation"
	genMarkerText = "This folder is one generation of results written by icrecon; icrecon removes it when it is no longer in use.\n"

	// newLink is current's replacement while a commit switches it; a
	// killed commit leaves it behind.
	newLink = currentLink + ".new"
)

// Dir is an output folder claimed for one run. Use Begin to get a folder
// to write the new results into, then Commit (or Abandon) and Release.
type Dir struct {
	path     string
	created  bool // the run made the folder: a failed first run removes it
	lock     *os.File
	gen      string // the generation being written, "" when none
	names    []string
	previous []string // the names the current generation holds
}

// hooks lets tests stop the process between the steps of a commit.
var hooks struct{ step func(string) }

func step(name string) {
	if hooks.step != nil {
		hooks.step(name)
	}
}

// Claim takes dir for a run that writes the given top-level names (files
// or folders): it creates dir, or checks that it is empty or an earlier
// icrecon output whose names are still icrecon's, takes the lock and
// removes what killed runs left behind.
func Claim(dir string, names []string) (*Dir, error) {
	if err := checkNotHidden(dir); err != nil {
		return nil, err
	}
	d := &Dir{path: dir, names: names}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("%s: cannot create the output folder: %v", dir, atomicfile.Cause(err))
		}
		d.created = true
	case err != nil:
		return nil, fmt.Errorf("%s: cannot use it as the output folder: %v", dir, atomicfile.Cause(err))
	case !info.IsDir():
		return nil, fmt.Errorf("%s: this is a file, not a folder; --out names the folder icrecon writes its results into", dir)
	}
	if err := d.checkOwnership(); err != nil {
		return nil, err
	}
	if err := d.takeLock(); err != nil {
		return nil, err
	}
	if err := d.checkNames(); err != nil {
		d.Release()
		return nil, err
	}
	d.previous = d.currentNames()
	d.removeLeftovers()
	return d, nil
}

// checkNotHidden refuses an output folder that is, or is inside, an
// output's hidden .icrecon folder, at any depth, as spelled or with links
// resolved: everything there is icrecon's own, and a run into the output
// would remove it.
func checkNotHidden(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil // Claim's own checks say what is wrong
	}
	for _, p := range []string{abs, outfile.Resolve(dir)} {
		for q := p; ; q = filepath.Dir(q) {
			if strings.EqualFold(filepath.Base(q), hidden) {
				return fmt.Errorf("%s: this is inside %s, the folder where an icrecon output keeps its own files; icrecon will not write there, since a run into that output would delete it: give --out a folder elsewhere", dir, q)
			}
			if filepath.Dir(q) == q {
				break
			}
		}
	}
	return nil
}

// checkOwnership: the folder is icrecon's already, or empty and becomes so.
func (d *Dir) checkOwnership() error {
	owner := filepath.Join(d.path, hidden, ownerFile)
	if info, err := os.Lstat(owner); err == nil && info.Mode().IsRegular() {
		return nil
	}
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return fmt.Errorf("%s: cannot read the output folder: %v", d.path, atomicfile.Cause(err))
	}
	if len(entries) == 1 && entries[0].Name() == hidden && entries[0].IsDir() {
		entries = nil // a first run killed before it wrote the marker
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s: this folder holds files icrecon did not write (%s); give --out a new or empty folder, or one an earlier icrecon run wrote", d.path, listNames(entries, 3))
	}
	if err := os.Mkdir(filepath.Join(d.path, hidden), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: cannot write here: %v", d.path, atomicfile.Cause(err))
	}
	return os.WriteFile(owner, []byte(ownerText), 0o644)
}

// checkNames refuses to go on when a name icrecon writes is no longer
// icrecon's: anything but the link icrecon made there. current and
// current.new are checked too: a run replaces the one and removes the
// other, so a file of the user's by either name would be lost.
func (d *Dir) checkNames() error {
	for _, name := range append([]string{currentLink, newLink}, d.names...) {
		target := filepath.Join(d.path, name)
		info, err := os.Lstat(target)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: cannot check it: %v", target, atomicfile.Cause(err))
		}
		if d.isOwnLink(name, info) {
			continue
		}
		if name == currentLink || name == newLink {
			return fmt.Errorf("%s: this is not the link icrecon keeps here to its results, so icrecon will not replace it; move it elsewhere, or give --out another folder", target)
		}
		return fmt.Errorf("%s: this is not icrecon's any more (it was replaced, perhaps saved from a spreadsheet program), so icrecon will not overwrite it; move it elsewhere, or give --out another folder", target)
	}
	return nil
}

// isOwnLink says whether name is a symbolic link as icrecon makes it:
// current and current.new name a generation, a result's name links
// through current.
func (d *Dir) isOwnLink(name string, info fs.FileInfo) bool {
	if info.Mode()&fs.ModeSymlink == 0 {
		return false
	}
	to, err := os.Readlink(filepath.Join(d.path, name))
	if err != nil {
		return false
	}
	if name == currentLink || name == newLink {
		return isGeneration(to)
	}
	return to == linkTarget(name)
}

func linkTarget(name string) string { return currentLink + "/" + name }

// isGeneration says whether a link's target is a generation in the hidden
// folder, as Commit writes it.
func isGeneration(to string) bool {
	return filepath.Dir(to) == hidden && strings.HasPrefix(filepath.Base(to), genPrefix)
}

// removeOwnLink removes name only if it is the link icrecon made there, so
// a file of the user's by that name is never deleted.
func (d *Dir) removeOwnLink(name string) {
	path := filepath.Join(d.path, name)
	if info, err := os.Lstat(path); err == nil && d.isOwnLink(name, info) {
		os.Remove(path)
	}
}

// currentNames lists what the generation in use holds.
func (d *Dir) currentNames() []string {
	entries, err := os.ReadDir(filepath.Join(d.path, currentLink))
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.Name() != genMarker {
			names = append(names, e.Name())
		}
	}
	return names
}

// removeLeftovers deletes generations no link names: those of killed runs,
// and an old one whose removal a kill interrupted; and the current.new a
// killed commit left, when it is icrecon's link. A folder named like a
// generation that lacks the marker Begin writes into each — another
// output given that name as its --out, a folder of the user's — is not
// icrecon's generation, and is left as it is.
func (d *Dir) removeLeftovers() {
	keep, _ := os.Readlink(filepath.Join(d.path, currentLink))
	entries, _ := os.ReadDir(filepath.Join(d.path, hidden))
	for _, e := range entries {
		name := e.Name()
		gen := filepath.Join(d.path, hidden, name)
		if strings.HasPrefix(name, genPrefix) && filepath.Join(hidden, name) != filepath.Clean(keep) && isOwnGeneration(gen) {
			os.RemoveAll(gen)
		}
	}
	d.removeOwnLink(newLink)
}

// isOwnGeneration says whether the folder at path is a generation Begin
// made: a folder, not a link, holding the marker file. A marker is the
// simplest sound sign: a generation's results alone cannot tell it from
// an output folder of the same names, nor from a copy of one.
func isOwnGeneration(path string) bool {
	info, err := os.Lstat(path)
	if err != nil || !info.IsDir() {
		return false
	}
	marker, err := os.Lstat(filepath.Join(path, genMarker))
	return err == nil && marker.Mode().IsRegular()
}

// Begin creates the folder the run writes its results into.
func (d *Dir) Begin() (string, error) {
	var random [3]byte
	rand.Read(random[:])
	d.gen = genPrefix + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(random[:])
	path := filepath.Join(d.path, hidden, d.gen)
	if err := os.Mkdir(path, 0o755); err != nil {
		return "", fmt.Errorf("%s: cannot write here: %v", d.path, atomicfile.Cause(err))
	}
	if err := os.WriteFile(filepath.Join(path, genMarker), []byte(genMarkerText), 0o644); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("%s: cannot write here: %v", d.path, atomicfile.Cause(err))
	}
	return path, nil
}

// Commit makes the generation written since Begin the one in use: the
// links for its names first (they dangle until the switch), then current
// in one rename, then the old generation and the links of names it no
// longer has are removed.
func (d *Dir) Commit() error {
	if d.gen == "" {
		return errors.New("outdir: Commit without Begin")
	}
	fresh, err := os.ReadDir(filepath.Join(d.path, hidden, d.gen))
	if err != nil {
		return err
	}
	var names []string
	for _, e := range fresh {
		if e.Name() == genMarker {
			continue
		}
		names = append(names, e.Name())
		if err := d.link(e.Name()); err != nil {
			return err
		}
	}
	step("links")
	tmp := filepath.Join(d.path, newLink)
	d.removeOwnLink(newLink)
	if err := os.Symlink(filepath.Join(hidden, d.gen), tmp); err != nil {
		return fmt.Errorf("%s: cannot switch to the new results: %v", d.path, atomicfile.Cause(err))
	}
	step("symlink")
	if err := os.Rename(tmp, filepath.Join(d.path, currentLink)); err != nil {
		return fmt.Errorf("%s: cannot switch to the new results: %v", d.path, atomicfile.Cause(err))
	}
	step("switch")
	d.gen = ""
	for _, name := range d.previous {
		if !slices.Contains(names, name) {
			d.removeOwnLink(name)
		}
	}
	d.removeLeftovers()
	step("cleaned")
	return nil
}

// link makes name a link through current, unless it is one already.
func (d *Dir) link(name string) error {
	path := filepath.Join(d.path, name)
	info, err := os.Lstat(path)
	switch {
	case err == nil && d.isOwnLink(name, info):
		return nil
	case err == nil:
		return fmt.Errorf("%s: this is not icrecon's, so icrecon will not overwrite it; move it elsewhere, or give --out another folder", path)
	}
	if err := os.Symlink(linkTarget(name), path); err != nil {
		return fmt.Errorf("%s: cannot write here: %v", path, atomicfile.Cause(err))
	}
	return nil
}

// Abandon removes the generation being written, and, when no run ever
// finished in the folder, what Claim made, so a failed run leaves nothing.
func (d *Dir) Abandon() {
	if d.gen != "" {
		os.RemoveAll(filepath.Join(d.path, hidden, d.gen))
		d.gen = ""
	}
	if _, err := os.Lstat(filepath.Join(d.path, currentLink)); err == nil {
		return
	}
	for _, name := range d.names {
		d.removeOwnLink(name)
	}
	// What Claim and Begin made, and nothing else: a folder left empty
	// goes, one that holds anything more stays. All of it under the lock:
	// a run that took the lock first could lose its generation, still
	// without a current link, to the clean-up. The lock file goes last,
	// still held; a run that comes after makes its own.
	d.removeLeftovers()
	os.Remove(filepath.Join(d.path, hidden, ownerFile))
	os.Remove(filepath.Join(d.path, hidden, lockFile))
	d.unlock()
	os.Remove(filepath.Join(d.path, hidden))
	if d.created {
		os.Remove(d.path)
	}
}

// Release lets another run write into the folder.
func (d *Dir) Release() { d.unlock() }

func (d *Dir) takeLock() error {
	f, err := Lock(filepath.Join(d.path, hidden, lockFile), d.path)
	d.lock = f
	return err
}

// Lock takes the lock file at path for a run writing into folder: a second
// run is refused while the first holds it, and the system releases it
// when a run ends, however it ends. Unlock by closing the file.
func Lock(path, folder string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot write here: %v", folder, atomicfile.Cause(err))
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: another icrecon run is writing into this folder; wait for it to finish, or give --out another folder", folder)
	}
	return f, nil
}

func (d *Dir) unlock() {
	if d.lock != nil {
		unlock(d.lock)
		d.lock.Close()
		d.lock = nil
	}
}

func listNames(entries []fs.DirEntry, n int) string {
	var names []string
	for i, e := range entries {
		if i == n {
			names = append(names, fmt.Sprintf("and %d more", len(entries)-n))
			break
		}
		names = append(names, fmt.Sprintf("%q", e.Name()))
	}
	return strings.Join(names, ", ")
}
