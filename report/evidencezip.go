package report

import (
	"archive/zip"
	"io"
	"os"
	"path"
	"path/filepath"
	"time"
)

// WriteEvidenceZip packs the evidence bundle written in dir into one file
// at zipPath, the thing to attach to a ticket: every file of dir, under
// the folder name dir has (evidence/evidence.md, evidence/bridge-….csv …),
// deflated.
//
// The zip is the same byte for byte for the same files and the same
// modified time: entries in name order, each dated modified (the run's
// generation time, which SOURCE_DATE_EPOCH pins) rather than the files'
// own times, with fixed permissions and no other metadata.
func WriteEvidenceZip(zipPath, dir string, modified time.Time) error {
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		return err
	}
	f, err := os.Create(zipPath)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	folder := filepath.Base(dir)
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := addZipFile(zw, path.Join(folder, e.Name()), filepath.Join(dir, e.Name()), modified); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func addZipFile(zw *zip.Writer, name, file string, modified time.Time) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()}
	h.SetMode(0o644)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(w, in)
	return err
}
