package intercom

import (
	"strings"
	"testing"
	"unicode"
)

func TestBots(t *testing.T) {
	bots := Bots{IDs: map[string]bool{"8003": true}}
	cases := []struct {
		name       string
		author     Author
		bot, human bool
	}{
		{"a teammate", Author{Type: AuthorAdmin, ID: "5001", Email: "sam@acme.example"}, false, true},
		{"Fin, type bot", Author{Type: AuthorBot, ID: "278", Name: "Fin"}, true, false},
		// Older API versions show Operator as an admin; its address gives it away,
		// whatever its display name (the same id was renamed Operator -> Fin).
		{"Operator as an admin", Author{Type: AuthorAdmin, ID: "274", Name: "Operator", Email: "operator+abcd1234@intercom.io"}, true, false},
		{"renamed Operator as an admin", Author{Type: AuthorAdmin, ID: "274", Name: "Fin", Email: "Operator+ABCD1234@Intercom.io "}, true, false},
		{"an admin writing as the AI agent", Author{Type: AuthorAdmin, ID: "5002", FromAIAgent: true}, true, false},
		{"an AI answer", Author{Type: AuthorAdmin, ID: "5002", IsAIAnswer: true}, true, false},
		{"an integration listed as a bot", Author{Type: AuthorAdmin, ID: "8003", Name: "GitHub"}, true, false},
		{"a look-alike address is not Operator", Author{Type: AuthorAdmin, ID: "5004", Email: "operator@example.com"}, false, true},
		{"a customer is neither", Author{Type: AuthorUser, ID: "u1"}, false, false},
		{"a team is not a teammate", Author{Type: AuthorTeam, ID: "7001"}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := bots.IsBot(tc.author); got != tc.bot {
				t.Errorf("IsBot = %v, want %v", got, tc.bot)
			}
			if got := bots.IsHumanAdmin(tc.author); got != tc.human {
				t.Errorf("IsHumanAdmin = %v, want %v", got, tc.human)
			}
		})
	}
}

func TestPartRules(t *testing.T) {
	user := Author{Type: AuthorUser}
	lead := Author{Type: AuthorLead}
	admin := Author{Type: AuthorAdmin}
	cases := []struct {
		name                                     string
		part                                     Part
		contactEvent, visible, bodyEvent, assign bool
	}{
		{"customer comment", Part{Type: PartComment, Author: user, HasBody: true}, true, true, false, false},
		{"lead quick reply", Part{Type: PartQuickReply, Author: lead}, true, true, false, false},
		{"customer gives an attribute to a bot", Part{Type: PartAttributeByUser, Author: user}, true, false, false, false},
		{"older attribute_collected", Part{Type: PartAttributeCollected, Author: user}, true, false, false, false},
		{"an admin's attribute change is not the customer's", Part{Type: PartAttributeByUser, Author: admin}, false, false, false, false},
		{"teammate comment", Part{Type: PartComment, Author: admin, HasBody: true}, false, true, false, false},
		{"note is never visible", Part{Type: PartNote, Author: admin, HasBody: true}, false, false, false, false},
		{"silent assignment", Part{Type: PartAssignment, Author: admin}, false, false, false, true},
		{"reply and assign", Part{Type: PartAssignment, Author: admin, HasBody: true}, false, true, true, true},
		{"assign and reopen", Part{Type: PartAssignAndReopen, Author: admin}, false, false, false, true},
		{"default assignment", Part{Type: PartDefaultAssign, Author: admin}, false, false, false, true},
		{"silent close", Part{Type: PartClose, Author: admin}, false, false, false, false},
		{"reply and close", Part{Type: PartClose, Author: admin, HasBody: true}, false, true, true, false},
		{"open with a body", Part{Type: PartOpen, Author: admin, HasBody: true}, false, true, true, false},
		{"snoozed with a body is still silent", Part{Type: PartSnoozed, Author: admin, HasBody: true}, false, false, false, false},
		{"unknown type with a body", Part{Type: "participant_added", Author: user, HasBody: true}, false, false, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsContactEvent(tc.part); got != tc.contactEvent {
				t.Errorf("IsContactEvent = %v", got)
			}
			if got := IsVisible(tc.part); got != tc.visible {
				t.Errorf("IsVisible = %v", got)
			}
			if got := IsBodyEvent(tc.part); got != tc.bodyEvent {
				t.Errorf("IsBodyEvent = %v", got)
			}
			if got := IsAssignment(tc.part); got != tc.assign {
				t.Errorf("IsAssignment = %v", got)
			}
		})
	}
}

