package intercom

// Part types icrecon gives meaning to. The API declares no enum for
// part_type; any other value is an event without message semantics.
const (
	PartComment            = "comment"
	PartNote               = "note"
	PartQuickReply         = "quick_reply"
	PartOpen               = "open"
	PartClose              = "close"
	PartSnoozed            = "snoozed"
	PartAssignment         = "assignment"
	PartAssignAndReopen    = "assign_and_reopen"
	PartDefaultAssign      = "default_assignment"
	PartAwayAssign         = "away_mode_assignment"
	PartStrategyAssign     = "message_strategy_assignment"
	PartAttributeByUser    = "conversation_attribute_updated_by_user"
	PartAttributeCollected = "attribute_collected"
)

// Part is one entry of a conversation's history.
type Part struct {
	ID         string
	Type       string // part_type, verbatim
	CreatedAt  Instant
	Author     Author
	HasBody    bool   // a non-empty body: the customer sees something
	AssignedTo string // id of the admin or team assigned by this part, "" if none
	// AppPackageCode is set when the part was created through an integration.
	AppPackageCode string
}

// Author types the API uses for conversation parts and sources.
const (
	AuthorUser    = "user"
	AuthorLead    = "lead"
	AuthorContact = "contact"
	AuthorAdmin   = "admin"
	AuthorBot     = "bot"
	AuthorTeam    = "team"
)

// Author wrote a part or the opening message.
type Author struct {
	Type        string
	ID          string
	Name        string
	Email       string
	FromAIAgent bool // written by Fin, Intercom's AI agent
	IsAIAnswer  bool
}
