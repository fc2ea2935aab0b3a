package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/icrecon/icrecon/internal/fakeintercom"
	"github.com/icrecon/icrecon/pull"
)

const fakeToken = "tok_test_fake_intercom_0042"

// startFakeIntercom serves the sample workspace's API conversations.
func startFakeIntercom(t *testing.T, opts fakeintercom.Options) *fakeintercom.Server {
	t.Helper()
	convs, err := fakeintercom.Sample()
	if err != nil {
		t.Fatal(err)
	}
	opts.Token = fakeToken
	srv, err := fakeintercom.New(convs, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// samplePullArgs pull every day the sample's conversations were created on
// (the fake server speaks plain http).
func samplePullArgs(srv *fakeintercom.Server, out string) []string {
	return []string{"pull", "--from", "2025-09-24", "--to", "2025-11-07", "--base-url", srv.URL, "--insecure-http", "--out", out}
}

// overriding is args with each flag of more set to its value there: in
// place when args has the flag already (a flag of one value may not be
// given twice), appended when not.
func overriding(args []string, more ...string) []string {
	out := slices.Clone(args)
	for i := 0; i < len(more); i++ {
		flag := more[i]
		value, hasValue := "", i+1 < len(more) && !strings.HasPrefix(more[i+1], "--")
		if hasValue {
			value = more[i+1]
			i++
		}
		if at := slices.Index(out, flag); at >= 0 && hasValue && at+1 < len(out) {
			out[at+1] = value
			continue
		}
		out = append(out, flag)
		if hasValue {
			out = append(out, value)
		}
	}
	return out
}

// checkPulled requires conversations.jsonl to hold every conversation of
// the server once, byte for byte.
func checkPulled(t *testing.T, srv *fakeintercom.Server, dir string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, pull.ConversationsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := srv.Conversations()
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var c struct{ ID string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("line %d of the pull: %v", len(seen)+1, err)
		}
		seen[c.ID]++
		if !bytes.Equal(sc.Bytes(), want[c.ID]) {
			t.Errorf("conversation %s differs from the server's", c.ID)
		}
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("conversation %s pulled %d times", id, seen[id])
		}
	}
	if len(seen) != len(want) {
		t.Errorf("pulled %d conversations, the server holds %d", len(seen), len(want))
	}
}

// TestPull_EndToEnd pulls the sample from the fake server as an analyst
// would, then reads the pull with inspect: every conversation, none
// rejected, and the token nowhere.
func TestPull_EndToEnd(t *testing.T) {
	srv := startFakeIntercom(t, fakeintercom.Options{})
	t.Setenv("INTERCOM_TOKEN", fakeToken)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, samplePullArgs(srv, out)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkPulled(t, srv, out)
	for _, want := range []string{"fetched   297 conversations", "1 with a truncated history", "Complete: every conversation"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stdout)
		}
	}
	manifest, _ := os.ReadFile(filepath.Join(out, pull.ManifestFile))
	var m pull.Manifest
	if err := json.Unmarshal(manifest, &m); err != nil || m.Query.APIVersion != "2.16" || m.State != "complete" || m.Counts.Fetched != 297 {
		t.Errorf("manifest: %v %+v", err, m.Counts)
	}
	pulled, _ := os.ReadFile(filepath.Join(out, pull.ConversationsFile))
	for name, text := range map[string]string{"stdout": stdout, "stderr": stderr, "manifest.json": string(manifest), "conversations.jsonl": string(pulled)} {
		if strings.Contains(text, fakeToken) {
			t.Errorf("the token is in %s", name)
		}
	}

	// The folder reads as one API pull; manifest.json is skipped, and
	// listed as skipped with why (the lock file is hidden, unsaid).
	code, stdout, stderr = runCLI(t, "inspect", "--json", out)
	var inspected struct {
		Inputs []struct {
			Kind               string
			Accepted, Rejected int
		}
		Skipped []struct{ Path, Reason string }
	}
	json.Unmarshal([]byte(stdout), &inspected)
	if in := inspected.Inputs; code != exitOK || len(in) != 1 || in[0].Kind != "api_json" || in[0].Accepted != 297 || in[0].Rejected != 0 {
		t.Errorf("inspect of the pull: exit %d, %+v\n%s", code, in, stderr)
	}
	if sk := inspected.Skipped; len(sk) != 1 || sk[0].Path != filepath.Join(out, pull.ManifestFile) || !strings.Contains(sk[0].Reason, "manifest of an icrecon pull") {
		t.Errorf("inspect of the pull skipped %+v, want its manifest.json, said", sk)
	}
}

