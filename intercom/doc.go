// Package intercom is icrecon's vocabulary: one Conversation model that every
// source (Reports CSV export, REST API pull) is turned into, the mapping of
// each source's words for how a conversation began, and the small named rules
// that decide who wrote a part and whether the customer saw it.
//
// It imports nothing else of icrecon's, so every other package can depend on it.
package intercom
