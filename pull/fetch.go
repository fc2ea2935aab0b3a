package pull

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/icrecon/icrecon/internal/ordered"
)

// job is one conversation to fetch, or the mark that window windowEnd-1's
// list has ended: the fetches run in order, so when the mark comes out every
// conversation of the window has been written.
type job struct {
	listed    listed
	windowEnd int
}

// fetched is one conversation fetched by id, or why it was not.
type fetched struct {
	job
	body          []byte
	detail        detail
	missing       string // why it could not be fetched
	changed       bool   // it changed between being listed and being fetched
	stillChanging bool
	err           error
}

// pull searches every window not yet done and fetches what each lists.
// Searches run ahead of the fetches, several windows at once, so the
// fetches never wait for a window to begin.
func (p *Puller) pull(ctx context.Context) error {
	var todo []int
	for i, w := range p.m.Windows {
		if !w.Done {
			todo = append(todo, i)
		}
	}
	return p.fetchEach(ctx, func(send func(job) bool) error {
		for _, id := range p.refetch {
			if !send(job{listed: listed{ID: id}}) {
				return nil
			}
		}
		err := p.searchEach(ctx, todo, func(i int, w Window, found []listed) error {
			p.mu.Lock()
			p.m.Windows[i] = w
			found = p.notHeld(found)
			p.mu.Unlock()
			for _, c := range found {
				if !send(job{listed: c}) {
					return errStopped
				}
			}
			if !send(job{windowEnd: i + 1}) {
				return errStopped
			}
			return nil
		})
		if errors.Is(err, errStopped) {
			return nil // the fetching side stopped, and says why
		}
		return err
	})
}

var errStopped = errors.New("stopped")

// searchEach searches the windows, several at once, and hands each result
// on in window order.
func (p *Puller) searchEach(ctx context.Context, windows []int, each func(i int, w Window, found []listed) error) error {
	type searched struct {
		i     int
		w     Window
		found []listed
		err   error
	}
	return ordered.Run(p.opts.Concurrency,
		func(send func(int) bool) error {
			for _, i := range windows {
				if !send(i) {
					break
				}
			}
			return nil
		},
		func() func(int) searched {
			return func(i int) searched {
				w, found, err := p.search(ctx, p.window(i))
				return searched{i, w, found, err}
			}
		},
		func(s searched) error {
			if s.err != nil {
				return s.err
			}
			return each(s.i, s.w, s.found)
		})
}

func (p *Puller) window(i int) Window {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m.Windows[i]
}

// notHeld drops what the file holds already (from a run before, or from an
// earlier window when a conversation's updated_at moved). Call with p.mu held.
func (p *Puller) notHeld(list []listed) []listed {
	var out []listed
	for _, c := range list {
		if !p.store.has(c.ID) {
			out = append(out, c)
		}
	}
	return out
}

// sweep lists the period once more when every window is done, to see what
// changed while the pull ran: a conversation the file does not hold yet (new,
// or moved into the period) is fetched; one whose copy is older than
// Intercom's is reported, not fetched again, so that the file keeps one line
// per conversation. It compares updated_at as Intercom states it, so clocks
// that disagree cannot hide a change.
func (p *Puller) sweep(ctx context.Context) error {
	p.sweeping.Store(true)
	tried := map[string]bool{} // could not be fetched: counted already
	for _, m := range p.m.Completeness.Missing {
		tried[m.ID] = true
	}
	all := make([]int, len(p.m.Windows))
	for i := range all {
		all[i] = i
	}
	var late []listed
	err := p.searchEach(ctx, all, func(_ int, _ Window, found []listed) error {
		late = append(late, p.compareHeld(found, tried)...)
		return nil
	})
	if err != nil {
		return err
	}
	return p.fetchEach(ctx, func(send func(job) bool) error {
		for _, c := range late {
			if !send(job{listed: c}) {
				break
			}
		}
		return nil
	})
}

