package pull

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/outdir"
)

// Files a pull writes into its folder.
const (
	ConversationsFile = "conversations.jsonl"
	ManifestFile      = intercom.PullManifestFile
)

// Options of one pull.
type Options struct {
	Dir         string
	Query       Query
	Token       string        // sent to Query.BaseURL only, and hidden in every message
	Concurrency int           // requests in flight at once (default 4)
	Window      time.Duration // the part of the period one search covers (default a day)
	Retry       Retry
	Tool        string // "icrecon 1.2.3": recorded, and sent as the User-Agent
	// CheckpointEvery bounds the work a crash can make the next run repeat
	// (default 5 s); the end of every window is a checkpoint too.
	CheckpointEvery time.Duration
	// InsecureHTTP allows a plain http:// base URL, for a test server: the
	// token would travel unencrypted.
	InsecureHTTP bool

	pageSize int // tests only: search pages smaller than the API's 150
}

// Result is how a pull ended.
type Result struct {
	Manifest        *Manifest
	Resumed         bool  // an earlier run had begun this pull
	TornBytes       int64 // the torn last line a killed run left, cut off
	AlreadyComplete bool  // nothing was left to do
}

// Progress is a snapshot for a progress line.
type Progress struct {
	Sweeping             bool // every window is done; listing the period again for changes
	Windows, WindowsDone int
	Fetched              int
	Requests             int64
	RateLimited          int64
}

// Puller runs one pull.
type Puller struct {
	opts     Options
	client   *Client
	store    *store
	m        *Manifest
	base     Counts   // the counts of earlier runs
	refetch  []string // what an earlier run could not fetch
	lastSave time.Time
	lock     *os.File // held while the pull writes into its folder

	// mu guards m and store between the search, which runs ahead, and the
	// writing of what was fetched.
	mu                            sync.Mutex
	windows, windowsDone, fetched atomic.Int64
	pagesRead                     atomic.Int64
	sweeping                      atomic.Bool
}

// perPage is the most conversations a search page holds.
const perPage = 150

// New checks the options and fills in defaults.
func New(opts Options) (*Puller, error) {
	q := opts.Query
	switch {
	case opts.Dir == "":
		return nil, errors.New("no output folder")
	case q.By != "created_at" && q.By != "updated_at":
		return nil, fmt.Errorf("cannot search by %q: created_at or updated_at", q.By)
	case !q.From.Before(q.To):
		return nil, fmt.Errorf("the period %s to %s is empty", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	case opts.Token == "":
		return nil, errors.New("no API token")
	}
	if err := checkToken(opts.Token); err != nil {
		return nil, fmt.Errorf("the API token %v", err)
	}
	if err := CheckBaseURL(q.BaseURL, opts.InsecureHTTP); err != nil {
		return nil, fmt.Errorf("the base URL %s %v", q.BaseURL, err)
	}
	if strings.Contains(q.BaseURL, opts.Token) {
		return nil, errors.New("the base URL holds the API token, which goes only in the Authorization header: take it out of the address")
	}
	if opts.Concurrency < 1 {
		opts.Concurrency = 4
	}
	if opts.Window <= 0 {
		opts.Window = 24 * time.Hour
	}
	if opts.Retry == (Retry{}) {
		opts.Retry = DefaultRetry
	}
	if opts.CheckpointEvery <= 0 {
		opts.CheckpointEvery = 5 * time.Second
	}
	if opts.pageSize <= 0 {
		opts.pageSize = perPage
	}
	if opts.Query.APIVersion == "" {
		opts.Query.APIVersion = DefaultVersion
	}
	p := &Puller{opts: opts}
	p.client = newClient(q.BaseURL, opts.Token, opts.Query.APIVersion, opts.Tool, opts.Retry)
	// Searching ahead and fetching share one bound: Concurrency requests at
	// once, whatever they are.
	p.client.slots = make(chan struct{}, opts.Concurrency)
	return p, nil
}

// CheckBaseURL refuses an address the token must not be sent to: anything
// but an http(s) address with a host, and plain http unless insecureHTTP
// (a test server). The error reads after the address.
func CheckBaseURL(base string, insecureHTTP bool) error {
	u, err := url.Parse(base)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return errors.New("is not a web address like https://api.intercom.io")
	case u.Scheme == "http" && !insecureHTTP:
		return errors.New("is plain http, which would send the API token unencrypted: use https, or --insecure-http for a test server")
	}
	return nil
}

// Redactor is the one that hides the token in everything the pull says;
// whoever prints what the pull returns routes it through this one too.
func (p *Puller) Redactor() *Redactor { return p.client.red }

