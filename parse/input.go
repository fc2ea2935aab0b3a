package parse

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/pipewait"
)

// Input is one file to read, on disk or in an embedded file system.
type Input struct {
	Path string // as the user named it, or joined below a folder they named
	fsys fs.FS  // nil: the operating system's files
}

// Expand turns what the user named — files, folders, .gz files — into the
// files to read, in a stable order. Folders are walked. Hidden files and
// folders (.DS_Store, .git) are left out unsaid; what is surely not an
// input (a README or .md file, a pull's manifest.json) and what is not a
// file at all (a named pipe, a socket, a device, a link to a folder) are
// left out and listed in skipped, with why. Every other file is read, and
// accounted for by its reader, whatever its name.
func Expand(paths []string) (inputs []Input, skipped []Skipped, err error) {
	return expand(nil, paths)
}

// ExpandFS is Expand over an fs.FS (the demo's embedded sample).
func ExpandFS(fsys fs.FS, paths []string) ([]Input, []Skipped, error) { return expand(fsys, paths) }

// Skipped is something inside a folder the user named that is not read.
type Skipped struct {
	Path   string
	Reason string // e.g. "it is a named pipe, not a file"
	// notAFile: it is left out for what it is (a pipe, …), not for its name
	// or content.
	notAFile bool
}

func (s Skipped) String() string {
	if s.notAFile {
		return fmt.Sprintf("%s: skipped: %s; inside a folder only files are read", s.Path, s.Reason)
	}
	return fmt.Sprintf("%s: skipped: %s", s.Path, s.Reason)
}

func expand(fsys fs.FS, paths []string) ([]Input, []Skipped, error) {
	var out []Input
	var skipped []Skipped
	for _, p := range paths {
		info, err := stat(fsys, p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s", p, describeOpenError(err))
		}
		if !info.IsDir() {
			// Named on its own, a pipe or a device is read (Open bounds
			// the wait for its first bytes).
			out = append(out, Input{Path: p, fsys: fsys})
			continue
		}
		files, notFiles, err := walk(fsys, p)
		if err != nil {
			return nil, nil, err
		}
		skipped = append(skipped, notFiles...)
		if len(files) == 0 {
			return nil, nil, fmt.Errorf("%s: the folder holds no files to read%s", p, leftOutWords(notFiles))
		}
		for _, f := range files {
			out = append(out, Input{Path: f, fsys: fsys})
		}
	}
	return out, skipped, nil
}

func stat(fsys fs.FS, p string) (fs.FileInfo, error) {
	if fsys == nil {
		return os.Stat(p)
	}
	return fs.Stat(fsys, p)
}

// walk lists the files below root to read, and what else it finds that it
// skips, with why: what is not a file (opening a named pipe no program
// writes to would wait for ever) and the files that are surely no input.
// Hidden files and folders alone are passed over unsaid.
func walk(fsys fs.FS, root string) (files []string, skipped []Skipped, err error) {
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
		if d.IsDir() {
			return nil
		}
		if why := notAFile(fsys, p, d); why != "" {
			skipped = append(skipped, Skipped{Path: p, Reason: why, notAFile: true})
			return nil
		}
		if why := notAnInput(fsys, p, name); why != "" {
			skipped = append(skipped, Skipped{Path: p, Reason: why})
			return nil
		}
		files = append(files, p)
		return nil
	}
	if fsys == nil {
		err = filepath.WalkDir(root, visit)
	} else {
		err = fs.WalkDir(fsys, root, visit)
	}
	sort.Strings(files)
	return files, skipped, err
}

// notAFile says why the entry at p is not a file to read, or "" when it is
// one. A link is judged by what it points to; a link that points nowhere is
// kept, so that opening it says so.
func notAFile(fsys fs.FS, p string, d fs.DirEntry) string {
	mode := d.Type()
	if mode.IsRegular() {
		return ""
	}
	if mode&fs.ModeSymlink != 0 {
		info, err := stat(fsys, p)
		if err != nil {
			return ""
		}
		if info.IsDir() {
			return "it is a link to a folder, and links to folders are not followed"
		}
		mode = info.Mode().Type()
	}
	switch {
	case mode.IsRegular():
		return ""
	case mode&fs.ModeNamedPipe != 0:
		return "it is a named pipe, not a file"
	case mode&fs.ModeSocket != 0:
		return "it is a socket, not a file"
	case mode&fs.ModeDevice != 0:
		return "it is a device, not a file"
	}
	return "it is not a regular file"
}