func TestPull_Mistakes(t *testing.T) {
	srv := startFakeIntercom(t, fakeintercom.Options{})
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte(fakeToken+"\n"), 0o600)
	wrongFile := filepath.Join(t.TempDir(), "wrong")
	os.WriteFile(wrongFile, []byte("tok_wrong"), 0o600)
	cases := []struct {
		name  string
		env   string
		args  []string
		code  int
		want  string
		leaks string
	}{
		{"no token", "", nil, exitUsage, "no API token: set INTERCOM_TOKEN or give --token-file FILE", ""},
		{"the token from a file", "", []string{"--token-file", tokenFile}, exitOK, "Complete", fakeToken},
		{"a token Intercom refuses", "", []string{"--token-file", wrongFile}, exitFailure, "Intercom refused the API token (401 unauthorized: Access Token Invalid)", "tok_wrong"},
		{"a token file that is not there", "", []string{"--token-file", "/no/such/token"}, exitFailure, "--token-file /no/such/token: cannot read it: no such file or directory", ""},
		{"searched by something else", fakeToken, []string{"--by", "closed_at"}, exitUsage, `--by "closed_at": created_at or updated_at`, ""},
		{"an unknown region", fakeToken, []string{"--region", "mars", "--base-url", ""}, exitUsage, `--region "mars": us, eu or au`, ""},
		{"a period that ends before it starts", fakeToken, []string{"--to", "2025-09-01"}, exitUsage, "--to 2025-09-01 is before --from 2025-09-24", ""},
		{"not a date", fakeToken, []string{"--from", "24/09/2025"}, exitUsage, `--from "24/09/2025" is not a date like 2025-10-01`, ""},
		{"too many at once", fakeToken, []string{"--concurrency", "100"}, exitUsage, "--concurrency 100: from 1 to 32", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("INTERCOM_TOKEN", tc.env)
			args := overriding(samplePullArgs(srv, t.TempDir()), tc.args...)
			code, stdout, stderr := runCLI(t, args...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("exit %d, want %d and %q:\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
			if tc.leaks != "" && strings.Contains(stdout+stderr, tc.leaks) {
				t.Errorf("the token shows:\n%s%s", stdout, stderr)
			}
		})
	}
}

// TestPull_ResumesAfterKill kills a pull process with SIGKILL part way and
// runs the same command again: every conversation once, byte for byte.
func TestPull_ResumesAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	srv := startFakeIntercom(t, fakeintercom.Options{Latency: 5 * time.Millisecond})
	out := t.TempDir()
	args := samplePullArgs(srv, out)
	encoded, _ := json.Marshal(args)
	child := exec.Command(os.Args[0], "-test.run=^TestPullHelperProcess$")
	child.Env = append(os.Environ(), "ICRECON_HELPER_ARGS="+string(encoded), "INTERCOM_TOKEN="+fakeToken)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for srv.Stats().Details < 120 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := child.Process.Kill(); err != nil { // SIGKILL: no checkpoint, no clean-up
		t.Fatal(err)
	}
	child.Wait()
	killedAt := srv.Stats().Details
	if killedAt < 120 || killedAt >= 297 {
		t.Fatalf("the pull was killed after %d conversations, not part way", killedAt)
	}

	t.Setenv("INTERCOM_TOKEN", fakeToken)
	code, stdout, stderr := runCLI(t, args...)
	if code != exitOK || !strings.Contains(stdout, "Resumed an earlier run") || !strings.Contains(stdout, "Complete") {
		t.Fatalf("exit %d:\n%s\n%s", code, stdout, stderr)
	}
	checkPulled(t, srv, out)
	if again := srv.Stats().Details - killedAt; again >= 297 {
		t.Errorf("the resumed run fetched %d conversations: it started over", again)
	}
	t.Logf("killed after %d details; the resumed run fetched %d more", killedAt, srv.Stats().Details-killedAt)
}

