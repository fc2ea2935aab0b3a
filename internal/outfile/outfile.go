// Package outfile decides whether a command may write the one file given
// to its --out. icrecon writes only where it owns the path, so it refuses
// a file that is one of the run's inputs, a file inside a folder given as
// an input (the next run would read it), and an existing file that is not
// an earlier output of the same command.
package outfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

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
	given := statAll(inputs)
	if self, err := os.Stat(path); err == nil {
		for _, in := range given {
			if os.SameFile(self, in.info) {
				return fmt.Errorf("--out %s is one of the inputs; icrecon will not write over it: give another name", path)
			}
		}
	}
	for _, folder := range enclosingFolders(path) {
		for _, in := range given {
			if in.info.IsDir() && os.SameFile(folder, in.info) {
				return fmt.Errorf("--out %s is inside %s, a folder given as an input; icrecon will not write there, since the next run would read it as an input: give a name outside that folder", path, in.path)
			}
		}
	}
	return nil
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

// enclosingFolders are the folders path would be in: its folder and every
// one above, found from the real path (links resolved), so that a link
// into an input folder on the way does not hide it.
func enclosingFolders(path string) []fs.FileInfo {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	var folders []fs.FileInfo
	for {
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

// checkEarlierOutput allows a missing file, and an existing one only when
// its first line shows it is an earlier output.
func checkEarlierOutput(path string, out Output) error {
	first, err := readFirstLine(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		if reason := errors.Unwrap(err); reason != nil {
			err = reason // the message names the path already
		}
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
