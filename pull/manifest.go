package pull

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/atomicfile"
)

// ManifestSchema names the manifest's format; the readers know it too, to
// leave the manifest out of a pull's folder.
const ManifestSchema = intercom.PullManifestSchema

// Manifest is manifest.json: what the pull was asked, how far it got, and
// what it could not get. It is rewritten at every checkpoint, atomically.
type Manifest struct {
	Schema     string    `json:"schema"`
	Tool       string    `json:"tool"`
	Query      Query     `json:"query"`
	State      string    `json:"state"` // running, complete or incomplete
	StartedAt  time.Time `json:"started_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Runs       int       `json:"runs"` // 1, plus one for every resume
	Checkpoint struct {
		WindowsDone   int   `json:"windows_done"`
		Conversations int   `json:"conversations"`
		Bytes         int64 `json:"bytes"` // of conversations.jsonl, synced to disk
	} `json:"checkpoint"`
	Counts       Counts       `json:"counts"`
	Completeness Completeness `json:"completeness"`
	Windows      []Window     `json:"windows"`
}

// Query is what was asked; a resumed pull must ask the same.
type Query struct {
	BaseURL    string    `json:"base_url"`
	APIVersion string    `json:"api_version"`
	By         string    `json:"by"` // created_at or updated_at
	From       time.Time `json:"from"`
	To         time.Time `json:"to"` // exclusive
	Timezone   string    `json:"timezone"`
}

// Counts add up over every run of the pull.
type Counts struct {
	SearchTotalCount int     `json:"search_total_count"` // Σ the windows' total_count
	SearchListed     int     `json:"search_listed"`      // Σ distinct conversations the windows' pages listed
	Found            int     `json:"found"`              // conversations in the period, each once
	FoundLate        int     `json:"found_late"`         // of those, found by the final sweep: they entered the period during the pull
	Fetched          int     `json:"fetched"`            // in conversations.jsonl
	Missing          int     `json:"missing"`            // found but not fetched
	Pages            int     `json:"pages"`
	Requests         int64   `json:"requests"`
	Retries          int64   `json:"retries"`
	RateLimited      int64   `json:"rate_limited"`
	WaitedSeconds    float64 `json:"waited_seconds"`
}

// Completeness is what the checks found.
type Completeness struct {
	Complete bool     `json:"complete"` // every window's search was whole and every conversation found was fetched
	Problems []string `json:"problems"` // one sentence each, when not complete
	// TruncatedHistories have fewer parts than Intercom counts: the API
	// returns at most the 500 most recent. Their recomputed statistics are
	// not trusted; nothing a pull can do fetches more.
	TruncatedHistories []Truncated `json:"truncated_histories"`
	// UpdatedDuringPull changed between being listed and being fetched, and
	// were fetched again; StillChanging changed again between those two
	// fetches (the newer copy is kept).
	UpdatedDuringPull []string `json:"updated_during_pull"`
	StillChanging     []string `json:"still_changing"`
	// ChangedAfterFetch changed after their copy was fetched: the file holds
	// the older state. Pull again to refresh them.
	ChangedAfterFetch []Changed `json:"changed_after_fetch"`
	// Missing were listed by the search but could not be fetched.
	Missing []Missing `json:"missing"`
}

// Changed is a conversation whose copy is older than Intercom's.
type Changed struct {
	ID           string `json:"id"`
	HeldUpdated  int64  `json:"held_updated_at"`
	FoundUpdated int64  `json:"found_updated_at"`
}

// Missing is a conversation found but not fetched, and why.
type Missing struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// Window is one search over part of the period.
type Window struct {
	From            time.Time `json:"from"`
	To              time.Time `json:"to"` // exclusive
	TotalCount      int       `json:"total_count"`
	Listed          int       `json:"listed"` // distinct conversations the pages listed, boundary seconds included
	Found           int       `json:"found"`  // in this window, not in an earlier one
	Pages           int       `json:"pages"`
	Attempts        int       `json:"attempts"`
	RepeatedCursors int       `json:"repeated_cursors"`
	Whole           bool      `json:"whole"` // listed ≥ total_count on an attempt with no repeated cursor
	Done            bool      `json:"done"`  // every conversation found was fetched or given up
}

func readManifest(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Schema != ManifestSchema {
		return nil, fmt.Errorf("%s is not a manifest icrecon pull wrote; move it away to start a new pull here", path)
	}
	return &m, nil
}

// write replaces the manifest atomically: a crash leaves the old or the new.
func (m *Manifest) write(path string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// sameQuery explains how a resumed pull's query differs from the first's.
func (q Query) sameQuery(o Query) error {
	switch {
	case q.BaseURL != o.BaseURL:
		return fmt.Errorf("it was pulled from %s, not %s", q.BaseURL, o.BaseURL)
	case q.APIVersion != o.APIVersion:
		return fmt.Errorf("it was pulled with API version %s, not %s", q.APIVersion, o.APIVersion)
	case q.By != o.By:
		return fmt.Errorf("it was searched by %s, not %s", q.By, o.By)
	case !q.From.Equal(o.From) || !q.To.Equal(o.To):
		return fmt.Errorf("it covers %s to %s, not %s to %s", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339), o.From.Format(time.RFC3339), o.To.Format(time.RFC3339))
	}
	return nil
}

// emptyNotNull writes empty lists as [] rather than null, for readers that
// iterate without checking.
func (c *Completeness) emptyNotNull() {
	for _, list := range []*[]string{&c.Problems, &c.UpdatedDuringPull, &c.StillChanging} {
		if *list == nil {
			*list = []string{}
		}
	}
	if c.TruncatedHistories == nil {
		c.TruncatedHistories = []Truncated{}
	}
	if c.ChangedAfterFetch == nil {
		c.ChangedAfterFetch = []Changed{}
	}
	if c.Missing == nil {
		c.Missing = []Missing{}
	}
}