// TestPullHelperProcess is the pull process TestPull_ResumesAfterKill kills.
func TestPullHelperProcess(t *testing.T) {
	encoded := os.Getenv("ICRECON_HELPER_ARGS")
	if encoded == "" {
		t.Skip("run by TestPull_ResumesAfterKill")
	}
	var args []string
	json.Unmarshal([]byte(encoded), &args)
	var discard bytes.Buffer
	os.Exit(run(t.Context(), append([]string{"icrecon"}, args...), &discard, &discard))
}

// shortPullArgs pull one day of the fake server (quick), with the token from
// the environment unless more says otherwise.
func shortPullArgs(base, out string, more ...string) []string {
	return append([]string{"pull", "--from", "2025-10-01", "--to", "2025-10-01", "--base-url", base, "--insecure-http", "--out", out}, more...)
}

// showsToken returns what text shows of token: a piece of it 8 characters
// long, or its base64 in an Authorization header; or "".
func showsToken(token, text string) string {
	for i := 0; i+8 <= len(token); i++ {
		if strings.Contains(text, token[i:i+8]) {
			return token[i : i+8]
		}
	}
	if b := base64.StdEncoding.EncodeToString([]byte("Bearer " + token)); strings.Contains(text, b) {
		return b
	}
	return ""
}

