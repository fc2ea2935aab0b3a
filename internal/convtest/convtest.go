// Package convtest builds conversations for tests, in the Vancouver wall
// clock an analyst would read, so that expected values can be checked by hand.
package convtest

import (
	"time"

	"github.com/icrecon/icrecon/intercom"
	"github.com/icrecon/icrecon/officehours"
)

// Vancouver is the zone of the wall clocks.
var Vancouver = mustZone("America/Vancouver")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// At reads a Vancouver wall clock "2025-10-06 10:30[:05]" as Unix seconds.
func At(wall string) int64 {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, wall, Vancouver); err == nil {
			return t.Unix()
		}
	}
	panic("convtest: bad wall time " + wall)
}

// Mon is a Monday, as the prefix of a wall clock.
const Mon = "2025-10-06 "

// The cast. Fin writes as type bot; Operator as an admin with its operator+
// address (older API versions), which is still a bot; GitHub is an
// integration a workspace lists as a bot (BotIDs).
var (
	Customer = intercom.Author{Type: intercom.AuthorUser, ID: "u1", Name: "Ana Customer"}
	Lead     = intercom.Author{Type: intercom.AuthorLead, ID: "l1"}
	Sam      = intercom.Author{Type: intercom.AuthorAdmin, ID: "5001", Name: "Sam"}
	Kim      = intercom.Author{Type: intercom.AuthorAdmin, ID: "5002", Name: "Kim"}
	Lee      = intercom.Author{Type: intercom.AuthorAdmin, ID: "5003", Name: "Lee"}
	Fin      = intercom.Author{Type: intercom.AuthorBot, ID: "8002", Name: "Fin", FromAIAgent: true}
	Operator = intercom.Author{Type: intercom.AuthorAdmin, ID: "8001", Name: "Operator", Email: "operator+k7x2m9qa@intercom.io"}
	GitHub   = intercom.Author{Type: intercom.AuthorAdmin, ID: "8003", Name: "GitHub"}
)

// Bots lists GitHub, as a workspace.yaml would.
func Bots() intercom.Bots { return intercom.Bots{IDs: map[string]bool{GitHub.ID: true}} }

// Part is a part of any type.
func Part(typ string, who intercom.Author, wall string, body bool) intercom.Part {
	return intercom.Part{Type: typ, Author: who, CreatedAt: intercom.At(At(wall)), HasBody: body}
}

// Comment, Note, Assign and Close are the common parts.
func Comment(who intercom.Author, wall string) intercom.Part { return Part("comment", who, wall, true) }
func Note(who intercom.Author, wall string) intercom.Part    { return Part("note", who, wall, true) }
func Assign(who intercom.Author, wall string) intercom.Part {
	return Part("assignment", who, wall, false)
}
func Close(who intercom.Author, wall string) intercom.Part { return Part("close", who, wall, false) }

// Conv builds a conversation whose opening message src wrote at created.
func Conv(src intercom.Author, created string, parts ...intercom.Part) *intercom.Conversation {
	in := intercom.Customer
	if !intercom.IsContact(src) {
		in = intercom.Admin
	}
	return &intercom.Conversation{
		ID: "1", CreatedAt: intercom.At(At(created)), UpdatedAt: intercom.At(At(created)), SourceAuthor: src, Initiator: in,
		Parts: parts, PartsRead: len(parts), HasParts: true,
	}
}

// Weekdays9to5 is Mon-Fri 09:00-17:00 in Vancouver with Thanksgiving
// (2025-10-13) closed.
func Weekdays9to5() *officehours.Schedule {
	week, err := officehours.ParseWeek("Mon-Fri 09:00-17:00")
	if err != nil {
		panic(err)
	}
	s, err := officehours.New(Vancouver, week, []officehours.Date{{Year: 2025, Month: time.October, Day: 13}})
	if err != nil {
		panic(err)
	}
	return s
}
