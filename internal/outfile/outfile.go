// Package outfile decides whether a command may write the one file given
// to its --out. icrecon writes only where it owns the path, so it refuses
// a file that is one of the run's inputs, a file inside a folder given as
// an input (the next run would read it), and an existing file that is not
// an earlier output of the same command. CheckFolder applies the first two
// rules to an output folder.
package outfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/icrecon/icrecon/internal/atomicfile"
)

// Output is what a command writes to --out.
type Output struct {
	// Name names it in messages: "icrecon metrics output".
	Name string
	// IsEarlier recognises an earlier output by the file's first line, as
	// read with its line break (empty for an empty file).
	IsEarlier func(firstLine []byte) bool
}

// maxFirstLine bounds what is read to recognise an earlier output: a file
// whose first line is longer is not one.
const maxFirstLine = 1 << 20

// Check says, in one sentence naming path, why path must not be written,
// or returns nil. inputs are the files and folders the run reads, as
// given; they are compared by identity (os.SameFile), whatever the
// spelling or the links on the way. "" and "-" (standard output) are
// always allowed.
func Check(path string, inputs []string, out Output) error {
	if path == "" || path == "-" {
		return nil
	}
	if err := checkNotAnInput(path, inputs); err != nil {
		return err
	}
	if err := atomicfile.CheckReplaceable(path); err != nil {
		return err
	}
	return checkEarlierOutput(path, out)
}

// checkNotAnInput refuses an input, and a file inside a folder given as
// an input. An input that cannot be read is left to the reading to report.
func checkNotAnInput(path string, inputs []string) error {
	switch in, self := whichInput(path, parentOf(path), inputs); {
	case in == "":
		return nil
	case self:
		return fmt.Errorf("--out %s is one of the inputs; icrecon will not write over it: give another name", path)
	default:
		return fmt.Errorf("--out %s is inside %s, a folder given as an input; icrecon will not write there, since the next run would read it as an input: give a name outside that folder", path, in)
	}
}

// CheckFolder says, in one sentence naming dir, why a command must not
// write its results into the folder dir, or returns nil: dir is one of
// the inputs, or inside a folder given as an input, at any depth and
// whatever the links on the way (the next run would read the results as
// inputs). inputs are compared as in Check.
func CheckFolder(dir string, inputs []string) error {
	switch in, self := whichInput(dir, dir, inputs); {
	case in == "":
		return nil
	case self:
		return fmt.Errorf("--out %s is one of the inputs; icrecon will not write its results into it: give another folder", dir)
	default:
		return fmt.Errorf("--out %s is inside %s, a folder given as an input; icrecon will not write there, since the next run would read its results as inputs: give a folder outside that one", dir, in)
	}
}

// whichInput names the input that path is (self), or else the folder given
// as an input that folder is, or is inside; "" when there is none.
func whichInput(path, folder string, inputs []string) (in string, self bool) {
	given := statAll(inputs)
	if info, err := os.Stat(path); err == nil {
		for _, in := range given {
			if os.SameFile(info, in.info) {
				return in.path, true
			}
		}
	}
	for _, f := range foldersFrom(folder) {
		for _, in := range given {
			if in.info.IsDir() && os.SameFile(f, in.info) {
				return in.path, false
			}
		}
	}
	return "", false
}

type input struct {
	path string
	info fs.FileInfo
}

// statAll describes the inputs that exist, links followed.
func statAll(paths []string) []input {
	var inputs []input
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil {
			inputs = append(inputs, input{p, info})
		}
	}
	return inputs
}

// foldersFrom are dir and every folder above it that exists, found from
// its real path (Resolve), so that a link into an input folder on the way
// does not hide it.
func foldersFrom(dir string) []fs.FileInfo {
	var folders []fs.FileInfo
	for dir := Resolve(dir); ; {
		if info, err := os.Stat(dir); err == nil {
			folders = append(folders, info)
		}
		up := filepath.Dir(dir)
		if up == dir {
			return folders
		}
		dir = up
	}
}

// Resolve is path made absolute with the links on the way resolved, as
// far as it exists; the rest, not yet made, is joined as written. It is
// path as given when even that cannot be told.
func Resolve(path string) string {
	// Links are resolved before any ".." is applied, as the system does:
	// with l a link to pulls/sub, l/../x is in pulls, not beside l.
	// filepath.Abs or Clean first would take ".." as text, and miss it.
	rest := ""
	for p := path; ; {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			if abs, err := filepath.Abs(filepath.Join(real, rest)); err == nil {
				return abs
			}
			return filepath.Join(real, rest)
		}
		parent, last := cutLast(p)
		if parent == p {
			if abs, err := filepath.Abs(path); err == nil {
				return abs
			}
			return path
		}
		rest = filepath.Join(last, rest)
		p = parent
	}
}

// parentOf is the folder a path names its last element in, cut as
// written: filepath.Dir would clean "l/../x" to ".", losing the link l.
func parentOf(path string) string {
	parent, _ := cutLast(path)
	return parent
}

// cutLast splits path at its last separator, as written: "a/b/c" is "a/b"
// and "c", "c" is "." and "c", "/c" is "/" and "c"; a root stays itself.
func cutLast(path string) (parent, last string) {
	trimmed := strings.TrimRight(path, string(filepath.Separator))
	if trimmed == "" {
		return path, "" // the root
	}
	i := strings.LastIndexByte(trimmed, filepath.Separator)
	switch {
	case i < 0:
		return ".", trimmed
	case i == 0:
		return string(filepath.Separator), trimmed[1:]
	}
	return trimmed[:i], trimmed[i+1:]
}

// checkEarlierOutput allows a missing file, and an existing one only when
// its first line shows it is an earlier output.
func checkEarlierOutput(path string, out Output) error {
	first, err := readFirstLine(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		err = atomicfile.Cause(err) // the message names the path already
		return fmt.Errorf("--out %s already exists and cannot be read to check that it is an earlier %s (%v); icrecon will not replace it: give a new name or remove the file first", path, out.Name, err)
	case !out.IsEarlier(first):
		return fmt.Errorf("--out %s already exists and is not an earlier %s; icrecon will not replace it: give a new name or remove the file first", path, out.Name)
	}
	return nil
}

// readFirstLine reads up to the first line break, at most maxFirstLine
// bytes (a longer line comes back cut, without its line break).
func readFirstLine(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(f, maxFirstLine).ReadSlice('\n')
	if errors.Is(err, io.EOF) || errors.Is(err, bufio.ErrBufferFull) {
		err = nil
	}
	return line, err
}