// TestPull_TokenRules (issue 13): the token file is read with a bound, a
// byte-order mark and line ends are dropped, and a token that cannot be one
// is refused before any request. Before, --token-file /dev/zero grew past
// 3 GB, a CR in the token was retried 8 times over 38 s, and a BOM got 401.
func TestPull_TokenRules(t *testing.T) {
	srv := startFakeIntercom(t, fakeintercom.Options{})
	dir := t.TempDir()
	file := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	withCR := fakeToken[:10] + "\r" + fakeToken[10:]
	cases := []struct {
		name, env, file string
		code            int
		want            string
	}{
		{"/dev/zero", "", "/dev/zero", exitFailure, "--token-file /dev/zero is too large to be a token file (more than 64 KiB"},
		{"a file of 70 KiB", "", file("big", fakeToken+"\n"+strings.Repeat("x", 70<<10)), exitFailure, "big is too large to be a token file"},
		{"a folder", "", dir, exitFailure, "cannot read it: is a directory"},
		{"a file with a BOM and CRLF", "", file("bom", "\ufeff"+fakeToken+"\r\n"), exitOK, "Complete"},
		{"a file with a CR inside the token", "", file("cr", withCR+"\r\n"), exitFailure, "cr holds more than one line (a line break at character 11): it should hold the token alone, on one line"},
		{"a file with a control character", "", file("bell", fakeToken+"\a\n"), exitFailure, "bell has the control character U+0007 at character 28"},
		{"a file saved as UTF-16", "", file("utf16", "\xff\xfet\x00o\x00k\x00"), exitFailure, "utf16 is saved as UTF-16: save it as plain text (UTF-8)"},
		{"an empty file", "", file("empty", "\ufeff\r\n"), exitFailure, "empty is empty"},
		{"INTERCOM_TOKEN with a BOM and a line end", "\ufeff" + fakeToken + "\n", "", exitOK, "Complete"},
		{"INTERCOM_TOKEN with a CR inside", withCR, "", exitFailure, "INTERCOM_TOKEN holds more than one line (a line break at character 11)"},
		{"INTERCOM_TOKEN with a zero-width space", fakeToken + "\u200b", "", exitFailure, "INTERCOM_TOKEN has the character U+200B at character 28, which no Intercom token has"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("INTERCOM_TOKEN", tc.env)
			var more []string
			if tc.file != "" {
				more = []string{"--token-file", tc.file}
			}
			before := srv.Stats().Requests
			code, stdout, stderr := runCLI(t, shortPullArgs(srv.URL, t.TempDir(), more...)...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("exit %d, want %d and %q:\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
			if sent := srv.Stats().Requests - before; tc.code != exitOK && sent != 0 {
				t.Errorf("%d requests were sent with a token that cannot be one", sent)
			}
			if l := showsToken(fakeToken, stdout+stderr); l != "" {
				t.Errorf("the output shows %q", l)
			}
		})
	}
}

// TestPull_NeverShowsTheToken (issue 13): what a server echoes of the token,
// in any spelling, shows as [token] on the terminal and in manifest.json.
// Before, a 200 answering {"conversations":"Bearer <token>"} printed the
// token, and so did a base64 or cut copy in a 401 or 404.
func TestPull_NeverShowsTheToken(t *testing.T) {
	errorList := func(code, message string) string {
		return fmt.Sprintf(`{"type":"error.list","request_id":"r-1","errors":[{"code":%q,"message":%q}]}`, code, message)
	}
	cases := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"a 200 whose conversations are the token", 200, `{"conversations":"Bearer ` + fakeToken + `"}`,
			"POST /conversations/search: Intercom's answer is not a list of conversations: a string, not an array"},
		{"a 401 echoing it in base64", 401, errorList("unauthorized", base64.StdEncoding.EncodeToString([]byte("Bearer "+fakeToken))),
			"Intercom refused the API token (401 unauthorized: [token])"},
		{"a 404 echoing a cut copy", 404, errorList("not_found", "no "+fakeToken[4:20]+" here"),
			"Intercom has nothing at POST /conversations/search (404 not_found: no [token] here)"},
	}
	t.Setenv("INTERCOM_TOKEN", fakeToken)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			out := t.TempDir()
			code, stdout, stderr := runCLI(t, shortPullArgs(srv.URL, out)...)
			if code != exitFailure || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, want %d and %q:\n%s", code, exitFailure, tc.want, stderr)
			}
			manifest, err := os.ReadFile(filepath.Join(out, pull.ManifestFile))
			if err != nil {
				t.Fatal(err)
			}
			for what, text := range map[string]string{"stdout": stdout, "stderr": stderr, "manifest.json": string(manifest)} {
				if l := showsToken(fakeToken, text); l != "" {
					t.Errorf("%s shows %q:\n%s", what, l, text)
				}
			}
		})
	}
}

// TestPull_RefusesPlainHTTP (issue 13): the token goes over https only,
// unless --insecure-http says the server is a test server.
func TestPull_RefusesPlainHTTP(t *testing.T) {
	srv := startFakeIntercom(t, fakeintercom.Options{})
	t.Setenv("INTERCOM_TOKEN", fakeToken)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"plain http", []string{"--base-url", srv.URL}, exitUsage,
			"--base-url " + srv.URL + " is plain http, which would send the API token unencrypted: use https, or --insecure-http for a test server"},
		{"plain http with --insecure-http", []string{"--base-url", srv.URL, "--insecure-http"}, exitOK, "Complete"},
		{"not a web address", []string{"--base-url", "api.intercom.io"}, exitUsage, "--base-url api.intercom.io is not a web address like https://api.intercom.io"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Stats().Requests
			args := append([]string{"pull", "--from", "2025-10-01", "--to", "2025-10-01", "--out", t.TempDir()}, tc.args...)
			code, stdout, stderr := runCLI(t, args...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("exit %d, want %d and %q:\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
			if sent := srv.Stats().Requests - before; tc.code != exitOK && sent != 0 {
				t.Errorf("%d requests were sent", sent)
			}
		})
	}
}
