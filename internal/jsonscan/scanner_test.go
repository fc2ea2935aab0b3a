package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// scan returns a scanner over s.
func scan(s string) *Scanner {
	var sc Scanner
	sc.Reset([]byte(s))
	return &sc
}

// errClass names the kind of error a call returned, for tables.
func errClass(err error) string {
	var te *TypeError
	var se *SyntaxError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &te):
		return "type"
	case errors.As(err, &se):
		return "syntax"
	}
	return "other: " + err.Error()
}

func TestPeek(t *testing.T) {
	tests := []struct {
		in   string
		want Kind
	}{
		{`{}`, Object},
		{`  [1]`, Array},
		{"\n\t\r\"s\"", String},
		{`-1`, Number},
		{`0.5`, Number},
		{`true`, Bool},
		{`false`, Bool},
		{`null`, Null},
		{``, Invalid},
		{`   `, Invalid},
		{`}`, Invalid},
		{`+1`, Invalid}, // JSON numbers have no plus sign
		{`'s'`, Invalid},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			s := scan(tt.in)
			if got := s.Peek(); got != tt.want {
				t.Errorf("Peek() = %v, want %v", got, tt.want)
			}
			// Peek consumes nothing but white space.
			if got := s.Peek(); got != tt.want {
				t.Errorf("second Peek() = %v, want %v", got, tt.want)
			}
			if s.Err() != nil {
				t.Errorf("Peek set an error: %v", s.Err())
			}
		})
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Invalid: "invalid", Object: "object", Array: "array", String: "string", Number: "number", Bool: "boolean", Null: "null"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

func TestStr(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		set     bool
		wantErr string // "", "type" or "syntax"
	}{
		{"plain", `"hello"`, "hello", true, ""},
		{"empty", `""`, "", true, ""},
		{"leading space", `  "x"`, "x", true, ""},
		{"escaped quote and backslash", `"a\"b\\c"`, `a"b\c`, true, ""},
		{"escaped slash", `"a\/b"`, "a/b", true, ""},
		{"control escapes", `"\b\f\n\r\t"`, "\b\f\n\r\t", true, ""},
		{"unicode escape", `"Ren\u00e9e"`, "Renée", true, ""},
		{"upper-case hex", `"\u00E9"`, "é", true, ""},
		{"right single quote (Intercom bodies)", `"can\u2019t"`, "can’t", true, ""},
		// A surrogate pair is one character outside the BMP.
		{"surrogate pair", `"\ud83d\ude00"`, "😀", true, ""},
		// encoding/json turns an unpaired surrogate into U+FFFD; so must we.
		{"lone high surrogate", `"\ud83d"`, "\uFFFD", true, ""},
		{"lone low surrogate", `"\ude00x"`, "\uFFFDx", true, ""},
		{"high surrogate then letter escape", `"\ud83d\u0041"`, "\uFFFDA", true, ""},
		{"backslash before closing quote", `"a\\"`, `a\`, true, ""},
		{"raw UTF-8", `"日本"`, "日本", true, ""},
		// Intercom writes some ids as numbers: Str reads them as their text.
		{"number as text", `1234567890123`, "1234567890123", true, ""},
		{"negative float as text", `-1.5e3`, "-1.5e3", true, ""},
		{"null is unset", `null`, "", false, ""},
		{"bool is a type error", `true`, "", false, "type"},
		{"object is a type error", `{"a":1}`, "", false, "type"},
		{"array is a type error", `[1,2]`, "", false, "type"},
		{"unterminated", `"abc`, "", false, "syntax"},
		{"bad escape", `"a\qb"`, "", false, "syntax"},
		{"short unicode escape", `"\u12"`, "", false, "syntax"},
		{"non-hex unicode escape", `"\u12zz"`, "", false, "syntax"},
		{"nothing", ``, "", false, "syntax"},
		{"closing brace", `}`, "", false, "syntax"},
		{"bad literal", `nul`, "", false, "syntax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scan(tt.in)
			got, set, err := s.Str()
			if tt.wantErr == "syntax" {
				got = tt.want // what a failing call returns is TestFailedCallReturnsZero's business
			}
			if got != tt.want || set != tt.set || errClass(err) != tt.wantErr {
				t.Errorf("Str(%s) = %q, %v, %v; want %q, %v, %s error", tt.in, got, set, err, tt.want, tt.set, tt.wantErr)
			}
			s2 := scan(tt.in)
			b, set2, err2 := s2.StrBytes()
			if tt.wantErr == "syntax" {
				b = []byte(tt.want)
			}
			if string(b) != tt.want || set2 != tt.set || errClass(err2) != tt.wantErr {
				t.Errorf("StrBytes(%s) = %q, %v, %v; want the same as Str", tt.in, b, set2, err2)
			}
			if tt.wantErr == "" || tt.wantErr == "type" {
				// The value was consumed either way.
				if err := s.End(); err != nil {
					t.Errorf("End after Str: %v", err)
				}
			}
		})
	}
}

