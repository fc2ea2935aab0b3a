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
	"syscall"
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
		if ferr := checkFolder(path); ferr != nil {
			return ferr // the folder went away since CheckReplaceable
		}
		return fmt.Errorf("%s: cannot write here: %v", path, Cause(err))
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %v", path, Cause(err))
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %v", path, Cause(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %v", path, Cause(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: cannot put the new file in place: %v", path, Cause(err))
	}
	return nil
}

// Cause is err without the operation and path a *fs.PathError or an
// *os.LinkError carries: icrecon's messages name the path the user gave,
// not a temporary one it made up, and not twice.
func Cause(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	var linkErr *os.LinkError
	if errors.As(err, &linkErr) {
		return linkErr.Err
	}
	return err
}

// CheckReplaceable says why path must not be replaced by a new file: it is
// a folder, a symbolic link, a device, a pipe or a socket, or it is missing
// and its folder does not exist or is not a folder. A regular file, or a
// missing path in a folder, is fine.
func CheckReplaceable(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return checkFolder(path)
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

// checkFolder says why no file can be made at path because of its folder:
// the folder does not exist, or is not a folder. Each sentence names path
// as given.
func checkFolder(path string) error {
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: the folder %s does not exist; create it first, or give a name in a folder that exists", path, dir)
	case errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("%s: the folder %s does not exist: a part of its path is a file, not a folder", path, dir)
	case err == nil && !info.IsDir():
		return fmt.Errorf("%s: %s is not a folder, so no file can be made in it", path, dir)
	case err != nil:
		return fmt.Errorf("%s: cannot check its folder %s: %v", path, dir, Cause(err))
	}
	return nil
}
