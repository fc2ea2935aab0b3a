package report

import (
	"archive/zip"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// bundleOutputs are the outputs beside the evidence folder that evidence.md
// refers to and evidence.zip packs. Each list of ids is written once, in the
// out folder; the bundle takes it from there rather than copying it.
var bundleOutputs = []string{"bridge.csv", "differences.csv"}

// WriteEvidenceZip packs the evidence bundle into one file at zipPath, the
// thing to attach to a ticket: every file of dir under the folder name dir
// has (evidence/evidence.md …) and bundleOutputs from the folder that holds
// dir, under their own names (bridge.csv, differences.csv). The zip is laid
// out as the out folder is, so evidence.md's links (../bridge.csv) hold in
// both. It takes the files' bytes as they are: they must be complete.
//
// The zip is the same byte for byte for the same files and the same
// modified time: entries in name order, each dated modified (the run's
// generation time, which SOURCE_DATE_EPOCH pins) rather than the files'
// own times, deflated, with fixed permissions and no other metadata.
func WriteEvidenceZip(zipPath, dir string, modified time.Time) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	type member struct{ name, file string }
	var members []member
	for _, name := range bundleOutputs {
		members = append(members, member{name, filepath.Join(filepath.Dir(dir), name)})
	}
	folder := filepath.Base(dir)
	for _, e := range entries {
		if e.Type().IsRegular() {
			members = append(members, member{path.Join(folder, e.Name()), filepath.Join(dir, e.Name())})
		}
	}
	slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.name, b.name) })

	f, err := os.Create(zipPath)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, m := range members {
		if err := addZipFile(zw, m.name, m.file, modified); err != nil {
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
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()}
	h.SetMode(0o644)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}
