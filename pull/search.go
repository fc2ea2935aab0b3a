package pull

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// searchAttempts bounds how often one window's search is begun again when
// its pages did not add up to its total_count.
const searchAttempts = 3

// search lists the conversations of window w and returns them in order (by
// time, then id), with w's search figures filled in. The bounds are widened
// by a second each way, since the API's ">" and "<" may or may not include
// their bound, and the result is cut to [From, To) here: a conversation on a
// boundary lands in exactly one window.
func (p *Puller) search(ctx context.Context, w Window) (Window, []listed, error) {
	union := map[string]listed{}
	w.Whole = false
	for attempt := 1; attempt <= searchAttempts && !w.Whole; attempt++ {
		w.Attempts++
		got, total, pages, repeated, err := p.pages(ctx, filters(p.opts.Query.By, w.From.Unix()-1, w.To.Unix()))
		w.Pages += pages
		if repeated {
			w.RepeatedCursors++
		}
		if err != nil {
			return w, nil, err
		}
		for _, c := range got {
			union[c.ID] = newer(union[c.ID], c)
		}
		w.TotalCount, w.Listed = total, len(got)
		w.Whole = !repeated && len(got) >= total
	}
	var in []listed
	for _, c := range union {
		if t := p.at(c); t >= w.From.Unix() && t < w.To.Unix() {
			in = append(in, c)
		}
	}
	slices.SortFunc(in, func(a, b listed) int {
		if d := p.at(a) - p.at(b); d != 0 {
			return int(d)
		}
		return compareIDs(a.ID, b.ID)
	})
	w.Found = len(in)
	return w, in, nil
}

// at is the time the pull is searched by.
func (p *Puller) at(c listed) int64 {
	if p.opts.Query.By == "updated_at" {
		return c.UpdatedAt
	}
	return c.CreatedAt
}

func newer(a, b listed) listed {
	if a.ID == "" || b.UpdatedAt > a.UpdatedAt {
		return b
	}
	return a
}

// compareIDs orders numeric ids by number (Intercom's ids are digits), others
// as text.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return cmp.Compare(a, b)
}

// pages follows one search's cursor to its end. A cursor seen before means
// the pages went round in a circle (Intercom's search can do this while data
// changes); the search stops there and says so. So does one that goes on
// far past its total_count.
func (p *Puller) pages(ctx context.Context, query any) (got []listed, total, pages int, repeated bool, err error) {
	seen := map[string]bool{}
	ids := map[string]int{}
	cursor := ""
	for {
		pg, err := p.searchPage(ctx, query, cursor)
		if err != nil {
			return nil, 0, pages, false, err
		}
		pages++
		p.pagesRead.Add(1)
		total = pg.TotalCount
		for _, c := range pg.Items {
			if i, ok := ids[c.ID]; ok {
				got[i] = newer(got[i], c)
				continue
			}
			ids[c.ID] = len(got)
			got = append(got, c)
		}
		switch {
		case pg.Next == "":
			return got, total, pages, false, nil
		case seen[pg.Next] || pages > total/p.opts.pageSize+10:
			return got, total, pages, true, nil
		}
		seen[pg.Next] = true
		cursor = pg.Next
	}
}

func (p *Puller) searchPage(ctx context.Context, query any, cursor string) (page, error) {
	body, err := searchBody(query, cursor, p.opts.pageSize)
	if err != nil {
		return page{}, err
	}
	b, err := p.client.post(ctx, "/conversations/search", body)
	if err != nil {
		return page{}, err
	}
	pg, err := readPage(b)
	if err != nil {
		return page{}, fmt.Errorf("POST /conversations/search: Intercom's answer is %v", err)
	}
	return pg, nil
}
