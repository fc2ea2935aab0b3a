package pull

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Regions are Intercom's API hosts (servers in the OpenAPI description).
var Regions = map[string]string{
	"us": "https://api.intercom.io",
	"eu": "https://api.eu.intercom.io",
	"au": "https://api.au.intercom.io",
}

// DefaultVersion is the Intercom-Version icrecon asks for: the newest
// numbered version of the API description it is built against.
const DefaultVersion = "2.16"

// Retry bounds how hard a request is tried before the pull gives up.
type Retry struct {
	Attempts    int           // tries for a server error, timeout or dropped connection, the first included
	RateLimited int           // 429 answers waited out before giving up
	Base        time.Duration // the first backoff; it doubles, with full jitter
	Max         time.Duration // the longest single wait
	Timeout     time.Duration // one attempt, from sending to the last byte of the body
}

// DefaultRetry suits Intercom: a few minutes of trouble is ridden out; an
// outage of an hour is not.
var DefaultRetry = Retry{Attempts: 8, RateLimited: 60, Base: 500 * time.Millisecond, Max: 30 * time.Second, Timeout: 60 * time.Second}

// Client talks to one Intercom workspace.
type Client struct {
	base    string
	token   string
	version string
	agent   string
	retry   Retry
	red     *Redactor // built once from the token; every error goes through it
	http    *http.Client
	pace    *pacer
	count   counters
	// slots bounds the requests in flight, whoever sends them (nil: no bound).
	slots chan struct{}
}

// counters are what the client did, for the manifest and the progress line.
type counters struct {
	Requests    atomic.Int64
	Retries     atomic.Int64 // attempts after a server error, timeout or dropped connection
	RateLimited atomic.Int64 // 429 answers
	Waited      atomic.Int64 // nanoseconds spent waiting for the rate limit or a backoff
}

// newClient returns a client of the API at base (no trailing slash needed).
func newClient(base, token, version, userAgent string, retry Retry) *Client {
	return &Client{
		base:    strings.TrimRight(base, "/"),
		token:   token,
		version: version,
		agent:   userAgent,
		retry:   retry,
		red:     newRedactor(token),
		http:    &http.Client{CheckRedirect: sameOrigin},
		pace:    &pacer{now: time.Now},
	}
}

// sameOrigin follows a redirect only to the scheme, host and port the
// request went to. Go's own rule would send the Authorization header on to
// another port of the same host, or to a subdomain, or from https to http.
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if from, to := origin(via[0].URL), origin(req.URL); from != to {
		return &crossOriginError{from: from, to: to}
	}
	return nil
}

// origin is a URL's scheme, host and port, the port written out.
func origin(u *url.URL) string {
	scheme, port := strings.ToLower(u.Scheme), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// crossOriginError is a redirect to another origin, not followed.
type crossOriginError struct{ from, to string }

func (e *crossOriginError) Error() string {
	return fmt.Sprintf("the server at %s redirected it to %s, and icrecon sends the API token to no address but the one it was given: check --base-url or --region", e.from, e.to)
}

// APIError is an answer Intercom gave that retrying will not change.
type APIError struct {
	Method, Path string
	Status       int
	Code         string // from the error.list body, when there is one
	Message      string
	RequestID    string
}

func (e *APIError) Error() string {
	said := http.StatusText(e.Status)
	if e.Code != "" {
		said = e.Code
		if e.Message != "" {
			said += ": " + e.Message
		}
	}
	ref := ""
	if e.RequestID != "" {
		ref = fmt.Sprintf(" (request id %s, for Intercom's support)", e.RequestID)
	}
	switch e.Status {
	case http.StatusUnauthorized:
		return fmt.Sprintf("Intercom refused the API token (401 %s)%s: check INTERCOM_TOKEN or the file given to --token-file", said, ref)
	case http.StatusForbidden:
		return fmt.Sprintf("Intercom says this token may not %s (403 %s)%s: the app needs permission to read conversations", e.action(), said, ref)
	case http.StatusNotFound:
		return fmt.Sprintf("Intercom has nothing at %s %s (404 %s)%s: check --region or --base-url", e.Method, e.Path, said, ref)
	}
	return fmt.Sprintf("Intercom refused %s %s (%d %s)%s", e.Method, e.Path, e.Status, said, ref)
}

func (e *APIError) action() string {
	if strings.HasSuffix(e.Path, "/search") {
		return "search conversations"
	}
	return "read conversations"
}

// NotFound reports whether the answer was 404.
func (e *APIError) NotFound() bool { return e.Status == http.StatusNotFound }

// get and post return the body of a successful answer.
func (c *Client) get(ctx context.Context, path string) ([]byte, error) {
	return c.do(ctx, http.MethodGet, path, nil)
}

func (c *Client) post(ctx context.Context, path string, body []byte) ([]byte, error) {
	return c.do(ctx, http.MethodPost, path, body)
}

// do sends one request until it succeeds, fails for good, or the retry
// bounds are spent. Errors never carry the token.
func (c *Client) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	tries, limited := 0, 0
	for {
		if err := c.wait(ctx, c.pace.next()); err != nil {
			return nil, err
		}
		b, status, err := c.attempt(ctx, method, path, body)
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err == nil && status < 300:
			return b, nil
		case err == nil && status == http.StatusTooManyRequests:
			c.count.RateLimited.Add(1)
			if limited++; limited > c.retry.RateLimited {
				return nil, c.red.Error(fmt.Errorf("%s %s: Intercom kept answering 429 (rate limit) %d times in a row; try again later or with a lower --concurrency", method, path, limited))
			}
			continue // the pacer now holds every request until the reset
		case err == nil && !retryableStatus(status):
			return nil, c.apiError(method, path, status, b)
		case errors.Is(err, errAnswerTooLarge):
			return nil, c.red.Error(fmt.Errorf("%s %s: the answer is larger than %d MB, more than a conversation or a page of them can be; icrecon stops rather than hold it or keep it cut", method, path, maxAnswerBytes>>20))
		case err != nil && !retryableTransport(err):
			return nil, c.transportError(method, path, err)
		}
		if tries++; tries >= c.retry.Attempts {
			return nil, c.gaveUp(method, path, tries, status, b, err)
		}
		c.count.Retries.Add(1)
		if err := c.wait(ctx, c.backoff(tries)); err != nil {
			return nil, err
		}
	}
}

