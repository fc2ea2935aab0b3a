// Package oneline keeps what a message echoes of an input or a flag one
// line long and short, whatever it holds. It imports nothing, so every
// package that writes messages can use it.
package oneline

import (
	"strconv"
	"strings"
)

// MaxValue is how long a value a message echoes may be, in bytes.
const MaxValue = 80

// Quote is a value as a message echoes it: shortened to MaxValue, then
// quoted as %q quotes it.
func Quote(s string) string { return strconv.Quote(Shorten(s, MaxValue)) }

// Shorten writes line breaks as \n and \r and cuts s to at most max bytes,
// at a character's start, ending it with "..." when it is cut.
func Shorten(s string, max int) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	s = strings.ReplaceAll(s, "\r", `\r`)
	if len(s) <= max {
		return s
	}
	cut := max - 3
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