// notAnInput says why the file at p, found in a folder, is surely not an
// input, or "" when it is read. Only what is certain is left out — a
// README, README.txt or .md file by its name, a pull's manifest by its
// schema — since a file left out holds records no one counts: a
// README-2025-10.jsonl, or a manifest.json of conversations, is read (and
// rejected, with a sentence, if it is not conversations).
func notAnInput(fsys fs.FS, p, name string) string {
	switch lower := strings.ToLower(name); {
	case lower == "readme" || lower == "readme.txt" || strings.HasSuffix(lower, ".md"):
		return "README and .md files are taken for notes, not data; rename it to have it read"
	case lower == intercom.PullManifestFile && isPullManifest(fsys, p):
		return "it is the manifest of an icrecon pull, which says how the pull went; the pull's conversations are in the folder's other files"
	}
	return ""
}

// isPullManifest tells whether the file at p is a pull's manifest: a JSON
// object whose top-level "schema" is intercom.PullManifestSchema, in any
// key order (a manifest re-formatted with jq -S sorts its keys). Only the
// top level is walked, token by token, and at most maxManifestBytes.
func isPullManifest(fsys fs.FS, p string) bool {
	var f io.ReadCloser
	var err error
	if fsys == nil {
		f, err = os.Open(p)
	} else {
		f, err = fsys.Open(p)
	}
	if err != nil {
		return false
	}
	defer f.Close()
	dec := json.NewDecoder(io.LimitReader(f, maxManifestBytes))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false
		}
		if key == "schema" {
			var schema string
			return dec.Decode(&schema) == nil && schema == intercom.PullManifestSchema
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
	}
	return false
}

// maxManifestBytes bounds the read of a file named like a pull's manifest:
// a year of days is well under it.
const maxManifestBytes = 16 << 20

// leftOutWords says, for the error of a folder with no file to read, what
// it held that was skipped; "" when nothing was.
func leftOutWords(skipped []Skipped) string {
	if len(skipped) == 0 {
		return ""
	}
	s := skipped[0]
	more := ""
	if n := len(skipped) - 1; n > 0 {
		more = fmt.Sprintf(", and %d more", n)
	}
	return fmt.Sprintf("; it holds only what is skipped: %s (%s)%s", s.Path, s.Reason, more)
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
	// Trailing says what follows the end of a gzip file's data that is not
	// gzip and was ignored; "" when nothing does. It is no record.
	Trailing string
}

// Opened is an input being read: decompressed UTF-8 bytes, while the raw
// bytes are counted and hashed.
type Opened struct {
	*bufio.Reader
	Path   string
	closer io.Closer
	gz     *gzip.Reader
	raw    *hashingReader
	// drain: the input is a regular file (or bytes), so Info may read what
	// the reader left to hash the whole of it. A device or a pipe may never
	// end, so only what was read is hashed.
	drain    bool
	encoding string // "" for UTF-8, else what the text was converted from
	members  *gzipMembers
}

// Open opens the input, decompressing gzip (recognised by its content, not
// its name). A named pipe or a device is given PipeWait to open and to give
// its first bytes, or its end.
func (in Input) Open() (*Opened, error) {
	f, err := in.openFile()
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

// PipeWait bounds how long an input that is not a regular file — a named
// pipe, `<(…)`, a device — may take to open and to give its first bytes (or
// its end); without it, a pipe that no program writes to would hold the run
// for ever. Once bytes come, reads wait as long as the writer takes, so a
// slow pipe is not cut.
var PipeWait = pipewait.Default

func (in Input) openFile() (io.ReadCloser, error) {
	if in.fsys != nil {
		return in.fsys.Open(path.Clean(in.Path))
	}
	if f, regular, err := openIfRegular(in.Path); err != nil || regular {
		return f, err
	}
	open := func() (*startedFile, error) { return openStarted(in.Path) }
	f, err := pipewait.Do(PipeWait, open, func(late *startedFile) { late.Close() })
	if err != nil {
		// A nil *startedFile in the interface would not read as nil.
		return nil, err
	}
	return f, nil
}

// openIfRegular opens path when it is a regular file, as nearly every
// input is, and reports false for anything else (a named pipe, a device),
// which may make the reader wait for another program and is opened under
// the wait. The file opened is asked again: one swapped for a pipe since
// the name was looked at is not read with no bound on the wait, and the
// open itself, without blocking, never waits for a pipe's writer. (A
// pipe is not opened to be looked at: that open would meet its writer,
// and the data would go with it when closed.)
func openIfRegular(path string) (*os.File, bool, error) {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return nil, false, nil
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, false, err
	}
	if info, err := f.Stat(); err == nil && !info.Mode().IsRegular() {
		f.Close()
		return nil, false, nil
	}
	return f, true, nil
}

// startedFile is a pipe or a device whose first read was made while the
// wait for it ran; what that read gave comes out first.
type startedFile struct {
	f     *os.File
	first []byte
	err   error // of the first read, once first is given out
}