// attempt is one round trip: the status and the whole body, or the
// transport error (timeouts and dropped connections included).
func (c *Client) attempt(ctx context.Context, method, path string, body []byte) ([]byte, int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.retry.Timeout)
	defer cancel()
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, reader)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Intercom-Version", c.version)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.slots != nil {
		select {
		case c.slots <- struct{}{}:
			defer func() { <-c.slots }()
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
	c.count.Requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, int64(maxAnswerBytes)+1))
	c.pace.observe(resp.Header, resp.StatusCode)
	switch {
	case err != nil:
		return nil, resp.StatusCode, fmt.Errorf("the connection dropped while reading the answer: %w", err)
	case len(b) > maxAnswerBytes:
		return nil, resp.StatusCode, errAnswerTooLarge
	}
	return b, resp.StatusCode, nil
}

// maxAnswerBytes bounds one answer: a conversation with 500 long parts is a
// few MB. An answer cut at the bound used to be kept as if whole and then
// failed as broken JSON; a variable so that tests can lower it.
var maxAnswerBytes = 256 << 20

// errAnswerTooLarge: asking again would bring the same answer.
var errAnswerTooLarge = errors.New("answer too large")

func retryableStatus(status int) bool {
	return status >= 500 || status == http.StatusRequestTimeout
}

func (c *Client) apiError(method, path string, status int, body []byte) error {
	e := &APIError{Method: method, Path: path, Status: status}
	if list, ok := readErrorList(body); ok {
		e.Code, e.Message, e.RequestID = list.Errors[0].Code, list.Errors[0].Message, list.RequestID
	}
	return c.red.apiError(e)
}

func (c *Client) gaveUp(method, path string, tries, status int, body []byte, err error) error {
	last := ""
	switch {
	case err != nil:
		last = describeTransport(err)
	case status > 0:
		last = fmt.Sprintf("it answered %d %s", status, http.StatusText(status))
		if list, ok := readErrorList(body); ok {
			last += " (" + list.Errors[0].Code + ")"
		}
	}
	return c.red.Error(fmt.Errorf("%s %s failed %d times; the last time %s", method, path, tries, last))
}

// transportError is a transport error that waiting will not mend, in words.
func (c *Client) transportError(method, path string, err error) error {
	var redirect *crossOriginError
	if errors.As(err, &redirect) {
		return c.red.Error(fmt.Errorf("%s %s: %v", method, path, redirect))
	}
	return c.red.Error(fmt.Errorf("cannot reach %s: %v", c.base, err))
}

// retryableTransport: a host that does not exist, a URL that cannot work, a
// header Go refuses to send or a redirect icrecon refuses to follow will
// not get better by waiting; everything else might.
func retryableTransport(err error) bool {
	var dns *net.DNSError
	var redirect *crossOriginError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound, errors.As(err, &redirect):
		return false
	}
	text := err.Error()
	return !strings.Contains(text, "unsupported protocol scheme") && !strings.Contains(text, "net/http: invalid header field")
}

// describeTransport turns a transport error into words.
func describeTransport(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "it did not answer in time"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the connection dropped before the answer was complete"
	}
	return err.Error()
}

// backoff is the wait before retry n (1-based): exponential with full
// jitter, so many clients do not retry in step.
func (c *Client) backoff(n int) time.Duration {
	d := c.retry.Base << min(n-1, 20)
	if d > c.retry.Max || d <= 0 {
		d = c.retry.Max
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

func (c *Client) wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.count.Waited.Add(int64(d))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
