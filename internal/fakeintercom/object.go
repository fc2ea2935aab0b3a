package fakeintercom

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
)

// object is a JSON object kept as its members in their original order, each
// value as the raw bytes it was written with. Editing a conversation through
// it changes only the members touched: key order, number spelling and string
// escaping elsewhere stay as the input had them, as they would in a re-read
// of the real API.
type object []member

type member struct {
	key   string
	value json.RawMessage
}

var errNotObject = errors.New("not a JSON object")

// parseObject splits one JSON object into its members; anything after the
// object is an error.
func parseObject(raw []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errNotObject
	}
	var o object
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		o = append(o, member{key: tok.(string), value: value})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	return o, nil
}

// get returns a member's raw value.
func (o object) get(key string) (json.RawMessage, bool) {
	for _, m := range o {
		if m.key == key {
			return m.value, true
		}
	}
	return nil, false
}

// set replaces a member's value in place, or appends the member.
func (o object) set(key string, value []byte) object {
	for i := range o {
		if o[i].key == key {
			o[i].value = value
			return o
		}
	}
	return append(o, member{key: key, value: value})
}

// without returns a copy of o without the member key.
func (o object) without(key string) object {
	out := make(object, 0, len(o))
	for _, m := range o {
		if m.key != key {
			out = append(out, m)
		}
	}
	return out
}

// marshal writes the object compactly. Values are copied as they are, not
// through json.Marshal, which would re-escape <, > and & in bodies.
func (o object) marshal() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(m.key)
		b.Write(key)
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// integer reads a raw JSON integer; null, strings and fractions are not.
func integer(raw json.RawMessage) (int64, bool) {
	n, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	return n, err == nil
}

// appendElement appends one raw element to a raw JSON array.
func appendElement(array json.RawMessage, elem []byte) ([]byte, error) {
	var elems []json.RawMessage
	if err := json.Unmarshal(array, &elems); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for _, e := range elems {
		b.Write(e)
		b.WriteByte(',')
	}
	b.Write(elem)
	b.WriteByte(']')
	return b.Bytes(), nil
}