func TestSourceIsContactEvent(t *testing.T) {
	cases := []struct {
		name string
		conv Conversation
		want bool
	}{
		{"customer wrote the opening message", Conversation{SourceAuthor: Author{Type: AuthorLead}}, true},
		{"a teammate's outbound", Conversation{SourceAuthor: Author{Type: AuthorAdmin}, Initiator: Admin}, false},
		{"a bot's greeting", Conversation{SourceAuthor: Author{Type: AuthorBot}, Initiator: Bot}, false},
		// The CSV has no source author; a customer start still means the
		// customer wrote first.
		{"no author, customer initiated", Conversation{Initiator: Customer}, true},
		{"no author, ambiguous outbound", Conversation{Initiator: Automated | Bot}, false},
	}
	for _, tc := range cases {
		if got := tc.conv.SourceIsContactEvent(); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestTruncated(t *testing.T) {
	cases := []struct {
		name string
		conv Conversation
		want bool
	}{
		{"all parts read", Conversation{HasParts: true, PartsRead: 12, PartsTotal: CountOf(12)}, false},
		{"the API's 500 most recent of 640", Conversation{HasParts: true, PartsRead: 500, PartsTotal: CountOf(640)}, true},
		{"a list item has no parts to be short of", Conversation{PartsTotal: CountOf(640)}, false},
		{"no total stated", Conversation{HasParts: true, PartsRead: 3}, false},
		// Parts dropped after folding them into statistics do not change it.
		{"parts dropped after reading", Conversation{HasParts: true, PartsRead: 12, PartsTotal: CountOf(12), Parts: nil}, false},
	}
	for _, tc := range cases {
		if got := tc.conv.Truncated(); got != tc.want {
			t.Errorf("%s: Truncated = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestNormalizeStateAsLower: NormalizeState is strings.ToLower of the known
// states: no other rune lower-cases to one of their letters, and every
// spelling of them reads as one.
func TestNormalizeStateAsLower(t *testing.T) {
	lower := func(s string) string {
		if l := strings.ToLower(strings.TrimSpace(s)); l == "open" || l == "closed" || l == "snoozed" {
			return l
		}
		return strings.TrimSpace(s)
	}
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l < 0x80 && strings.ContainsRune("openclsdz", l) {
			t.Errorf("%U lower-cases to %q", r, l)
		}
	}
	for _, in := range []string{"Open", "OPEN", "oPeN", " Closed\t", "SNOOZED", "ſnoozed", "closed\u212a", "opén", "Open!", ""} {
		if got, want := NormalizeState(in), lower(in); got != want {
			t.Errorf("NormalizeState(%q) = %q; lower-cased %q", in, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"Open": "open", " CLOSED ": "closed", "snoozed": "snoozed", "Waiting on customer": "Waiting on customer"} {
		if got := NormalizeState(in); got != want {
			t.Errorf("NormalizeState(%q) = %q, want %q", in, got, want)
		}
	}
	// 2.16 writes 0 for unassigned, earlier versions null.
	for in, want := range map[string]string{"0": "", "null": "", "": "", " 5001 ": "5001"} {
		if got := NormalizeAssignee(in); got != want {
			t.Errorf("NormalizeAssignee(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOrigin(t *testing.T) {
	cases := map[string]Origin{
		"export.csv:812":       {File: "export.csv", Line: 812},
		"page.json record 4":   {File: "page.json", Record: 4},
		"page.json:1 record 4": {File: "page.json", Line: 1, Record: 4},
		"x.jsonl":              {File: "x.jsonl"},
	}
	for want, o := range cases {
		if got := o.String(); got != want {
			t.Errorf("%+v = %q, want %q", o, got, want)
		}
	}
}

func TestLooksLikePartType(t *testing.T) {
	cases := []struct {
		partType string
		looks    bool
	}{
		{"comment", true},
		{"conversation_attribute_updated_by_workflow", true},
		{"brand_new_event_2", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{"", false},
		// Issue: inspect printed these as part types.
		{"Jane Doe <jane.doe@example.com> my card 4111", false},
		{"Zelda Piiname", false},
		{"zelda.piiname", false},
		{"Zelda", false},
		{"brand-new-event", false},
	}
	for _, tc := range cases {
		t.Run(tc.partType, func(t *testing.T) {
			if got := LooksLikePartType(tc.partType); got != tc.looks {
				t.Errorf("LooksLikePartType(%q) = %v, want %v", tc.partType, got, tc.looks)
			}
		})
	}
}
