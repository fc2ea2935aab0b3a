package fakeintercom

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// record is one stored conversation: its detail as GET /conversations/{id}
// answers it, its list item, and the fields search compares.
type record struct {
	id        string
	createdAt int64
	updatedAt int64
	detail    []byte
	item      []byte
}

// newRecord checks one conversation and prepares what the endpoints serve.
func newRecord(raw []byte) (*record, error) {
	o, err := parseObject(raw)
	if err != nil {
		return nil, err
	}
	id, err := conversationID(o)
	if err != nil {
		return nil, err
	}
	r := &record{id: id, detail: bytes.Clone(raw), item: o.without("conversation_parts").marshal()}
	if r.createdAt, err = timeField(o, "created_at"); err != nil {
		return nil, err
	}
	if r.updatedAt, err = timeField(o, "updated_at"); err != nil {
		return nil, err
	}
	return r, nil
}

// conversationID reads an id written as a string or, in older payloads and
// re-serialised files, as a number.
func conversationID(o object) (string, error) {
	raw, ok := o.get("id")
	if !ok {
		return "", fmt.Errorf("no id")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && s != "" {
		return s, nil
	}
	if _, ok := integer(raw); ok {
		return string(bytes.TrimSpace(raw)), nil
	}
	return "", fmt.Errorf("id %s is neither a string nor an integer", raw)
}

func timeField(o object, key string) (int64, error) {
	raw, ok := o.get(key)
	if !ok {
		return 0, fmt.Errorf("no %s", key)
	}
	t, ok := integer(raw)
	if !ok {
		return 0, fmt.Errorf("%s %s is not an integer", key, raw)
	}
	return t, nil
}

// sortRecords orders conversations as search and list return them: by
// created_at, then id. Updates never change created_at, so the order is
// fixed once the server starts.
func sortRecords(rs []*record) {
	slices.SortFunc(rs, func(a, b *record) int {
		return cmp.Or(cmp.Compare(a.createdAt, b.createdAt), cmp.Compare(a.id, b.id))
	})
}

// fakePart is the admin comment an update fault appends, in the 2.16 part shape.
type fakePart struct {
	Type        string     `json:"type"`
	ID          string     `json:"id"`
	PartType    string     `json:"part_type"`
	Body        string     `json:"body"`
	CreatedAt   int64      `json:"created_at"`
	UpdatedAt   int64      `json:"updated_at"`
	NotifiedAt  int64      `json:"notified_at"`
	AssignedTo  *struct{}  `json:"assigned_to"`
	Author      fakeAuthor `json:"author"`
	Attachments []struct{} `json:"attachments"`
	ExternalID  *string    `json:"external_id"`
	Redacted    bool       `json:"redacted"`
}

type fakeAuthor struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// updated returns r after a teammate replied an hour after its last update:
// updated_at + 3600, one admin comment appended (partID, created then), and
// the part counts raised to match.
func (r *record) updated(partID string) (*record, error) {
	o, err := parseObject(r.detail)
	if err != nil {
		return nil, err
	}
	at := r.updatedAt + 3600
	o = o.set("updated_at", strconv.AppendInt(nil, at, 10))
	part, err := json.Marshal(fakePart{
		Type: "conversation_part", ID: partID, PartType: "comment", Body: "<p>Update</p>",
		CreatedAt: at, UpdatedAt: at, NotifiedAt: at,
		Author:      fakeAuthor{Type: "admin", ID: "5001", Name: "Fake Admin", Email: "fake.admin@example.com"},
		Attachments: []struct{}{},
	})
	if err != nil {
		return nil, err
	}
	if o, err = withPart(o, part); err != nil {
		return nil, err
	}
	o = withStatisticsCount(o)
	detail := o.marshal()
	return &record{id: r.id, createdAt: r.createdAt, updatedAt: at, detail: detail,
		item: o.without("conversation_parts").marshal()}, nil
}

// withPart appends part to conversation_parts.conversation_parts and raises
// total_count when present; a conversation without a parts list gets one.
func withPart(o object, part []byte) (object, error) {
	raw, ok := o.get("conversation_parts")
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		raw = json.RawMessage(`{"type":"conversation_part.list","conversation_parts":[],"total_count":0}`)
	}
	parts, err := parseObject(raw)
	if err != nil {
		return nil, fmt.Errorf("conversation_parts: %v", err)
	}
	list, ok := parts.get("conversation_parts")
	if !ok || string(bytes.TrimSpace(list)) == "null" {
		list = json.RawMessage(`[]`)
	}
	appended, err := appendElement(list, part)
	if err != nil {
		return nil, fmt.Errorf("conversation_parts.conversation_parts: %v", err)
	}
	parts = parts.set("conversation_parts", appended)
	parts = incremented(parts, "total_count")
	return o.set("conversation_parts", parts.marshal()), nil
}

// withStatisticsCount raises statistics.count_conversation_parts when the
// conversation has statistics that count parts (2.9 payloads and list items
// may have statistics null).
func withStatisticsCount(o object) object {
	raw, ok := o.get("statistics")
	if !ok {
		return o
	}
	stats, err := parseObject(raw)
	if err != nil {
		return o
	}
	return o.set("statistics", incremented(stats, "count_conversation_parts").marshal())
}

// incremented adds one to an integer member; a missing or null one is left alone.
func incremented(o object, key string) object {
	raw, ok := o.get(key)
	if !ok {
		return o
	}
	n, ok := integer(raw)
	if !ok {
		return o
	}
	return o.set(key, strconv.AppendInt(nil, n+1, 10))
}