// Progress may be called from any goroutine while Run runs.
func (p *Puller) Progress() Progress {
	return Progress{
		Sweeping:    p.sweeping.Load(),
		Windows:     int(p.windows.Load()),
		WindowsDone: int(p.windowsDone.Load()),
		Fetched:     int(p.fetched.Load()),
		Requests:    p.client.count.Requests.Load(),
		RateLimited: p.client.count.RateLimited.Load(),
	}
}

// Run pulls, or resumes the pull the folder holds. On an error the folder
// holds a checkpoint, and running the same pull again goes on from it. The
// error and the manifest it returns have the token hidden.
func (p *Puller) Run(ctx context.Context) (*Result, error) {
	res, err := p.run(ctx)
	if res != nil && res.Manifest != nil {
		p.mu.Lock()
		res.Manifest = p.Redactor().manifest(res.Manifest)
		p.mu.Unlock()
	}
	return res, p.Redactor().Error(err)
}

func (p *Puller) run(ctx context.Context) (*Result, error) {
	res, err := p.open()
	defer p.unlock()
	if err != nil || res.AlreadyComplete {
		return res, err
	}
	defer p.store.close()
	if err := p.save(); err != nil {
		return res, err
	}
	err = p.pull(ctx)
	if err == nil {
		err = p.sweep(ctx)
	}
	if err != nil {
		if saveErr := p.save(); saveErr != nil {
			return res, errors.Join(err, saveErr)
		}
		return res, err
	}
	p.judge()
	return res, p.save()
}

func (p *Puller) unlock() {
	if p.lock != nil {
		p.lock.Close()
		p.lock = nil
	}
}

// lockFile keeps a second pull out of a folder a pull is writing into.
const lockFile = ".icrecon-pull.lock"

// checkNewPullFolder: a new pull goes only into a folder that is empty
// (but for the lock), so it never writes beside, or over, a user's files.
func checkNewPullFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%s: cannot read the output folder: %v", dir, err)
	}
	for _, e := range entries {
		switch e.Name() {
		case lockFile:
		case ConversationsFile:
			return fmt.Errorf("%s: there is a %s but no %s, so it is not a pull icrecon can resume: move it away or choose another folder", dir, ConversationsFile, ManifestFile)
		default:
			return fmt.Errorf("%s: this folder holds files a pull did not write (%q); give --out a new or empty folder, or the folder of an earlier pull to resume it", dir, e.Name())
		}
	}
	return nil
}

// checkPullFolder refuses a folder that holds neither a pull's manifest
// nor nothing (but for the lock): one icrecon may not write into.
func checkPullFolder(dir string) error {
	m, err := readManifest(filepath.Join(dir, ManifestFile))
	switch {
	case err != nil:
		return err
	case m == nil:
		return checkNewPullFolder(dir)
	}
	return nil
}

// open starts a new pull or takes up the one in the folder.
func (p *Puller) open() (*Result, error) {
	dir := p.opts.Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%s: cannot create the output folder: %v", dir, err)
	}
	// Judged before the lock is made, and again under it below: a folder
	// of the user's that is refused is left as it was, with no lock file
	// of icrecon's in it.
	if err := checkPullFolder(dir); err != nil {
		return nil, err
	}
	lock, err := outdir.Lock(filepath.Join(dir, lockFile), dir)
	if err != nil {
		return nil, err
	}
	p.lock = lock
	m, err := readManifest(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	res := &Result{Resumed: m != nil}
	switch {
	case m == nil:
		if err := checkNewPullFolder(dir); err != nil {
			return nil, err
		}
		m = p.newManifest()
	default:
		if err := m.Query.sameQuery(p.opts.Query); err != nil {
			return nil, fmt.Errorf("%s holds another pull (%v): choose another folder, or give the same options to resume it", dir, err)
		}
		if m.State == "complete" {
			res.Manifest, res.AlreadyComplete = m, true
			return res, nil
		}
		m.Runs++
		p.refetch = m.retryWhatFailed()
	}
	p.m, res.Manifest = m, m
	p.base = m.Counts
	st, torn, err := openStore(filepath.Join(dir, ConversationsFile))
	if err != nil {
		return nil, err
	}
	p.store, res.TornBytes = st, torn
	p.fetched.Store(int64(len(st.held)))
	p.windows.Store(int64(len(m.Windows)))
	p.windowsDone.Store(int64(m.Checkpoint.WindowsDone))
	p.m.State = "running"
	return res, nil
}

