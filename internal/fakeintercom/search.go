package fakeintercom

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// predicate tells whether a conversation matches a search query.
type predicate func(*record) bool

// queryError is a search request the API would refuse with 400.
type queryError struct {
	code    string // "parameter_invalid" or "bad_request"
	field   string // what is wrong, for the error's field member
	message string
}

func (e *queryError) Error() string { return e.message }

func invalid(field, format string, args ...any) *queryError {
	return &queryError{code: "parameter_invalid", field: field, message: fmt.Sprintf(format, args...)}
}

// maxGroup is the reference's "max 15 filters for each AND or OR group".
const maxGroup = 15

// searchBody is search_request: a query and optional pagination.
type searchBody struct {
	Query      json.RawMessage `json:"query"`
	Pagination *struct {
		PerPage       json.RawMessage `json:"per_page"`
		StartingAfter *string         `json:"starting_after"`
	} `json:"pagination"`
}

// parseSearch reads a search request into its predicate and paging; strict
// is Options.StrictBounds.
func parseSearch(body []byte, strict bool) (predicate, paging, error) {
	var req searchBody
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, paging{}, &queryError{code: "bad_request", message: "the request body is not a valid search request: " + err.Error()}
	}
	q := bytes.TrimSpace(req.Query)
	if len(q) == 0 || string(q) == "null" {
		return nil, paging{}, &queryError{code: "bad_request", field: "query", message: "query is required"}
	}
	match, err := queryParser{strict: strict}.filter(q, "query")
	if err != nil {
		return nil, paging{}, err
	}
	var pg paging
	if p := req.Pagination; p != nil {
		if pg.perPage, err = perPageValue(p.PerPage); err != nil {
			return nil, paging{}, err
		}
		if p.StartingAfter != nil {
			pg.cursor = *p.StartingAfter
		}
	}
	return match, pg, nil
}

// perPageValue reads pagination.per_page; absent or null means the default.
func perPageValue(raw json.RawMessage) (int, error) {
	s := string(bytes.TrimSpace(raw))
	if s == "" || s == "null" {
		return 0, nil
	}
	n, ok := integer(raw)
	if !ok {
		return 0, invalid("per_page", "per_page must be an integer, got %s", s)
	}
	return checkPerPage(n)
}

// filterNode is either a single filter {field, operator, value} or a
// multiple filter {operator: AND|OR, value: [filters]}.
type filterNode struct {
	Field    *string         `json:"field"`
	Operator *string         `json:"operator"`
	Value    json.RawMessage `json:"value"`
}

// queryParser turns filters into predicates.
type queryParser struct {
	strict bool // > and < exclude their bound
}

// filter turns one filter, at path in the request, into a predicate.
func (qp queryParser) filter(raw []byte, path string) (predicate, error) {
	var n filterNode
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, invalid(path, "%s must be a filter object: %v", path, err)
	}
	if n.Operator == nil {
		return nil, invalid(path+".operator", "%s has no operator", path)
	}
	if n.Field != nil {
		return qp.single(*n.Field, *n.Operator, n.Value, path)
	}
	return qp.multiple(*n.Operator, n.Value, path)
}