func TestStrBytesAliasesUntilNextCall(t *testing.T) {
	// StrBytes may return the scanner's scratch buffer; a caller that keeps
	// the bytes must copy them. This documents that two escaped strings read
	// in a row do not corrupt the first result once it is copied.
	s := scan(`["a\u0041", "b\u0042"]`)
	s.Begin(Array)
	var got []string
	for s.NextElem() {
		b, _, err := s.StrBytes()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(b))
	}
	if strings.Join(got, ",") != "aA,bB" {
		t.Errorf("got %q", got)
	}
}

func TestInt(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int64
		set     bool
		wantErr string
	}{
		{"integer", `1759300000`, 1759300000, true, ""},
		{"zero", `0`, 0, true, ""},
		{"negative", `-5`, -5, true, ""},
		// Some exporters re-serialise Unix times in exponent form.
		{"exponent", `1.7e9`, 1700000000, true, ""},
		{"upper-case exponent", `2E3`, 2000, true, ""},
		// The Reports CSV writes 687.0; JSON re-serialisations do too.
		{"whole float", `687.0`, 687, true, ""},
		// Plain digits are read in one pass up to 18 of them; longer
		// numbers, and any with a sign, fraction or exponent, the long way.
		{"eighteen digits", `999999999999999999`, 999999999999999999, true, ""},
		{"nineteen digits", `1000000000000000000`, 1000000000000000000, true, ""},
		{"digits then an exponent", `17e2`, 1700, true, ""},
		{"digits then a fraction", `17.0`, 17, true, ""},
		{"white space around", " \n 42 ", 42, true, ""},
		{"max int64", `9223372036854775807`, math.MaxInt64, true, ""},
		{"min int64", `-9223372036854775808`, math.MinInt64, true, ""},
		{"string of digits", `"1759300000"`, 1759300000, true, ""},
		{"string whole float", `"687.0"`, 687, true, ""},
		{"null is unset", `null`, 0, false, ""},
		{"fraction", `687.5`, 0, false, "type"},
		{"too large", `1e400`, 0, false, "type"},
		{"beyond int64", `9223372036854775808`, 0, false, "type"},
		{"word in a string", `"yesterday"`, 0, false, "type"},
		{"empty string", `""`, 0, false, "type"},
		{"padded digits", `" 12"`, 0, false, "type"},
		{"bool", `true`, 0, false, "type"},
		{"object", `{"n":1}`, 0, false, "type"},
		{"array", `[1]`, 0, false, "type"},
		{"nothing", ``, 0, false, "syntax"},
		{"bracket", `]`, 0, false, "syntax"},
		{"unterminated string", `"12`, 0, false, "syntax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scan(tt.in)
			got, set, err := s.Int()
			if got != tt.want || set != tt.set || errClass(err) != tt.wantErr {
				t.Errorf("Int(%s) = %d, %v, %v; want %d, %v, %q error", tt.in, got, set, err, tt.want, tt.set, tt.wantErr)
			}
			if tt.wantErr != "syntax" {
				if err := s.End(); err != nil {
					t.Errorf("the value was not consumed: End = %v", err)
				}
			}
		})
	}
}

func TestBool(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		set     bool
		wantErr string
	}{
		{`true`, true, true, ""},
		{`false`, false, true, ""},
		{`null`, false, false, ""},
		{`"true"`, false, false, "type"},
		{`1`, false, false, "type"},
		{`tru`, false, false, "syntax"},
		{`fals`, false, false, "syntax"},
		{``, false, false, "syntax"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			got, set, err := scan(tt.in).Bool()
			if tt.wantErr == "syntax" {
				got = tt.want
			}
			if got != tt.want || set != tt.set || errClass(err) != tt.wantErr {
				t.Errorf("Bool(%s) = %v, %v, %v; want %v, %v, %q error", tt.in, got, set, err, tt.want, tt.set, tt.wantErr)
			}
		})
	}
}