// compareHeld returns what the file does not hold and notes what it holds
// an older copy of.
func (p *Puller) compareHeld(found []listed, tried map[string]bool) []listed {
	p.mu.Lock()
	defer p.mu.Unlock()
	var late []listed
	c := &p.m.Completeness
	for _, f := range found {
		held, ok := p.store.held[f.ID]
		switch {
		case !ok && !tried[f.ID]:
			late = append(late, f)
			p.m.Counts.FoundLate++
		case ok && f.UpdatedAt > held:
			c.ChangedAfterFetch = append(c.ChangedAfterFetch, Changed{ID: f.ID, HeldUpdated: held, FoundUpdated: f.UpdatedAt})
		}
	}
	return late
}

// fetchEach fetches what produce sends, Concurrency at a time, and keeps
// the results in the order they were sent.
func (p *Puller) fetchEach(ctx context.Context, produce func(send func(job) bool) error) error {
	return ordered.Run(p.opts.Concurrency, produce,
		func() func(job) fetched {
			return func(j job) fetched {
				if j.windowEnd > 0 {
					return fetched{job: j}
				}
				return p.fetch(ctx, j)
			}
		},
		p.keep)
}

// fetch gets one conversation with its parts. One that changed since it was
// listed is fetched once more, so the copy kept is not caught mid-change.
func (p *Puller) fetch(ctx context.Context, j job) fetched {
	f := fetched{job: j}
	c := j.listed
	f.body, f.detail, f.missing, f.err = p.get(ctx, c.ID)
	if f.err != nil || f.missing != "" || c.UpdatedAt == 0 || f.detail.UpdatedAt == c.UpdatedAt {
		return f
	}
	f.changed = true
	first := f.detail.UpdatedAt
	f.body, f.detail, f.missing, f.err = p.get(ctx, c.ID)
	f.stillChanging = f.err == nil && f.missing == "" && f.detail.UpdatedAt != first
	return f
}

func (p *Puller) get(ctx context.Context, id string) (body []byte, d detail, missing string, err error) {
	body, err = p.client.get(ctx, "/conversations/"+url.PathEscape(id))
	var api *APIError
	switch {
	case errors.As(err, &api) && api.NotFound():
		return nil, d, "Intercom answered 404: it was deleted or merged after the search listed it", nil
	case err != nil:
		return nil, d, "", err
	}
	d, err = readDetail(body)
	switch {
	case err != nil:
		return nil, d, fmt.Sprintf("Intercom's answer is %v", err), nil
	case d.ID != id:
		return nil, d, fmt.Sprintf("asked for this conversation, Intercom answered with conversation %s", d.ID), nil
	}
	return body, d, "", nil
}

// keep writes one fetched conversation and notes what the checks found; at
// a window's end mark it saves a checkpoint.
func (p *Puller) keep(f fetched) error {
	if f.err != nil {
		return f.err
	}
	if f.windowEnd > 0 {
		p.mu.Lock()
		p.m.Windows[f.windowEnd-1].Done = true
		p.mu.Unlock()
		return p.save()
	}
	if err := p.record(f); err != nil {
		return err
	}
	if time.Since(p.lastSave) >= p.opts.CheckpointEvery {
		return p.save()
	}
	return nil
}

func (p *Puller) record(f fetched) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := &p.m.Completeness
	switch {
	case f.missing != "":
		c.Missing = append(c.Missing, Missing{ID: f.listed.ID, Reason: f.missing})
		return nil
	case p.store.has(f.detail.ID):
		return nil // listed by two windows: its updated_at moved between them
	}
	if err := p.store.add(f.detail, f.body); err != nil {
		return err
	}
	p.fetched.Add(1)
	if f.changed {
		c.UpdatedDuringPull = append(c.UpdatedDuringPull, f.detail.ID)
	}
	if f.stillChanging {
		c.StillChanging = append(c.StillChanging, f.detail.ID)
	}
	return nil
}