func (p *Puller) newManifest() *Manifest {
	q := p.opts.Query
	m := &Manifest{Schema: ManifestSchema, Tool: p.opts.Tool, Query: q, StartedAt: time.Now().UTC().Truncate(time.Second), Runs: 1}
	for from := q.From; from.Before(q.To); from = p.step(from) {
		to := p.step(from)
		if to.After(q.To) {
			to = q.To
		}
		m.Windows = append(m.Windows, Window{From: from, To: to})
	}
	return m
}

// step is the start of the window after the one starting at t. Whole days
// are calendar days in the period's zone, so that a window is a day there
// even across a daylight-saving change.
func (p *Puller) step(t time.Time) time.Time {
	if w := p.opts.Window; w%(24*time.Hour) == 0 {
		return t.AddDate(0, 0, int(w/(24*time.Hour)))
	}
	return t.Add(p.opts.Window)
}

// retryWhatFailed makes a resumed pull search again the windows whose search
// was not whole, and returns the conversations it could not fetch, to be
// fetched again by id.
func (m *Manifest) retryWhatFailed() (refetch []string) {
	for i := range m.Windows {
		if !m.Windows[i].Whole {
			m.Windows[i].Done = false
		}
	}
	for _, missing := range m.Completeness.Missing {
		refetch = append(refetch, missing.ID)
	}
	m.Completeness.Missing = nil
	m.Completeness.ChangedAfterFetch = nil
	m.Completeness.Problems = nil
	return refetch
}

func (p *Puller) doneWindows() int {
	n := 0
	for _, w := range p.m.Windows {
		if w.Done {
			n++
		}
	}
	return n
}

// judge runs the completeness checks.
func (p *Puller) judge() {
	c := &p.m.Completeness
	c.Problems = nil
	for _, w := range p.m.Windows {
		if !w.Whole {
			c.Problems = append(c.Problems, fmt.Sprintf("the search for %s to %s listed %d conversations, but Intercom's total_count says %d (%d attempts, %d repeated cursors)",
				w.From.Format(time.RFC3339), w.To.Format(time.RFC3339), w.Listed, w.TotalCount, w.Attempts, w.RepeatedCursors))
		}
	}
	c.Missing = withoutHeld(c.Missing, p.store)
	if n := len(c.Missing); n > 0 {
		c.Problems = append(c.Problems, fmt.Sprintf("%d of the conversations the search listed could not be fetched (see completeness.missing)", n))
	}
	c.Complete = len(c.Problems) == 0
	c.TruncatedHistories = p.store.truncated
	p.m.State = "complete"
	if !c.Complete {
		p.m.State = "incomplete"
	}
}

// withoutHeld drops what a later attempt did fetch, and repeats.
func withoutHeld(missing []Missing, st *store) []Missing {
	seen := map[string]bool{}
	return slices.DeleteFunc(missing, func(m Missing) bool {
		drop := st.has(m.ID) || seen[m.ID]
		seen[m.ID] = true
		return drop
	})
}

// save is a checkpoint: the file synced, then the manifest saying how far
// it is good.
func (p *Puller) save() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.store.sync(); err != nil {
		return fmt.Errorf("%s: cannot save: %v", p.store.path, err)
	}
	p.windowsDone.Store(int64(p.doneWindows()))
	m := p.m
	m.Checkpoint.WindowsDone = p.doneWindows()
	m.Checkpoint.Conversations = len(p.store.held)
	m.Checkpoint.Bytes = p.store.size
	m.UpdatedAt = time.Now().UTC().Truncate(time.Second)
	m.Completeness.emptyNotNull()
	p.count()
	p.lastSave = time.Now()
	if err := p.Redactor().manifest(m).write(filepath.Join(p.opts.Dir, ManifestFile)); err != nil {
		return fmt.Errorf("%s: cannot save the manifest: %v", p.opts.Dir, err)
	}
	return nil
}

// count brings the manifest's counts up to date.
func (p *Puller) count() {
	n, cl := &p.m.Counts, &p.client.count
	n.SearchTotalCount, n.SearchListed, n.Found = 0, 0, 0
	for _, w := range p.m.Windows {
		n.SearchTotalCount += w.TotalCount
		n.SearchListed += w.Listed
		n.Found += w.Found
	}
	n.Found += n.FoundLate
	n.Fetched = len(p.store.held)
	n.Missing = len(withoutHeld(slices.Clone(p.m.Completeness.Missing), p.store))
	n.Pages = p.base.Pages + int(p.pagesRead.Load())
	n.Requests = p.base.Requests + cl.Requests.Load()
	n.Retries = p.base.Retries + cl.Retries.Load()
	n.RateLimited = p.base.RateLimited + cl.RateLimited.Load()
	n.WaitedSeconds = p.base.WaitedSeconds + time.Duration(cl.Waited.Load()).Seconds()
}