func TestHasText(t *testing.T) {
	// Bodies are never decoded: only whether the customer sees anything.
	tests := []struct {
		in   string
		want bool
	}{
		{`"<p>Hi</p>"`, true},
		{`""`, false},
		{`null`, false},
		{`"\u0000"`, true},
		{`{"html":"x"}`, false},
		{`[]`, false},
		{`12`, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s := scan(tt.in)
			if got := s.HasText(); got != tt.want {
				t.Errorf("HasText(%s) = %v, want %v", tt.in, got, tt.want)
			}
			if err := s.End(); err != nil {
				t.Errorf("the value was not consumed: %v", err)
			}
		})
	}
}

func TestIsNull(t *testing.T) {
	s := scan(`[null, 1]`)
	s.Begin(Array)
	s.NextElem()
	if !s.IsNull() {
		t.Fatal("IsNull on null = false")
	}
	s.NextElem()
	if s.IsNull() {
		t.Fatal("IsNull on 1 = true")
	}
	if n, _, _ := s.Int(); n != 1 {
		t.Fatalf("IsNull consumed the 1: Int = %d", n)
	}
	if s.NextElem() || s.End() != nil {
		t.Fatalf("array not closed cleanly: %v", s.Err())
	}
}

func TestSkipAndRaw(t *testing.T) {
	valid := []string{
		`{}`, `[]`, `""`, `0`, `-0.5e-3`, `true`, `false`, `null`,
		`{"a":[1,2,{"b":null}],"c":"d\"}"}`,
		`[[[[]]],{"x":{"y":{"z":[true,false]}}}]`,
		`"a string with ] and } and , inside"`,
		`{"body":"<p>\"quoted\" \\ back\\slash</p>","n":1}`,
		" {\n  \"pretty\" : [ 1 , 2 ]\n} ",
	}
	for _, in := range valid {
		t.Run(in, func(t *testing.T) {
			s := scan(in)
			s.Skip()
			if err := s.End(); err != nil {
				t.Errorf("Skip then End: %v", err)
			}
			r := scan(in)
			if got := string(r.Raw()); got != strings.TrimSpace(in) {
				t.Errorf("Raw = %q, want %q", got, strings.TrimSpace(in))
			}
		})
	}
}

func TestSkipOneValueOfMany(t *testing.T) {
	// splitDocument relies on Skip stopping right after one top-level value.
	s := scan(`{"a":1} [2] "three"`)
	var offsets []int
	for s.Peek() != Invalid {
		s.Skip()
		offsets = append(offsets, s.Offset())
	}
	if s.Err() != nil || fmt.Sprint(offsets) != "[7 11 19]" {
		t.Errorf("offsets %v, err %v", offsets, s.Err())
	}
}

// TestSkipAtEnd: a reader that holds a window of a stream tells "the window
// ends inside this value" (read more) from "this is not JSON" (a broken
// file) by SyntaxError.AtEnd. Every cut of a valid value inside it must say
// AtEnd; a real error must not, even near the end.
func TestSkipAtEnd(t *testing.T) {
	valid := []string{
		`{"a":[1,2,{"b":null}],"c":"d\"}","e":true,"f":false,"g":-1.5e+3}`,
		`[{"id":"1"},{"id":"2"}]`,
		" {\n  \"pretty\" : [ 1 , 2 ]\n}",
	}
	for _, in := range valid {
		for cut := 1; cut < len(in); cut++ {
			s := scan(in[:cut])
			s.Skip()
			var se *SyntaxError
			if !errors.As(s.Err(), &se) || !se.AtEnd {
				t.Errorf("Skip(%q) = %v, want an error at the end of the input", in[:cut], s.Err())
			}
		}
	}
	broken := []string{`[1 2]`, `{"a" 1}`, `[tru ]`, `[1,]`, `{"a":nul}`, `[yes]`, `[-]`, `["a"}`}
	for _, in := range broken {
		s := scan(in)
		s.Skip()
		var se *SyntaxError
		if !errors.As(s.Err(), &se) || se.AtEnd {
			t.Errorf("Skip(%q) = %#v, want a syntax error not at the end", in, s.Err())
		}
	}
}