// openStarted opens path and waits for its first bytes, or its end.
func openStarted(path string) (*startedFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 32<<10)
	n, err := f.Read(buf)
	return &startedFile{f: f, first: buf[:n], err: err}, nil
}

func (s *startedFile) Read(p []byte) (int, error) {
	if len(s.first) > 0 {
		n := copy(p, s.first)
		s.first = s.first[n:]
		return n, nil
	}
	if s.err != nil {
		return 0, s.err
	}
	return s.f.Read(p)
}

// Stat lets NewOpened tell that the input may not end (see isRegular).
func (s *startedFile) Stat() (fs.FileInfo, error) { return s.f.Stat() }

func (s *startedFile) Close() error { return s.f.Close() }

// NewOpened reads r as the input named name (standard input, a test's bytes),
// with the same gzip detection and hashing as a file. Close closes r if it is
// an io.Closer.
func NewOpened(name string, r io.Reader) (*Opened, error) {
	raw := &hashingReader{r: r, h: newHashBehind()}
	o := &Opened{Path: name, raw: raw, drain: isRegular(r)}
	if c, ok := r.(io.Closer); ok {
		o.closer = c
	}
	br := bufio.NewReaderSize(raw, 1<<16)
	var data io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, describeGzipHeaderError(name, err)
		}
		gz.Multistream(false)
		o.gz = gz
		o.members = &gzipMembers{gz: gz, src: br, raw: raw, count: o.drain, trailingAt: -1}
		data = bufio.NewReaderSize(o.members, 1<<16)
	}
	if bom, _ := data.(*bufio.Reader).Peek(4); isUTF16BOM(bom) {
		o.encoding = "UTF-16LE"
		if bom[0] == 0xFE {
			o.encoding = "UTF-16BE"
		}
		data = newUTF16Reader(data, bom[0] == 0xFE)
	}
	if o.gz != nil {
		data = &dataReader{r: data, path: name}
	}
	if data == io.Reader(br) {
		o.Reader = br
	} else {
		o.Reader = bufio.NewReaderSize(data, 1<<16)
	}
	return o, nil
}

// isRegular reports whether r is known to end: bytes in memory or a regular
// file, not a device or a pipe.
func isRegular(r io.Reader) bool {
	f, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return true
	}
	info, err := f.Stat()
	return err == nil && info.Mode().IsRegular()
}

// Encoding is what the text was converted from ("UTF-16LE", "UTF-16BE"), or
// "" when it was UTF-8 (or ASCII) already.
func (o *Opened) Encoding() string { return o.encoding }

// Info finishes hashing (reading any bytes the reader did not need, unless
// the input is a device or a pipe) and returns the file's identity.
func (o *Opened) Info(kind Kind) FileInfo {
	if o.drain {
		io.Copy(io.Discard, o.raw)
	}
	return FileInfo{Path: o.Path, Kind: kind, SHA256: hex.EncodeToString(o.raw.h.Sum()), Bytes: o.raw.n.Load(), Trailing: o.trailingData()}
}

