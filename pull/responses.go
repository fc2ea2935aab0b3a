package pull

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/internal/jsonscan"
)

// listed is one conversation as a search page lists it.
type listed struct {
	ID        string
	CreatedAt int64
	UpdatedAt int64
}

// page is what icrecon uses of a search or list response.
type page struct {
	TotalCount int
	Next       string // the cursor of the next page; "" on the last
	Items      []listed
}

// readPage reads a conversation.list response (search or list).
func readPage(b []byte) (page, error) {
	var p page
	var s jsonscan.Scanner
	s.Reset(b)
	sawList := false
	if ok, err := s.Begin(jsonscan.Object); !ok {
		return p, notA("a page of conversations", err)
	}
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "type":
			t, _, _ := s.Str()
			if t != "conversation.list" {
				return p, fmt.Errorf("a %q, not a page of conversations", t)
			}
		case "total_count":
			n, _, err := s.Int()
			if err != nil || n < 0 {
				return p, fmt.Errorf("total_count is not a count: %v", plainly(err))
			}
			p.TotalCount = int(n)
		case "pages":
			p.Next = readNextCursor(&s)
		case "conversations":
			sawList = true
			if err := readItems(&s, &p); err != nil {
				return p, err
			}
		default:
			s.Skip()
		}
	}
	if err := s.End(); err != nil {
		return p, notA("a page of conversations", err)
	}
	if !sawList {
		return p, errors.New("the page has no conversations list")
	}
	return p, nil
}

// readNextCursor reads pages.next.starting_after; anything else is skipped.
func readNextCursor(s *jsonscan.Scanner) string {
	next := ""
	if ok, _ := s.Begin(jsonscan.Object); !ok {
		return ""
	}
	for key, ok := s.NextKey(); ok; key, ok = s.NextKey() {
		if string(key) != "next" {
			s.Skip()
			continue
		}
		if ok, _ := s.Begin(jsonscan.Object); !ok {
			continue
		}
		for k, ok := s.NextKey(); ok; k, ok = s.NextKey() {
			if string(k) == "starting_after" {
				next, _, _ = s.Str()
			} else {
				s.Skip()
			}
		}
	}
	return next
}

func readItems(s *jsonscan.Scanner, p *page) error {
	if ok, err := s.Begin(jsonscan.Array); !ok {
		return notA("a list of conversations", err)
	}
	for s.NextElem() {
		item, err := readListed(s)
		if err != nil {
			return fmt.Errorf("conversation %d of the page: %w", len(p.Items)+1, err)
		}
		p.Items = append(p.Items, item)
	}
	return s.Err()
}

// readListed reads one list item's id, created_at and updated_at.
func readListed(s *jsonscan.Scanner) (listed, error) {
	var c listed
	if ok, err := s.Begin(jsonscan.Object); !ok {
		return c, notA("a conversation", err)
	}
	for key, ok := s.NextKey(); ok; key, ok = s.NextKey() {
		var err error
		switch string(key) {
		case "id":
			c.ID, _, err = s.Str()
		case "created_at":
			c.CreatedAt, _, err = s.Int()
		case "updated_at":
			c.UpdatedAt, _, err = s.Int()
		default:
			s.Skip()
		}
		if err != nil {
			return c, fmt.Errorf("%s: %w", key, plainly(err))
		}
	}
	if err := s.Err(); err != nil {
		return c, err
	}
	if c.ID == "" {
		return c, errors.New("it has no id")
	}
	return c, nil
}

// detail is what icrecon checks of a conversation fetched by id.
type detail struct {
	ID        string
	CreatedAt int64
	UpdatedAt int64
	Parts     int            // parts the response holds
	Total     intercom.Count // conversation_parts.total_count
	Counted   intercom.Count // statistics.count_conversation_parts (the opening message included)
}

// truncated: Intercom returns at most the 500 most recent parts.
func (d detail) truncated() bool { return intercom.IsTruncated(d.Parts, d.Total, d.Counted) }

