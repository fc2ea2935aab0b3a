package intercom

import (
	"sort"
	"strings"
)

// Initiator says how a conversation began. It is a set: a source that cannot
// tell two ways apart (the CSV export says "Bot auto message" for both a series
// and a custom bot) yields both bits, so the ambiguity stays visible instead of
// being guessed away. The zero value means the source's words were not known.
type Initiator uint8

// The ways a conversation can begin.
const (
	Customer  Initiator = 1 << iota // the customer wrote first (UserMessage)
	Admin                           // a teammate's manual message (AdminMessage)
	Automated                       // a series or outbound with a dynamic audience (AutoMessage)
	Campaign                        // a legacy campaign
	Bot                             // a custom bot or workflow

	Unknown Initiator = 0
)

var initiatorNames = []struct {
	bit  Initiator
	name string
}{
	{Customer, "customer"}, {Admin, "admin"}, {Automated, "automated"}, {Campaign, "campaign"}, {Bot, "bot"},
}

// String names the initiator, joining an ambiguous set with "|" ("automated|bot").
func (in Initiator) String() string {
	if in == Unknown {
		return "unknown"
	}
	var names []string
	for _, n := range initiatorNames {
		if in&n.bit != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, "|")
}

// Exact reports whether the set names exactly one way of beginning.
func (in Initiator) Exact() bool { return in != Unknown && in&(in-1) == 0 }

// Has reports whether x is among the possibilities.
func (in Initiator) Has(x Initiator) bool { return in&x != 0 }

// ParseInitiator reads a name written by String back into a set.
func ParseInitiator(s string) (Initiator, bool) {
	if s == "unknown" {
		return Unknown, true
	}
	var in Initiator
	for _, part := range strings.Split(s, "|") {
		found := false
		for _, n := range initiatorNames {
			if n.name == part {
				in |= n.bit
				found = true
			}
		}
		if !found {
			return Unknown, false
		}
	}
	return in, true
}

// InitiatorMapping is one row of the table that maps every source's words for
// how a conversation began onto an Initiator.
type InitiatorMapping struct {
	Initiator   Initiator
	MessageType string // legacy message type in Intercom's reporting pipeline
	DeliveredAs string // API source.delivered_as
	StartedBy   string // Reports CSV "Started by" ("" = never written there)
	CSVSource   string // Reports CSV "Conversation source"
	Meaning     string
}

// InitiatorTable is the one mapping of how a conversation began, per source.
// The API description of delivered_as is the authority for the meanings.
var InitiatorTable = []InitiatorMapping{
	{Customer, "UserMessage", "customer_initiated", "Customer", "Inbound message",
		"the customer wrote the first message"},
	{Admin, "AdminMessage", "admin_initiated", "Reply to Workflow/Message", "Manual message",
		"a teammate's message to a fixed audience, a ticket opened by a teammate, a group email"},
	{Automated, "AutoMessage", "automated", "Reply to Workflow/Message", "Bot auto message",
		"a series or other outbound message with a dynamic audience"},
	{Campaign, "legacy campaign", "campaigns_initiated", "", "",
		"a legacy campaign"},
	{Bot, "custom bot / workflow", "operator_initiated", "Reply to Workflow/Message", "Bot auto message",
		"a custom bot or workflow"},
}

// InitiatorFromDeliveredAs maps the API's source.delivered_as.
func InitiatorFromDeliveredAs(s string) (Initiator, bool) {
	return lookupInitiator(func(m InitiatorMapping) string { return m.DeliveredAs }, s)
}

// InitiatorFromMessageType maps a legacy message type such as "UserMessage".
func InitiatorFromMessageType(s string) (Initiator, bool) {
	return lookupInitiator(func(m InitiatorMapping) string { return m.MessageType }, s)
}

// InitiatorFromCSV maps the export's "Started by" and "Conversation source"
// cells; either may be empty (the column was not exported). Every table row
// consistent with the given cells contributes its bit, so "Reply to
// Workflow/Message" alone means admin|automated|bot. Cells that contradict
// each other, or words not in the table, give false.
func InitiatorFromCSV(startedBy, source string) (Initiator, bool) {
	startedBy, source = strings.TrimSpace(startedBy), strings.TrimSpace(source)
	if startedBy == "" && source == "" {
		return Unknown, false
	}
	var in Initiator
	for _, m := range InitiatorTable {
		if m.StartedBy == "" {
			continue
		}
		if startedBy != "" && !strings.EqualFold(startedBy, m.StartedBy) {
			continue
		}
		if source != "" && !strings.EqualFold(source, m.CSVSource) {
			continue
		}
		in |= m.Initiator
	}
	return in, in != Unknown
}

func lookupInitiator(column func(InitiatorMapping) string, s string) (Initiator, bool) {
	s = strings.TrimSpace(s)
	for _, m := range InitiatorTable {
		if strings.EqualFold(column(m), s) {
			return m.Initiator, true
		}
	}
	return Unknown, false
}

// InitiatorMix counts conversations by initiator name; the keys are sorted by
// MixKeys for stable output.
type InitiatorMix map[string]int

// Add counts one conversation.
func (m InitiatorMix) Add(in Initiator) { m[in.String()]++ }

// Keys returns the names in a stable order: most frequent first, then by name.
func (m InitiatorMix) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}