// TestWalk reads nested values the way the API decoder does and compares the
// result with encoding/json.
func TestWalk(t *testing.T) {
	docs := []string{
		`{"type":"conversation","id":"215470","created_at":1759300000,"statistics":{"time_to_admin_reply":600,"first_close_at":null},"tags":{"tags":[{"name":"billing"},{"name":"vip"}]},"open":false}`,
		`[{"a":[]},{"b":{}},[],[[1,2],[3]],"x",null,true,-1.25e+2]`,
		`{"nested":{"deeper":{"deepest":[{"k":"\u00e9\ud83d\ude00"}]}}}`,
		" [ 1 ,\n 2 ,\t3 ] ",
		`{"dup":1,"dup":2}`,
		`{"esc\"key":"v","k\\":"w"}`,
	}
	for _, doc := range docs {
		t.Run(doc, func(t *testing.T) {
			s := scan(doc)
			got, err := walkValue(s, 0, new(int))
			if err == nil {
				err = s.End()
			}
			if err != nil {
				t.Fatalf("walk: %v", err)
			}
			want := decodeStd(t, []byte(doc))
			if g, w := canonical(got), canonical(want); g != w {
				t.Errorf("walk = %s\nencoding/json = %s", g, w)
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	// Each input must end in a syntax error reported by Err (never a panic),
	// and the error must be sticky.
	tests := []struct {
		name, in string
	}{
		{"unterminated string", `{"a":"abc`},
		{"unterminated key", `{"ab`},
		{"unterminated object", `{"a":1`},
		{"unterminated array", `[1,2`},
		{"trailing comma in object", `{"a":1,}`},
		{"trailing comma in array", `[1,2,]`},
		{"leading comma", `[,1]`},
		{"double comma", `[1,,2]`},
		{"missing comma", `[1 2]`},
		{"missing colon", `{"a" 1}`},
		{"colon but no value", `{"a":}`},
		{"number key", `{1:2}`},
		{"leading zero", `{"a":007}`},
		{"minus alone", `[-]`},
		{"point without digits", `[1.]`},
		{"bad literal true", `[tru]`},
		{"bad literal null", `{"a":nul}`},
		{"bare word", `[yes]`},
		{"single quotes", `{'a':1}`},
		{"closing bracket alone", `]`},
		{"empty", ``},
		{"only space", "  \n"},
		{"bad escape", `["\x41"]`},
		{"deep nesting", strings.Repeat("[", 100000)},
		{"trailing data", `{"a":1} x`},
		{"second closing brace", `{"a":1}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scan(tt.in)
			_, err := walkValue(s, 0, new(int))
			if err == nil {
				err = s.End()
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("walk(%.40q) = %v, want a syntax error", tt.in, err)
			}
			if se.Offset < 0 || se.Offset > len(tt.in) {
				t.Errorf("error offset %d outside the input of %d bytes", se.Offset, len(tt.in))
			}
			assertSticky(t, s, err)
		})
	}
}

// TestSkipChecksStructure: Skip says it checks the structure of what it
// skips. The API reader skips most of every record (bodies, custom
// attributes, contacts) and splitDocument cuts documents with it, so a value
// that is not JSON must not pass as one there either.
func TestSkipChecksStructure(t *testing.T) {
	tests := []struct{ name, in string }{
		{"mismatched brackets", `[}`},
		{"object closed as array", `{"a":1]`},
		{"missing comma", `[1 2]`},
		{"missing colon", `{"a" 1}`},
		{"trailing comma", `[1,]`},
		{"colon in an array", `[1:2]`},
		{"number key", `{1:2}`},
		{"leading zero", `{"a":007}`},
		{"minus alone", `[-]`},
		{"point without digits", `[1.]`},
		{"key without value", `{"a":}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scan(tt.in)
			s.Skip()
			if err := s.End(); err == nil {
				t.Errorf("Skip accepted %s, which is not JSON", tt.in)
			}
		})
	}
}

// assertSticky checks that after an error every call returns a zero result and
// Err keeps the first error.
func assertSticky(t *testing.T, s *Scanner, first error) {
	t.Helper()
	if s.Err() != first {
		t.Errorf("Err() = %v, want the first error %v", s.Err(), first)
	}
	if k := s.Peek(); k != Invalid {
		t.Errorf("Peek after error = %v", k)
	}
	if entered(s, Object) || entered(s, Array) {
		t.Error("Begin after error = true")
	}
	if _, ok := s.NextKey(); ok {
		t.Error("NextKey after error = true")
	}
	if s.NextElem() {
		t.Error("NextElem after error = true")
	}
	if v, set, _ := s.Str(); v != "" || set {
		t.Errorf("Str after error = %q, %v", v, set)
	}
	if n, set, _ := s.Int(); n != 0 || set {
		t.Errorf("Int after error = %d, %v", n, set)
	}
	if b, set, _ := s.Bool(); b || set {
		t.Errorf("Bool after error = %v, %v", b, set)
	}
	if s.HasText() {
		t.Error("HasText after error = true")
	}
	if r := s.Raw(); r != nil {
		t.Errorf("Raw after error = %q", r)
	}
	s.Skip()
	if err := s.End(); err != first {
		t.Errorf("End after error = %v, want %v", err, first)
	}
}

// TestFailedCallReturnsZero: the package promises zero results once an error
// is met. The call that meets a syntax error should not hand back a partial
// value either (apidecode's boolean() returns the value without looking at
// the error, and errorList() ignores Str's error).
func TestFailedCallReturnsZero(t *testing.T) {
	t.Run("Str with a bad escape", func(t *testing.T) {
		v, set, err := scan(`"a\qb"`).Str()
		if err == nil || v != "" || set {
			t.Errorf("Str = %q, %v, %v; want \"\", false and an error", v, set, err)
		}
	})
	t.Run("Bool on tru", func(t *testing.T) {
		v, set, err := scan(`tru`).Bool()
		if err == nil || v || set {
			t.Errorf("Bool = %v, %v, %v; want false, false and an error", v, set, err)
		}
	})
}

func TestSkipDepthLimit(t *testing.T) {
	// Hostile input cannot make Skip use unbounded memory or time; 512 levels
	// are allowed, 513 are not.
	ok := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	s := scan(ok)
	s.Skip()
	if err := s.End(); err != nil {
		t.Errorf("%d levels: %v", maxDepth, err)
	}
	deep := strings.Repeat(`{"a":`, maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1)
	s = scan(deep)
	s.Skip()
	if s.Err() == nil || !strings.Contains(s.Err().Error(), "nested too deeply") {
		t.Errorf("%d levels: err = %v, want nested too deeply", maxDepth+1, s.Err())
	}
}

func TestTypeErrorLeavesScannerUsable(t *testing.T) {
	// A field of the wrong type is reported against that field; the rest of
	// the record is still read (Intercom versions differ in such details).
	s := scan(`{"id":{"nested":[1,2,"]"]},"created_at":"soon","open":"yes","n":[1],"name":"Ann","count":3}`)
	if !entered(s, Object) {
		t.Fatal(s.Err())
	}
	got := map[string]string{}
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		var err error
		switch string(key) {
		case "id", "name":
			var v string
			v, _, err = s.Str()
			got[string(key)] = v
		case "created_at", "n", "count":
			var n int64
			n, _, err = s.Int()
			got[string(key)] = strconv.FormatInt(n, 10)
		case "open":
			_, _, err = s.Bool()
		}
		var te *TypeError
		if err != nil && !errors.As(err, &te) {
			t.Fatalf("%s: %v", key, err)
		}
		if te != nil {
			got[string(key)] = "TypeError: " + te.Error()
		}
	}
	if err := s.End(); err != nil {
		t.Fatalf("End: %v", err)
	}
	want := map[string]string{
		"id":         `TypeError: {"nested":[1,2,"]"]} is not a string`,
		"created_at": `TypeError: "soon" is not a whole number`,
		"open":       `TypeError: "yes" is not true or false`,
		"n":          `TypeError: [1] is not a whole number`,
		"name":       "Ann",
		"count":      "3",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestTypeErrorShortensRaw(t *testing.T) {
	long := `"` + strings.Repeat("x", 200) + `"`
	_, _, err := scan(long).Int()
	var te *TypeError
	if !errors.As(err, &te) || len(te.Raw) > 60 || !strings.HasSuffix(string(te.Raw), "...") {
		t.Errorf("err = %v", err)
	}
}

// entered reports whether Begin entered the container.
func entered(s *Scanner, k Kind) bool {
	ok, _ := s.Begin(k)
	return ok
}

func TestBegin(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		kind       Kind
		want       bool
		wantType   bool // a *TypeError, the value consumed, the scanner usable
		wantSyntax bool // a sticky syntax error
	}{
		{"object", `{}`, Object, true, false, false},
		{"array", `[]`, Array, true, false, false},
		// null is how Intercom writes an absent object (statistics: null).
		{"null object", `null`, Object, false, false, false},
		{"null array", `null`, Array, false, false, false},
		// A field of another shape (statistics: [] in a broken export) must
		// cost only that field, not the rest of the page.
		{"array for object", `[1,{"a":2}]`, Object, false, true, false},
		{"string for object", `"x"`, Object, false, true, false},
		{"nothing", ``, Array, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scan(tt.in)
			got, err := s.Begin(tt.kind)
			var te *TypeError
			isType := errors.As(err, &te)
			if got != tt.want || isType != tt.wantType || (s.Err() != nil) != tt.wantSyntax {
				t.Errorf("Begin(%v) on %s = %v, err %v, sticky %v", tt.kind, tt.in, got, err, s.Err())
			}
			if tt.wantType && s.End() != nil {
				t.Errorf("the mistyped value was not consumed: %v", s.End())
			}
		})
	}
}

func TestEmptyContainers(t *testing.T) {
	s := scan(`{"a":{},"b":[],"c":[{}]}`)
	keys := readKeys(s)
	if s.End() != nil || strings.Join(keys, ",") != "a,b,c" {
		t.Errorf("keys %v err %v", keys, s.Err())
	}
}

// readKeys begins an object and reads its keys, skipping their values.
func readKeys(s *Scanner) []string {
	s.Begin(Object)
	var keys []string
	for {
		k, ok := s.NextKey()
		if !ok {
			return keys
		}
		keys = append(keys, string(k))
		s.Skip()
	}
}

func TestKeysAreRaw(t *testing.T) {
	// Documented: keys come back unescaped only as written.
	s := scan(`{"a\"b":1}`)
	s.Begin(Object)
	k, _ := s.NextKey()
	if string(k) != `a\"b` {
		t.Errorf("key = %q", k)
	}
}

// TestNextKey: keys written compactly and keys written any other way read
// the same; a key that breaks the grammar is a syntax error where it does.
func TestNextKey(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		keys     string // the keys read, joined by commas
		wantErr  string // "syntax" when the object is broken
	}{
		{"compact", `{"a":1,"bc":2}`, "a,bc", ""},
		{"spaced", "{ \"a\" : 1 ,\n\t\"bc\":2 }", "a,bc", ""},
		{"space before the colon only", `{"a" :1,"b":2}`, "a,b", ""},
		{"empty key", `{"":1}`, "", ""},
		{"escaped quote in a key", `{"a\"":1,"b":2}`, `a\",b`, ""},
		{"escaped backslash ends a key", `{"a\\":1,"b":2}`, `a\\,b`, ""},
		{"empty object", `{}`, "", ""},
		{"no colon", `{"a" 1}`, "", "syntax"},
		{"colon missing at the end", `{"a"`, "", "syntax"},
		{"unterminated key", `{"a`, "", "syntax"},
		{"trailing comma", `{"a":1,}`, "a", "syntax"},
		{"a number for a key", `{"a":1,2:3}`, "a", "syntax"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := scan(tc.in)
			keys := readKeys(s)
			err := s.End()
			if strings.Join(keys, ",") != tc.keys || errClass(err) != tc.wantErr {
				t.Errorf("keys %q, error %v; want %q, %q error", keys, err, tc.keys, tc.wantErr)
			}
		})
	}
}

