package intercom

// A pull (package pull) writes, beside its conversations, a manifest that
// says how the pull went. The readers (package parse) must tell that file
// from an input, and the reconciliation reads what it says; the names live
// here, where every one of them can see them without importing pull.
const (
	// PullManifestFile is the manifest's name in a pull's folder.
	PullManifestFile = "manifest.json"
	// PullManifestSchema is the manifest's "schema", its first key: a
	// manifest.json without it is not a pull's, and is read as an input.
	PullManifestSchema = "icrecon.pull/v1"
)
