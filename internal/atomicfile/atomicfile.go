// Package atomicfile writes a file so that a reader, or a crash, sees the
// old content or the new, never half of the new: it is written beside its
// name, synced, and renamed into place.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces path with what write writes, readable by all (0644) like
// any file the user creates; a failed write leaves path as it was. Only a
// regular file is replaced: a folder, a link, a device or a pipe at path is
// refused, since renaming over it would destroy it (as root, /dev/null).
func Write(path string, write func(io.Writer) error) error {
	if err := CheckReplaceable(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s: cannot write here: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %v", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// CheckReplaceable says why path must not be replaced by a new file: it is
// a folder, a symbolic link, a device, a pipe or a socket. A missing path
// or a regular file is fine.
func CheckReplaceable(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: cannot check it: %v", path, err)
	}
	what := ""
	switch m := info.Mode(); {
	case m.IsRegular():
		return nil
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeSymlink != 0:
		what = "a symbolic link"
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		what = "a device"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	default:
		what = "not a regular file"
	}
	return fmt.Errorf("%s: this is %s, not a file icrecon may replace; give a new file name (or - for standard output)", path, what)
}
