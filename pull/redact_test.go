package pull

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// hostileToken looks like an Intercom token and holds the characters that
// base64 and URL escaping change.
const hostileToken = "dG9rOjNmYjQ+ZTJhL2M0/ZjEtOGM6MTow="

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// spelling is one way a server was seen, or could be, to echo a token.
type spelling struct{ name, text string }

func spellings(token string) []spelling {
	half := len(token) / 2
	return []spelling{
		{"the token", token},
		{"Bearer and the token", "Bearer " + token},
		{"base64 of Bearer and the token", b64("Bearer " + token)},
		{"base64url of Bearer and the token", base64.URLEncoding.EncodeToString([]byte("Bearer " + token))},
		{"base64 of basic-auth token:", b64(token + ":")},
		{"base64 of basic-auth :token", b64(":" + token)},
		{"base64 of the token in JSON", b64(`{"authorization":"Bearer ` + token + `"}`)},
		{"URL-escaped", url.QueryEscape(token)},
		{"URL-escaped in a path", url.PathEscape(token)},
		{"quoted", strconv.Quote(token)},
		{"its first half", token[:half]},
		{"its last half", token[half:]},
		{"8 characters from the middle", token[max(half-4, 0):min(half+4, len(token))]},
		{"base64 of Bearer, cut short", cutShort(b64("Bearer " + token))},
	}
}

func cutShort(s string) string { return s[:len(s)*2/3] }

// leak returns what text shows of token — the token, a piece of it at least
// minPiece characters long, or one of its spellings whole — or "".
func leak(token, text string) string {
	for i := 0; i+minPiece <= len(token); i++ {
		if piece := token[i : i+minPiece]; strings.Contains(text, piece) {
			return piece
		}
	}
	if len(token) < minPiece && strings.Contains(text, token) {
		return token
	}
	for _, s := range spellings(token) {
		if len(s.text) >= minPiece && strings.Contains(text, s.text) {
			return s.text
		}
	}
	return ""
}

func TestRedactor_HidesEverySpelling(t *testing.T) {
	r := newRedactor(hostileToken)
	for _, s := range spellings(hostileToken) {
		t.Run(s.name, func(t *testing.T) {
			text := fmt.Sprintf("Intercom refused GET /conversations/1 (401 unauthorized: %s is not valid)", s.text)
			got := r.String(text)
			if l := leak(hostileToken, got); l != "" {
				t.Errorf("%q shows %q", got, l)
			}
			if !strings.Contains(got, "[token]") || !strings.HasPrefix(got, "Intercom refused GET /conversations/1 (401 unauthorized: ") {
				t.Errorf("got %q", got)
			}
		})
	}
}

func TestRedactor_KeepsWhatIsNotTheToken(t *testing.T) {
	r := newRedactor(hostileToken)
	for _, text := range []string{
		"Intercom refused the API token (401 unauthorized: Access Token Invalid) (request id req-42, for Intercom's support)",
		"asked for this conversation, Intercom answered with conversation 215467112456", "",
		"dG9rOjN", // 7 characters of it: too short a piece to hide
	} {
		if got := r.String(text); got != text {
			t.Errorf("%q became %q", text, got)
		}
	}
	if got := newRedactor("").String("anything"); got != "anything" {
		t.Errorf("no token hid %q", got)
	}
}

// TestRedactor_MarkerMakesNoNewPiece: a token with "[token]"-like parts must
// not come back where the hiding joins text around it.
func TestRedactor_MarkerMakesNoNewPiece(t *testing.T) {
	token := "ab[token]cdefghij"
	r := newRedactor(token)
	for _, text := range []string{"ab" + token, "xab[tokencdefghij ab[token]cdefghij", token + "]cdefghij"} {
		if got := r.String(text); leak(token, got) != "" {
			t.Errorf("%q became %q", text, got)
		}
	}
}

func TestRedactor_ErrorAndWriter(t *testing.T) {
	r := newRedactor(hostileToken)
	clean := errors.New("nothing to hide")
	if r.Error(clean) != clean || r.Error(nil) != nil {
		t.Error("an error without the token was replaced")
	}
	if got := r.Error(fmt.Errorf("echo: %s", hostileToken)).Error(); got != "echo: [token]" {
		t.Errorf("error %q", got)
	}
	var out bytes.Buffer
	w := r.Writer(&out)
	line := "id " + hostileToken + "\n"
	if n, err := fmt.Fprint(w, line); n != len(line) || err != nil {
		t.Errorf("wrote %d, %v", n, err)
	}
	if out.String() != "id [token]\n" {
		t.Errorf("wrote %q", out.String())
	}
}

// TestRedactor_Manifest: ids and reasons a server sent are hidden in the
// copy written, and the pull's own manifest is left as it was.
func TestRedactor_Manifest(t *testing.T) {
	m := &Manifest{Query: Query{BaseURL: "https://api.intercom.io"}}
	c := &m.Completeness
	c.Missing = []Missing{{ID: hostileToken, Reason: "Intercom's answer is a \"Bearer " + hostileToken + "\", not a conversation"}}
	c.Problems = []string{"problem " + b64("Bearer "+hostileToken)}
	c.UpdatedDuringPull, c.StillChanging = []string{hostileToken}, []string{hostileToken[:10]}
	c.TruncatedHistories = []Truncated{{ID: url.PathEscape(hostileToken)}}
	c.ChangedAfterFetch = []Changed{{ID: hostileToken}}
	got := newRedactor(hostileToken).manifest(m)
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v", *got)
	if l := leak(hostileToken, b.String()); l != "" {
		t.Errorf("the manifest written shows %q: %s", l, b.String())
	}
	if c.Missing[0].ID != hostileToken || c.UpdatedDuringPull[0] != hostileToken {
		t.Error("the pull's own manifest was changed")
	}
	if got.Query.BaseURL != m.Query.BaseURL {
		t.Errorf("the query changed: %s", got.Query.BaseURL)
	}
}