// multiple combines nested filters with AND or OR.
func (qp queryParser) multiple(op string, raw json.RawMessage, path string) (predicate, error) {
	if op != "AND" && op != "OR" {
		return nil, invalid(path+".operator", "%s has no field, so its operator must be AND or OR, got %q", path, op)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil || len(elems) == 0 {
		return nil, invalid(path+".value", "%s.value must be a non-empty array of filters for %s", path, op)
	}
	if len(elems) > maxGroup {
		return nil, invalid(path+".value", "%s.value has %d filters; an %s group takes at most %d", path, len(elems), op, maxGroup)
	}
	parts := make([]predicate, len(elems))
	for i, e := range elems {
		p, err := qp.filter(e, fmt.Sprintf("%s.value[%d]", path, i))
		if err != nil {
			return nil, err
		}
		parts[i] = p
	}
	if op == "AND" {
		return func(r *record) bool {
			return !slices.ContainsFunc(parts, func(p predicate) bool { return !p(r) })
		}, nil
	}
	return func(r *record) bool {
		return slices.ContainsFunc(parts, func(p predicate) bool { return p(r) })
	}, nil
}

// fieldKinds are the searchable fields the fake knows; the real API has many
// more (notes §1.9), but a pull windows only on these.
var fieldKinds = map[string]string{"id": "string", "created_at": "date", "updated_at": "date"}

// knownOperators are the schema's operators; the fake implements the first six.
var knownOperators = []string{"=", "!=", "IN", "NIN", ">", "<", "<=", ">=", "~", "!~", "^", "$"}

// single compares one field with a value.
func (qp queryParser) single(field, op string, raw json.RawMessage, path string) (predicate, error) {
	kind, ok := fieldKinds[field]
	if !ok {
		return nil, invalid(path+".field", "%s: field %q is not searchable here (the fake knows id, created_at and updated_at)", path, field)
	}
	if !slices.Contains(knownOperators, op) {
		return nil, invalid(path+".operator", "%s: operator %q is not a search operator", path, op)
	}
	if kind == "string" {
		return stringFilter(op, raw, path)
	}
	get := func(r *record) int64 { return r.createdAt }
	if field == "updated_at" {
		get = func(r *record) int64 { return r.updatedAt }
	}
	return qp.date(get, op, raw, path)
}

// stringFilter compares the id.
func stringFilter(op string, raw json.RawMessage, path string) (predicate, error) {
	switch op {
	case "=", "!=":
		want, err := stringValue(raw, path+".value")
		if err != nil {
			return nil, err
		}
		return func(r *record) bool { return (r.id == want) == (op == "=") }, nil
	case "IN", "NIN":
		set, err := listValue(raw, path+".value", stringValue)
		if err != nil {
			return nil, err
		}
		return func(r *record) bool { return slices.Contains(set, r.id) == (op == "IN") }, nil
	}
	return nil, invalid(path+".operator", "%s: operator %q is not supported for field id (the fake implements =, !=, IN, NIN on strings)", path, op)
}

// date compares a Unix time.
func (qp queryParser) date(get func(*record) int64, op string, raw json.RawMessage, path string) (predicate, error) {
	switch op {
	case "=", "!=":
		want, err := intValue(raw, path+".value")
		if err != nil {
			return nil, err
		}
		return func(r *record) bool { return (get(r) == want) == (op == "=") }, nil
	case "IN", "NIN":
		set, err := listValue(raw, path+".value", intValue)
		if err != nil {
			return nil, err
		}
		return func(r *record) bool { return slices.Contains(set, get(r)) == (op == "IN") }, nil
	case ">", "<":
		bound, err := intValue(raw, path+".value")
		if err != nil {
			return nil, err
		}
		return qp.bound(get, op, bound), nil
	}
	return nil, invalid(path+".operator", "%s: operator %q is not supported for dates (the fake implements =, !=, IN, NIN, >, <)", path, op)
}

// bound is > or <. The reference's table calls them "Greater (or equal)
// than" and "Lower (or equal) than", so the bound itself matches unless the
// server has StrictBounds: a pull must work with either reading.
func (qp queryParser) bound(get func(*record) int64, op string, bound int64) predicate {
	return func(r *record) bool {
		switch v := get(r); {
		case v == bound:
			return !qp.strict
		case op == ">":
			return v > bound
		default:
			return v < bound
		}
	}
}

// stringValue reads an id value: a string, or a number as written.
func stringValue(raw json.RawMessage, path string) (string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	if _, ok := integer(raw); ok {
		return string(bytes.TrimSpace(raw)), nil
	}
	return "", invalid(path, "%s must be a string, got %s", path, orNothing(raw))
}

// intValue reads a Unix time: an integer, or a string of digits as in the
// reference's own request example ("value": "1306054154").
func intValue(raw json.RawMessage, path string) (int64, error) {
	if n, ok := integer(raw); ok {
		return n, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, invalid(path, "%s must be an integer (a Unix time), got %s", path, orNothing(raw))
}

// listValue reads the array IN and NIN take.
func listValue[T any](raw json.RawMessage, path string, read func(json.RawMessage, string) (T, error)) ([]T, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, invalid(path, "%s must be an array for IN and NIN, got %s", path, orNothing(raw))
	}
	out := make([]T, len(elems))
	for i, e := range elems {
		v, err := read(e, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func orNothing(raw json.RawMessage) string {
	if s := bytes.TrimSpace(raw); len(s) > 0 {
		return string(s)
	}
	return "nothing"
}
