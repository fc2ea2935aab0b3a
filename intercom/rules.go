package intercom

import "strings"

// Bots says which admin identities are automation rather than teammates.
// Intercom's definition of a human admin part excludes "Simple automations
// (Intercom's rule-based bot), Facebook and GitHub bots"; Fin writes as type
// bot. Integrations such as Facebook or GitHub bots have no documented marker,
// so a workspace lists their admin ids in IDs.
type Bots struct {
	IDs map[string]bool
}

// IsBot reports whether a is automation: author type bot, Fin (from_ai_agent
// or is_ai_answer), the Operator identity (operator+<app_id>@intercom.io,
// whatever its display name: the same id was renamed from Operator to Fin), or
// an id the workspace lists as a bot.
func (b Bots) IsBot(a Author) bool {
	return a.Type == AuthorBot || a.FromAIAgent || a.IsAIAnswer || IsOperatorEmail(a.Email) || b.IDs[a.ID]
}

// IsHumanAdmin reports whether a is a teammate: an admin that is not a bot.
func (b Bots) IsHumanAdmin(a Author) bool {
	return a.Type == AuthorAdmin && !b.IsBot(a)
}

// IsOperatorEmail matches Intercom's bot identity operator+<app_id>@intercom.io.
func IsOperatorEmail(email string) bool {
	e := strings.ToLower(strings.TrimSpace(email))
	return strings.HasSuffix(e, "@intercom.io") && (strings.HasPrefix(e, "operator+") || e == "operator@intercom.io")
}

// IsContact reports whether a is the customer side: a user, lead or contact.
func IsContact(a Author) bool {
	switch a.Type {
	case AuthorUser, AuthorLead, AuthorContact:
		return true
	}
	return false
}

// IsContactEvent reports whether p is one of the events that start or continue
// the customer's side of the thread: a text part (comment or quick reply)
// written by a contact, or an attribute the customer gave (collected by a bot).
// The opening message counts too when a contact wrote it; see
// Conversation.SourceIsContactEvent.
func IsContactEvent(p Part) bool {
	if !IsContact(p.Author) {
		return false
	}
	switch p.Type {
	case PartComment, PartQuickReply, PartAttributeByUser, PartAttributeCollected:
		return true
	}
	return false
}

// IsVisible reports whether the customer saw p: every comment and quick reply,
// and an assignment, close or open part that carries a body (a teammate can
// reply and close, or reply and assign, in one step). Notes and silent events
// are not visible.
func IsVisible(p Part) bool {
	switch {
	case p.Type == PartComment || p.Type == PartQuickReply:
		return true
	case IsAssignment(p) || p.Type == PartClose || p.Type == PartOpen:
		return p.HasBody
	}
	return false
}

// IsBodyEvent reports whether p is an assignment, close or open part carrying
// a body: visible, but whether it counts as a reply is a variant of the
// definitions (see the metrics package).
func IsBodyEvent(p Part) bool {
	return p.HasBody && (IsAssignment(p) || p.Type == PartClose || p.Type == PartOpen)
}

// IsAssignment reports whether p assigns the conversation.
func IsAssignment(p Part) bool {
	switch p.Type {
	case PartAssignment, PartAssignAndReopen, PartDefaultAssign, PartAwayAssign, PartStrategyAssign:
		return true
	}
	return false
}

// IsClose reports whether p closes the conversation.
func IsClose(p Part) bool { return p.Type == PartClose }

// IsExplicitReopen reports whether p opens a closed conversation by itself
// (a teammate's open, or assign-and-reopen). A customer's reply to a closed
// conversation reopens it too; that depends on the state, see metrics.
func IsExplicitReopen(p Part) bool { return p.Type == PartOpen || p.Type == PartAssignAndReopen }

// KnownPartType reports whether icrecon gives the part type a meaning. Other
// types are counted as events and never fail a read.
func KnownPartType(t string) bool {
	switch t {
	case PartComment, PartNote, PartQuickReply, PartOpen, PartClose, PartSnoozed,
		PartAssignment, PartAssignAndReopen, PartDefaultAssign, PartAwayAssign, PartStrategyAssign,
		PartAttributeByUser, PartAttributeCollected:
		return true
	}
	return false
}

// maxPartTypeLength bounds what LooksLikePartType takes for one: Intercom's
// longest have 42 (conversation_attribute_updated_by_workflow).
const maxPartTypeLength = 64

// LooksLikePartType reports whether t has the shape of Intercom's part
// types: lower-case letters, digits and underscores (comment,
// conversation_attribute_updated_by_admin), at most 64 of them. What has
// not (spaces, capitals, punctuation: a name or message text where the type
// belongs) may be personal data, and is not shown as a type.
func LooksLikePartType(t string) bool {
	if t == "" || len(t) > maxPartTypeLength {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// SourceIsContactEvent reports whether the opening message was written by a
// contact (a UserMessage), which makes it the first contact event.
func (c *Conversation) SourceIsContactEvent() bool {
	if IsContact(c.SourceAuthor) {
		return true
	}
	return c.SourceAuthor.Type == "" && c.Initiator == Customer
}