func TestReset(t *testing.T) {
	var s Scanner
	s.Reset([]byte(`[`))
	s.Skip()
	if s.Err() == nil {
		t.Fatal("want an error")
	}
	s.Reset([]byte(`"ok"`))
	if v, _, err := s.Str(); v != "ok" || err != nil {
		t.Errorf("after Reset: %q %v", v, err)
	}
}

// walkValue reads one value generically with Peek/Begin/NextKey/NextElem and
// the typed readers, and returns it in encoding/json's shapes (map[string]any,
// []any, string, json.Number, bool, nil). steps guards against loops.
func walkValue(s *Scanner, depth int, steps *int) (any, error) {
	*steps++
	if *steps > 10*len(s.buf)+100 {
		return nil, fmt.Errorf("the scanner made no progress (%d steps for %d bytes)", *steps, len(s.buf))
	}
	if depth > maxDepth {
		// Begin has no depth limit of its own (the scanner is not recursive);
		// the walker is, so it hands deeper values to Skip.
		s.Skip()
		return nil, s.Err()
	}
	switch s.Peek() {
	case Object:
		m := map[string]any{}
		if !entered(s, Object) {
			return nil, s.Err()
		}
		for {
			before := s.Offset()
			key, ok := s.NextKey()
			if !ok {
				break
			}
			if s.Offset() <= before {
				return nil, fmt.Errorf("NextKey did not advance at byte %d", before)
			}
			k := unescapeKey(key)
			v, err := walkValue(s, depth+1, steps)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, s.Err()
	case Array:
		a := []any{}
		if !entered(s, Array) {
			return nil, s.Err()
		}
		for s.NextElem() {
			before := s.Offset()
			v, err := walkValue(s, depth+1, steps)
			if err != nil {
				return nil, err
			}
			if s.Offset() <= before {
				return nil, fmt.Errorf("an element did not advance at byte %d", before)
			}
			a = append(a, v)
		}
		return a, s.Err()
	case String:
		// Int on a copy: strings of digits are accepted as numbers.
		c := *s
		c.scratch = nil
		if n, set, err := c.Int(); err == nil && set {
			if text, _, _ := (&Scanner{buf: s.buf, pos: s.pos}).Str(); !sameWhole(text, n) {
				return nil, fmt.Errorf("Int read string %q as %d", text, n)
			}
		}
		v, set, err := s.Str()
		if err != nil {
			return nil, err
		}
		if !set {
			return nil, fmt.Errorf("Str on a string %q: set = false", v)
		}
		return v, nil
	case Number:
		c := *s
		c.scratch = nil
		n, set, intErr := c.Int()
		text, set2, err := s.Str()
		if err != nil {
			return nil, err
		}
		if !set2 {
			return nil, fmt.Errorf("Str on a number %q: set = false", text)
		}
		if c.Offset() != s.Offset() && intErr == nil {
			return nil, fmt.Errorf("Int and Str consumed different lengths of %q", text)
		}
		if err := checkInt(text, n, set, intErr); err != nil {
			return nil, err
		}
		return json.Number(text), nil
	case Bool:
		b, set, err := s.Bool()
		if err != nil {
			return nil, err
		}
		if !set {
			return nil, fmt.Errorf("Bool on %v: set = false", b)
		}
		return b, nil
	case Null:
		c := *s
		c.IsNull()
		_, set, err := s.Str()
		if err != nil {
			return nil, err
		}
		if set || c.Offset() != s.Offset() {
			return nil, fmt.Errorf("null: Str set=%v, IsNull and Str consumed %d and %d bytes", set, c.Offset(), s.Offset())
		}
		return nil, nil
	}
	s.Skip()
	if s.Err() == nil {
		return nil, fmt.Errorf("Skip accepted what Peek calls invalid at byte %d", s.Offset())
	}
	return nil, s.Err()
}

// checkInt compares Int's reading of a number with encoding/json's.
func checkInt(text string, n int64, set bool, err error) error {
	num := json.Number(text)
	if want, e := num.Int64(); e == nil {
		if err != nil || !set || n != want {
			return fmt.Errorf("Int(%s) = %d, %v, %v; encoding/json reads %d", text, n, set, err, want)
		}
		return nil
	}
	f, e := num.Float64()
	whole := e == nil && f == math.Trunc(f) && math.Abs(f) <= 1<<62
	switch {
	case whole && (err != nil || !set || n != int64(f)):
		return fmt.Errorf("Int(%s) = %d, %v, %v; the number is the whole %v", text, n, set, err, f)
	case !whole && err == nil:
		return fmt.Errorf("Int(%s) = %d with no error; the number is not a whole int64", text, n)
	}
	return nil
}

func sameWhole(text string, n int64) bool {
	if m, err := strconv.ParseInt(text, 10, 64); err == nil {
		return m == n
	}
	f, err := strconv.ParseFloat(text, 64)
	return err == nil && f == float64(n)
}

func unescapeKey(raw []byte) string {
	var s string
	if err := json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s); err != nil {
		return string(raw)
	}
	return s
}

