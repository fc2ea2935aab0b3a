package pull

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Redactor hides the API token in text, in every form a server could echo
// it back in: the token itself, quoted or URL-escaped, in base64 (alone,
// inside "Bearer …", inside a basic-auth "token:" or ":token", or inside
// any other text), and any piece of one of these at least minPiece
// characters long, since a server may cut what it echoes. Every message a
// pull gives — errors, the manifest, the progress line — goes through the
// one Redactor built from the token.
type Redactor struct {
	pieces map[string]struct{} // every minPiece-long piece of every form
	whole  []string            // forms shorter than minPiece: hidden only whole
}

// minPiece is the shortest piece of the token that is hidden: shorter ones
// would hide ordinary words, and say too little of the token to matter.
const minPiece = 8

// hidden stands where the token was.
const hidden = "[token]"

// newRedactor builds the Redactor of token; an empty token hides nothing.
func newRedactor(token string) *Redactor {
	r := &Redactor{pieces: map[string]struct{}{}}
	if token == "" {
		return r
	}
	for _, form := range tokenForms(token) {
		if len(form) < minPiece {
			r.whole = append(r.whole, form)
			continue
		}
		for i := 0; i+minPiece <= len(form); i++ {
			r.pieces[form[i:i+minPiece]] = struct{}{}
		}
	}
	// The longest first, so a form is not half hidden by one inside it.
	slices.SortFunc(r.whole, func(a, b string) int { return len(b) - len(a) })
	return r
}

// tokenForms are the spellings of token a server could send back.
func tokenForms(token string) []string {
	forms := []string{token, quoted(token), jsonQuoted(token)}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for _, around := range []string{token, "Bearer " + token, token + ":", ":" + token} {
			forms = append(forms, enc.EncodeToString([]byte(around)))
		}
		forms = append(forms, base64Inside(enc, token)...)
	}
	for _, f := range slices.Clone(forms) {
		forms = append(forms, url.QueryEscape(f), url.PathEscape(f))
	}
	slices.Sort(forms)
	return slices.Compact(forms)
}

// base64Inside is how token's bytes look in the base64 of any text holding
// it: one spelling for each of the three places it can start in a group of
// three bytes, each cut to the characters that encode the token's bits only.
func base64Inside(enc *base64.Encoding, token string) []string {
	var out []string
	for shift := range 3 {
		text := enc.EncodeToString(append(make([]byte, shift), token...))
		first := (8*shift + 5) / 6           // the first character with none of the bytes before
		last := 8 * (shift + len(token)) / 6 // past the last character with none of the bytes after
		if first < last {
			out = append(out, text[first:last])
		}
	}
	return out
}

func quoted(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

func jsonQuoted(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b[1 : len(b)-1])
}

// String returns s with every form of the token, and every piece of one,
// replaced by "[token]". It hides again until nothing is left, since
// "[token]" could join what is around it into a new piece; each round
// shortens the text, so it ends.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	for {
		out, found := r.hidePieces(s)
		if !found {
			break
		}
		s = out
	}
	for _, form := range r.whole {
		s = strings.ReplaceAll(s, form, hidden)
	}
	return s
}

// hidePieces replaces every run of text made of overlapping pieces with one
// "[token]", and reports whether there was one.
func (r *Redactor) hidePieces(s string) (string, bool) {
	var b strings.Builder
	copied := 0
	for i := 0; i+minPiece <= len(s); i++ {
		if !r.isPiece(s, i) {
			continue
		}
		end := i + minPiece
		for j := i + 1; j <= end && j+minPiece <= len(s); j++ {
			if r.isPiece(s, j) {
				end = j + minPiece
			}
		}
		b.WriteString(s[copied:i])
		b.WriteString(hidden)
		copied, i = end, end-1
	}
	if copied == 0 {
		return s, false
	}
	b.WriteString(s[copied:])
	return b.String(), true
}

func (r *Redactor) isPiece(s string, i int) bool {
	_, ok := r.pieces[s[i:i+minPiece]]
	return ok
}

// Error returns err itself when its text holds no form of the token, else
// an error with the text redacted. (The original is dropped, not wrapped:
// whoever unwrapped it could print the token.)
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	if clean := r.String(text); clean != text {
		return errors.New(clean)
	}
	return err
}

// Writer returns w with everything written through it redacted. Each
// Write should hold whole lines, as one fmt.Fprint* call does, so that
// no form of the token is split between two writes.
func (r *Redactor) Writer(w io.Writer) io.Writer { return redactingWriter{r, w} }

type redactingWriter struct {
	r *Redactor
	w io.Writer
}

func (rw redactingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, rw.r.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// apiError hides the token in the parts of e that came from the server, so
// that e keeps its type (a 404 must still read as one).
func (r *Redactor) apiError(e *APIError) *APIError {
	e.Path = r.String(e.Path)
	e.Code = r.String(e.Code)
	e.Message = r.String(e.Message)
	e.RequestID = r.String(e.RequestID)
	return e
}

// manifest returns a copy of m with the token hidden in every text a server
// could have put there: ids, reasons, problems. The query is the user's own
// and is kept as given, since a resumed pull compares it.
func (r *Redactor) manifest(m *Manifest) *Manifest {
	c := *m
	c.Tool = r.String(m.Tool)
	c.Windows = slices.Clone(m.Windows)
	cc := &c.Completeness
	cc.Problems = r.strings(m.Completeness.Problems)
	cc.UpdatedDuringPull = r.strings(m.Completeness.UpdatedDuringPull)
	cc.StillChanging = r.strings(m.Completeness.StillChanging)
	cc.TruncatedHistories = slices.Clone(m.Completeness.TruncatedHistories)
	for i := range cc.TruncatedHistories {
		cc.TruncatedHistories[i].ID = r.String(cc.TruncatedHistories[i].ID)
	}
	cc.ChangedAfterFetch = slices.Clone(m.Completeness.ChangedAfterFetch)
	for i := range cc.ChangedAfterFetch {
		cc.ChangedAfterFetch[i].ID = r.String(cc.ChangedAfterFetch[i].ID)
	}
	cc.Missing = slices.Clone(m.Completeness.Missing)
	for i := range cc.Missing {
		cc.Missing[i].ID = r.String(cc.Missing[i].ID)
		cc.Missing[i].Reason = r.String(cc.Missing[i].Reason)
	}
	return &c
}

func (r *Redactor) strings(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = r.String(s)
	}
	return out
}
