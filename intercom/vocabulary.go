package intercom

import "strings"

// Agreement is how two sources' words for one attribute compare once each
// is mapped onto the same vocabulary.
type Agreement uint8

const (
	Agree     Agreement = iota // the same thing
	Disagree                   // different things
	Ambiguous                  // one side's words cannot be mapped, or could mean either
)

// channels maps each source's words for where a conversation came from
// onto one vocabulary: the export's Channel ("Chat"), the API's
// source.type ("conversation") and channel.initial ("messenger").
var channels = map[string]string{
	"chat": "chat", "conversation": "chat", "messenger": "chat", "in-app": "chat",
	"email": "email",
	"phone": "phone", "phone_call": "phone", "phone_switch": "phone", "call": "phone",
	"sms": "sms", "whatsapp": "whatsapp", "facebook": "facebook", "instagram": "instagram",
	"twitter": "twitter", "x": "twitter", "push": "push",
}

// SameChannel compares two channel words from any source.
func SameChannel(a, b string) Agreement {
	ca, okA := channels[strings.ToLower(strings.TrimSpace(a))]
	cb, okB := channels[strings.ToLower(strings.TrimSpace(b))]
	switch {
	case !okA || !okB:
		return Ambiguous
	case ca == cb:
		return Agree
	}
	return Disagree
}

// priorityLevel maps the priority words of API 2.16 (none…urgent), of
// earlier versions (priority, not_priority) and of the export ("Priority",
// "Not Priority") onto levels; "any" is a priority of unstated level.
func priorityLevel(s string) (string, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "_", " ")), " "))
	switch s {
	case "not priority":
		return "not", true // the binary vocabularies: none, and perhaps low
	case "none", "":
		return "none", true
	case "priority":
		return "any", true
	case "low", "medium", "high", "urgent":
		return s, true
	}
	return "", false
}

// SamePriority compares priorities across vocabularies: the binary
// "Priority" agrees with any level but none, and "Not priority" with none;
// where 2.16's levels meet the older binary words, which level "low" fell
// on is not known, so the two binary words facing each other across
// vocabularies (the export's Priority, API 2.9's not_priority) are
// ambiguous rather than a difference.
func SamePriority(a, b string) Agreement {
	la, okA := priorityLevel(a)
	lb, okB := priorityLevel(b)
	if la > lb {
		la, lb = lb, la
	}
	switch {
	case !okA || !okB:
		return Ambiguous
	case la == lb, la == "none" && lb == "not":
		return Agree
	case la == "any" && lb == "not":
		return Ambiguous
	case la == "none" || lb == "none" || la == "not" || lb == "not":
		return Disagree
	case la == "any" || lb == "any":
		return Agree
	}
	return Disagree
}

// SameInitiator compares how a conversation began: the export's words may
// name a set (Reply to Workflow/Message + Bot auto message is automated or
// bot), which agrees ambiguously with either.
func SameInitiator(export, api Initiator) Agreement {
	switch {
	case export == Unknown || api == Unknown || !writtenInCSV(api):
		return Ambiguous
	case export == api:
		return Agree
	case export.Has(api):
		return Ambiguous
	}
	return Disagree
}

// SameTags compares the export's tag cell, whose names are joined with ", "
// (so a name that itself holds ", " cannot be told from two), with a list
// of tag names: they agree when the names, each taken as a whole item,
// account for the whole cell.
func SameTags(cell string, names []string) Agreement {
	rest := ", " + strings.TrimSpace(cell) + ", "
	for _, n := range longestFirst(names) {
		item := ", " + strings.TrimSpace(n) + ", "
		i := strings.Index(rest, item)
		if i < 0 {
			return Disagree
		}
		rest = rest[:i] + ", " + rest[i+len(item):]
	}
	if strings.Trim(rest, ", ") == "" {
		return Agree
	}
	return Disagree
}

func longestFirst(names []string) []string {
	out := append([]string(nil), names...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// writtenInCSV: the table knows how the export writes this way of
// beginning (a legacy campaign's words there are not known).
func writtenInCSV(in Initiator) bool {
	for _, m := range InitiatorTable {
		if m.Initiator == in {
			return m.StartedBy != ""
		}
	}
	return false
}
