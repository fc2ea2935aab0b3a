package parse

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
)

// Input is one file to read, on disk or in an embedded file system.
type Input struct {
	Path string // as the user named it, or joined below a folder they named
	fsys fs.FS  // nil: the operating system's files
}

// Expand turns what the user named — files, folders, .gz files — into the
// files to read, in a stable order. Folders are walked; hidden files and
// files that are clearly not inputs (README, .DS_Store) are left out.
func Expand(paths []string) ([]Input, error) { return expand(nil, paths) }

// ExpandFS is Expand over an fs.FS (the demo's embedded sample).
func ExpandFS(fsys fs.FS, paths []string) ([]Input, error) { return expand(fsys, paths) }

func expand(fsys fs.FS, paths []string) ([]Input, error) {
	var out []Input
	for _, p := range paths {
		info, err := stat(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", p, describeOpenError(err))
		}
		if !info.IsDir() {
			out = append(out, Input{Path: p, fsys: fsys})
			continue
		}
		files, err := walk(fsys, p)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: the folder holds no files to read", p)
		}
		for _, f := range files {
			out = append(out, Input{Path: f, fsys: fsys})
		}
	}
	return out, nil
}

func stat(fsys fs.FS, p string) (fs.FileInfo, error) {
	if fsys == nil {
		return os.Stat(p)
	}
	return fs.Stat(fsys, p)
}

func walk(fsys fs.FS, root string) ([]string, error) {
	var files []string
	visit := func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %s", p, describeOpenError(err))
		}
		name := d.Name()
		if p != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && !skippedName(name) {
			files = append(files, p)
		}
		return nil
	}
	var err error
	if fsys == nil {
		err = filepath.WalkDir(root, visit)
	} else {
		err = fs.WalkDir(fsys, root, visit)
	}
	sort.Strings(files)
	return files, err
}

func skippedName(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasPrefix(lower, "readme") || lower == "manifest.json" || strings.HasSuffix(lower, ".md")
}

func describeOpenError(err error) string {
	switch {
	case os.IsNotExist(err):
		return "no such file or folder"
	case os.IsPermission(err):
		return "permission denied"
	}
	return err.Error()
}

// FileInfo identifies an input in reports: its SHA-256 is of the bytes on
// disk (compressed, if it is a .gz), so an analyst can check it with sha256sum.
type FileInfo struct {
	Path   string
	Kind   Kind
	SHA256 string
	Bytes  int64 // bytes on disk
}

// Opened is an input being read: decompressed, BOM-free bytes, while the raw
// bytes are counted and hashed.
type Opened struct {
	*bufio.Reader
	Path   string
	closer io.Closer
	gz     *gzip.Reader
	raw    *hashingReader
}

// Open opens the input, decompressing gzip (recognised by its content, not
// its name).
func (in Input) Open() (*Opened, error) {
	var f io.ReadCloser
	var err error
	if in.fsys == nil {
		f, err = os.Open(in.Path)
	} else {
		f, err = in.fsys.Open(path.Clean(in.Path))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s", in.Path, describeOpenError(err))
	}
	o, err := NewOpened(in.Path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return o, nil
}

// NewOpened reads r as the input named name (standard input, a test's bytes),
// with the same gzip detection and hashing as a file. Close closes r if it is
// an io.Closer.
func NewOpened(name string, r io.Reader) (*Opened, error) {
	raw := &hashingReader{r: r, h: sha256.New()}
	o := &Opened{Path: name, raw: raw}
	if c, ok := r.(io.Closer); ok {
		o.closer = c
	}
	br := bufio.NewReaderSize(raw, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: looks like a gzip file but cannot be opened: %v", name, err)
		}
		o.gz = gz
		br = bufio.NewReaderSize(gz, 1<<16)
	}
	o.Reader = br
	return o, nil
}

// Info finishes hashing (reading any bytes the reader did not need) and
// returns the file's identity.
func (o *Opened) Info(kind Kind) FileInfo {
	io.Copy(io.Discard, o.raw)
	return FileInfo{Path: o.Path, Kind: kind, SHA256: hex.EncodeToString(o.raw.h.Sum(nil)), Bytes: o.raw.n.Load()}
}

// Close releases the file.
func (o *Opened) Close() error {
	if o.gz != nil {
		o.gz.Close()
	}
	if o.closer == nil {
		return nil
	}
	return o.closer.Close()
}

type hashingReader struct {
	r io.Reader
	h hash.Hash
	n atomic.Int64 // read by a progress display while the reader runs
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n.Add(int64(n))
	return n, err
}

// BytesRead is how many bytes of the file (as on disk) have been read so
// far; safe to call while another goroutine reads.
func (o *Opened) BytesRead() int64 { return o.raw.n.Load() }

// Size is the size of the input on disk, or 0 when it cannot be told.
func (in Input) Size() int64 {
	info, err := stat(in.fsys, in.Path)
	if err != nil {
		return 0
	}
	return info.Size()
}
