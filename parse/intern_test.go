package parse

import (
	"strings"
	"testing"
	"unsafe"
)

// TestInterner: a string read twice is one string, never the caller's
// buffer; strings that share a slot, empty and long ones all come back
// equal to what was asked.
func TestInterner(t *testing.T) {
	var in interner
	for _, s := range []string{
		"comment", "admin", "5003", "6762f1264e58ac1721a957e3", "",
		strings.Repeat("x", maxInternedLen), strings.Repeat("y", maxInternedLen+1),
	} {
		buf := []byte(s)
		got := in.getBytes(buf)
		for i := range buf {
			buf[i] = '!' // the caller's buffer is reused
		}
		if got != s {
			t.Errorf("getBytes(%q) = %q", s, got)
		}
		if again := in.get(s); again != s || len(s) > 0 && len(s) <= maxInternedLen && unsafe.StringData(again) != unsafe.StringData(got) {
			t.Errorf("get(%q) after getBytes is not the same string", s)
		}
	}
	// More distinct strings than slots: some share a slot and take it over;
	// every answer is still right.
	for i := range 3 * internSlots {
		s := "id" + strings.Repeat("7", i%50) + string(rune('a'+i%26)) + string(rune('A'+i/26%26)) + string(rune('0'+i/676%10))
		if got := in.getBytes([]byte(s)); got != s {
			t.Fatalf("getBytes(%q) = %q", s, got)
		}
	}
}
