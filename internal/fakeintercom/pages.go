package fakeintercom

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
)

// Paging limits of both list and search (notes §1.9).
const (
	defaultPerPage = 20
	maxPerPage     = 150
)

// paging is what a request asked for: a page size (0: the default) and the
// cursor it starts after ("": the first page).
type paging struct {
	perPage int
	cursor  string
}

// checkPerPage refuses what the API refuses: more than 150, or less than one.
func checkPerPage(n int64) (int, error) {
	if n < 1 || n > maxPerPage {
		return 0, invalid("per_page", "per_page must be between 1 and %d, got %d", maxPerPage, n)
	}
	return int(n), nil
}

// position is where a page starts: the offset of its first conversation in
// the ordered results, and its page number.
type position struct {
	offset int
	page   int
}

// encodeCursor writes a position the way real cursors look: base64 of a
// small JSON array (a real one is WzE3MjY3NTIxNDUwMDAsNSwyXQ==, [1726752145000,5,2]).
func encodeCursor(p position) string {
	b, _ := json.Marshal([]int{p.offset, p.page})
	return base64.StdEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor; "" is the first page.
func decodeCursor(cursor string) (position, error) {
	if cursor == "" {
		return position{offset: 0, page: 1}, nil
	}
	bad := invalid("starting_after", "starting_after %q is not a cursor this server gave", cursor)
	b, err := base64.StdEncoding.DecodeString(cursor)
	if err != nil {
		return position{}, bad
	}
	var v []int
	if json.Unmarshal(b, &v) != nil || len(v) != 2 || v[0] < 0 || v[1] < 1 {
		return position{}, bad
	}
	return position{offset: v[0], page: v[1]}, nil
}

// pageMeta is cursor_pages.
type pageMeta struct {
	Type       string      `json:"type"`
	Page       int         `json:"page"`
	PerPage    int         `json:"per_page"`
	TotalPages int         `json:"total_pages"`
	Next       *nextCursor `json:"next,omitempty"`
}

// nextCursor is starting_after_paging.
type nextCursor struct {
	PerPage       int    `json:"per_page"`
	StartingAfter string `json:"starting_after"`
}

// listPage is one conversation.list page cut from the ordered matches.
type listPage struct {
	meta  pageMeta
	total int
	items []*record
}

// cut takes the page at pos; the caller may still change meta.Next.
func cut(matches []*record, perPage int, pos position) listPage {
	start := min(pos.offset, len(matches))
	end := min(start+perPage, len(matches))
	p := listPage{
		meta: pageMeta{Type: "pages", Page: pos.page, PerPage: perPage,
			TotalPages: (len(matches) + perPage - 1) / perPage},
		total: len(matches),
		items: matches[start:end],
	}
	if end < len(matches) {
		p.meta.Next = &nextCursor{PerPage: perPage, StartingAfter: encodeCursor(position{offset: end, page: pos.page + 1})}
	}
	return p
}

// marshal writes the page as conversation_list. Items are written from their
// stored bytes rather than through json.Marshal, which would re-escape them.
func (p listPage) marshal() []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"conversation.list","pages":`)
	meta, _ := json.Marshal(p.meta)
	b.Write(meta)
	b.WriteString(`,"total_count":`)
	b.WriteString(strconv.Itoa(p.total))
	b.WriteString(`,"conversations":[`)
	for i, r := range p.items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(r.item)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}