func decodeStd(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return v
}

// canonical prints a decoded value with sorted keys; strings are shown with
// invalid UTF-8 replaced byte by byte, as encoding/json does.
func canonical(v any) string {
	var b strings.Builder
	var write func(v any)
	write = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%q:", string([]rune(k)))
				write(x[k])
			}
			b.WriteByte('}')
		case []any:
			b.WriteByte('[')
			for i, e := range x {
				if i > 0 {
					b.WriteByte(',')
				}
				write(e)
			}
			b.WriteByte(']')
		case string:
			fmt.Fprintf(&b, "%q", string([]rune(x)))
		case json.Number:
			b.WriteString("n:" + string(x))
		default:
			fmt.Fprintf(&b, "%v", x)
		}
	}
	write(v)
	return b.String()
}

// maxNesting reports how deep a valid document nests.
func maxNesting(data []byte) int {
	depth, most := 0, 0
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			most = max(most, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return most
}

// FuzzScanner walks arbitrary bytes generically: it must never panic or
// loop, and on anything encoding/json calls valid it must read the same
// strings and numbers without error.
func FuzzScanner(f *testing.F) {
	seeds := []string{
		`{"type":"conversation","id":"1","created_at":1759300000,"statistics":null}`,
		`[1,2.5,-3e2,"4",true,false,null,{},[]]`,
		`"\ud83d\ude00\u00e9\n\"\\\/"`,
		`{"a":{"b":{"c":[[[]]]}}}`,
		`{"a":1,}`, `[1 2]`, `{"a" 1}`, `"abc`, `nul`, `1.7e9`, `687.0`,
		`{"n":"1759300000"}`, " \t\r\n[ ] ", `[}`, `{"\u0069d":1}`,
		strings.Repeat("[", 600) + strings.Repeat("]", 600),
		"\"\xff\xfe\"",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Scanner
		s.Reset(data)
		got, err := walkValue(&s, 0, new(int))
		if err == nil {
			err = s.End()
		}
		if err != nil && s.Err() == nil {
			// walkValue's own checks: a disagreement, not bad input.
			var se *SyntaxError
			var te *TypeError
			if !errors.As(err, &se) && !errors.As(err, &te) {
				t.Fatalf("%v", err)
			}
		}
		if !json.Valid(data) || maxNesting(data) > maxDepth {
			return
		}
		if err != nil {
			t.Fatalf("valid JSON %q: scanner error %v", data, err)
		}
		// A cut inside a container is "more input needed", never "broken".
		if trimmed := bytes.TrimSpace(data); len(trimmed) > 1 && (trimmed[0] == '{' || trimmed[0] == '[') {
			for _, cut := range []int{1, len(trimmed) / 2, len(trimmed) - 1} {
				var c Scanner
				c.Reset(trimmed[:cut])
				c.Skip()
				var se *SyntaxError
				if !errors.As(c.Err(), &se) || !se.AtEnd {
					t.Fatalf("%q cut to %q: %v, want an error at the end", trimmed, trimmed[:cut], c.Err())
				}
			}
		}
		want := decodeStd(t, data)
		if g, w := canonical(got), canonical(want); g != w {
			t.Fatalf("input %q\nscanner       %s\nencoding/json %s", data, g, w)
		}
	})
}

// TestIndexQuoteIsIndexByte holds indexQuote to bytes.IndexByte at every
// length up to past its word loop and at every position of the quote,
// with other bytes around it that share bits with a quote (a borrow in the
// word test must not flag them).
func TestIndexQuoteIsIndexByte(t *testing.T) {
	fillers := []byte{'a', 0, 0x21, 0x23, 0xa2, 0x7f, 0xff, '\\'}
	for _, fill := range fillers {
		for n := 0; n <= 48; n++ {
			for at := -1; at < n; at++ {
				b := bytes.Repeat([]byte{fill}, n)
				if at >= 0 {
					b[at] = '"'
					if at+1 < n {
						b[at+1] = '"' // a second quote must not be found first
					}
				}
				if got, want := indexQuote(b), bytes.IndexByte(b, '"'); got != want {
					t.Fatalf("fill %#x, length %d, quote at %d: indexQuote = %d, bytes.IndexByte = %d", fill, n, at, got, want)
				}
			}
		}
	}
}