// trailingData says, without the file's name, what follows the end of a gzip
// file's data that is not gzip, once the reader has come to it; "" when
// nothing does (or the reader stopped before the end).
func (o *Opened) trailingData() string {
	if o.members == nil || o.members.trailingAt < 0 {
		return ""
	}
	m := o.members
	switch {
	case m.trailing < 0:
		return fmt.Sprintf("the gzip data ends at byte %d of the file, and what follows it is not gzip, so it was ignored", m.trailingAt)
	case m.trailing == 1:
		return fmt.Sprintf("the gzip data ends at byte %d of the file, and the 1 byte after it is not gzip, so it was ignored", m.trailingAt)
	}
	return fmt.Sprintf("the gzip data ends at byte %d of the file, and the %d bytes after it are not gzip, so they were ignored", m.trailingAt, m.trailing)
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

// hashingReader counts and hashes the bytes of the file as they are read.
type hashingReader struct {
	r io.Reader
	h *hashBehind
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

// CutError says that a gzip file's data ends early or is damaged, and where.
// Everything before it was read; the readers account for it as a rejected
// record, since at least the record it cuts in two is lost.
type CutError struct {
	Path    string
	Bytes   int64 // bytes of data (decompressed) read before it
	Line    int   // the line of the data where it happened, from 1
	Damaged bool  // the compressed data is corrupt, rather than cut short
	Err     error // as compress/gzip said it
}

func (e *CutError) Error() string {
	if e.Bytes == 0 {
		if e.Damaged {
			return e.Path + ": this is not a gzip file: it starts like one, but its data cannot be decompressed"
		}
		return e.Path + ": the gzip file ends early, before any data: it was cut short, for example by an interrupted download"
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Reason(-1))
}

func (e *CutError) Unwrap() error { return e.Err }

// Reason says what happened without the file's name; records >= 0 adds how
// many records were read before it.
func (e *CutError) Reason(records int) string {
	var b strings.Builder
	switch {
	case errors.Is(e.Err, gzip.ErrChecksum):
		fmt.Fprintf(&b, "the gzip file is damaged: its checksum does not match its %d bytes of data, so some of them are wrong", e.Bytes)
	case e.Damaged:
		fmt.Fprintf(&b, "the gzip file is damaged after %d bytes of data: what follows cannot be decompressed", e.Bytes)
	default:
		fmt.Fprintf(&b, "the gzip file ends early after %d bytes of data: it was cut short, for example by an interrupted download", e.Bytes)
	}
	switch {
	case records == 1:
		b.WriteString("; the 1 record before was read")
	case records > 1:
		fmt.Fprintf(&b, "; the %d records before were read", records)
	case records == 0:
		b.WriteString("; no record before it could be read")
	}
	return b.String()
}

// gzipMembers reads a gzip file's members one after another, as gzip -d
// does, and ends at what follows the last of them that is not gzip (bytes
// appended to the file, padding): that is not a record, cut short or not,
// so it is counted and said, not read. compress/gzip alone would take it for
// a damaged or cut member and the readers would reject a record that does
// not exist.
type gzipMembers struct {
	gz    *gzip.Reader
	src   *bufio.Reader // the file's bytes; gzip leaves it just after each member
	raw   *hashingReader
	count bool // a regular file: what follows the gzip data is read to count it
	// trailingAt is where the bytes after the gzip data begin in the file,
	// or -1; trailing is how many there are, or -1 when not counted.
	trailingAt, trailing int64
	done                 bool
}

func (m *gzipMembers) Read(p []byte) (int, error) {
	for {
		if m.done {
			return 0, io.EOF
		}
		n, err := m.gz.Read(p)
		switch {
		case err != io.EOF:
			return n, err
		case n > 0:
			return n, nil // the member's end comes again on the next read
		}
		// A member ended, its checksum checked: another, the end, or
		// something else.
		next, err := m.src.Peek(2)
		switch {
		case len(next) == 2 && next[0] == 0x1f && next[1] == 0x8b:
			if err := m.gz.Reset(m.src); err != nil {
				return 0, err
			}
			m.gz.Multistream(false)
			continue
		case len(next) == 0 && err == io.EOF:
			m.done = true
			return 0, io.EOF
		case len(next) == 0:
			return 0, err // the disk's error
		}
		m.done = true
		m.trailingAt = m.raw.n.Load() - int64(m.src.Buffered())
		m.trailing = -1
		if m.count {
			n, err := io.Copy(io.Discard, m.src)
			if err != nil {
				return 0, err
			}
			m.trailing = n
		}
		return 0, io.EOF
	}
}

// dataReader counts the data a gzip file yields and turns gzip's errors into
// a *CutError that says where the data stopped.
type dataReader struct {
	r     io.Reader
	path  string
	n     int64
	lines int // line feeds passed on
}

func (d *dataReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	d.n += int64(n)
	d.lines += bytes.Count(p[:n], []byte{'\n'})
	if err == nil || err == io.EOF {
		return n, err
	}
	var corrupt flate.CorruptInputError
	damaged := errors.As(err, &corrupt) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader)
	if !damaged && !errors.Is(err, io.ErrUnexpectedEOF) {
		return n, err // the disk's error, not the file's
	}
	return n, &CutError{Path: d.path, Bytes: d.n, Line: d.lines + 1, Damaged: damaged, Err: err}
}

// describeGzipHeaderError explains why a file that starts like gzip cannot
// be opened.
func describeGzipHeaderError(name string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: the gzip file ends early, inside its header: it was cut short, for example by an interrupted download", name)
	}
	return fmt.Errorf("%s: this is not a gzip file: it starts like one, but its header is damaged, so it cannot be opened", name)
}

// errTooLarge ends the read of an input that is small by nature (settings,
// typed figures) once it passes its bound: /dev/zero or a wrong file must
// not be read into memory without end.
type errTooLarge struct{ max int64 }

func (e *errTooLarge) Error() string { return fmt.Sprintf("larger than %s", sizeWords(e.max)) }

func sizeWords(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// boundedReader reads at most max bytes, then fails with *errTooLarge.
type boundedReader struct {
	r    io.Reader
	left int64
	max  int64
}

func newBoundedReader(r io.Reader, max int64) *boundedReader {
	return &boundedReader{r: r, left: max, max: max}
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a file of exactly max bytes from a larger one.
		var one [1]byte
		if n, err := b.r.Read(one[:]); n == 0 {
			return 0, err
		}
		return 0, &errTooLarge{b.max}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}