// readDetail reads a GET /conversations/{id} response without decoding its
// bodies.
func readDetail(b []byte) (detail, error) {
	var d detail
	var s jsonscan.Scanner
	s.Reset(b)
	if ok, err := s.Begin(jsonscan.Object); !ok {
		return d, notA("a conversation", err)
	}
	hasParts := false
	countParts := int64(-1)
	for key, ok := s.NextKey(); ok; key, ok = s.NextKey() {
		var err error
		switch string(key) {
		case "type":
			t, _, _ := s.Str()
			if t != "conversation" {
				return d, fmt.Errorf("a %q, not a conversation", t)
			}
		case "id":
			d.ID, _, err = s.Str()
		case "created_at":
			d.CreatedAt, _, err = s.Int()
		case "updated_at":
			d.UpdatedAt, _, err = s.Int()
		case "conversation_parts":
			hasParts = true
			err = readParts(&s, &d)
		case "statistics":
			countParts, err = readCountParts(&s)
		default:
			s.Skip()
		}
		if err != nil {
			return d, fmt.Errorf("%s: %w", key, plainly(err))
		}
	}
	if err := s.End(); err != nil {
		return d, notA("a conversation", err)
	}
	switch {
	case d.ID == "":
		return d, errors.New("the conversation has no id")
	case !hasParts:
		return d, errors.New("the conversation has no conversation_parts")
	}
	if countParts >= 0 {
		d.Counted = intercom.CountOf(int(countParts))
	}
	return d, nil
}

// readParts counts conversation_parts.conversation_parts and reads total_count.
func readParts(s *jsonscan.Scanner, d *detail) error {
	if ok, err := s.Begin(jsonscan.Object); !ok {
		return err
	}
	for key, ok := s.NextKey(); ok; key, ok = s.NextKey() {
		switch string(key) {
		case "total_count":
			if n, set, err := s.Int(); err != nil {
				return err
			} else if set {
				d.Total = intercom.CountOf(int(n))
			}
		case "conversation_parts":
			if ok, err := s.Begin(jsonscan.Array); !ok {
				if err != nil {
					return err
				}
				continue
			}
			for s.NextElem() {
				s.Skip()
				d.Parts++
			}
		default:
			s.Skip()
		}
	}
	return s.Err()
}

func readCountParts(s *jsonscan.Scanner) (int64, error) {
	count := int64(-1)
	if ok, err := s.Begin(jsonscan.Object); !ok {
		return count, err
	}
	for key, ok := s.NextKey(); ok; key, ok = s.NextKey() {
		if string(key) != "count_conversation_parts" {
			s.Skip()
			continue
		}
		n, set, err := s.Int()
		if err != nil {
			return count, err
		}
		if set {
			count = n
		}
	}
	return count, s.Err()
}

func notA(what string, err error) error {
	if err == nil {
		return fmt.Errorf("null, not %s", what)
	}
	return fmt.Errorf("not %s: %v", what, plainly(err))
}

// plainly says what kind of value the server sent where another was
// expected, without quoting it: a hostile server could put the token there
// in an escaped spelling that no redactor recognises.
func plainly(err error) error {
	var te *jsonscan.TypeError
	if !errors.As(err, &te) || len(te.Raw) == 0 {
		return err
	}
	kind := "a number"
	switch te.Raw[0] {
	case '"':
		kind = "a string"
	case '{':
		kind = "an object"
	case '[':
		kind = "an array"
	case 't', 'f':
		kind = "true or false"
	case 'n':
		kind = "null"
	}
	return fmt.Errorf("%s, not %s", kind, te.Want)
}

// errorList is Intercom's error body (components.schemas.error).
type errorList struct {
	Type      string `json:"type"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"errors"`
}

// readErrorList reads an error.list body; ok is false for anything else
// (an HTML page from a proxy, an empty body).
func readErrorList(b []byte) (errorList, bool) {
	var e errorList
	if json.Unmarshal(b, &e) != nil || e.Type != "error.list" || len(e.Errors) == 0 {
		return e, false
	}
	return e, true
}
