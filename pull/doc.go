// Package pull fetches conversations from Intercom's REST API into a folder
// that icrecon's API reader reads like any other pull: conversations.jsonl,
// one conversation with its parts per line, and manifest.json, which says
// what was asked, what was found and what is missing.
//
// A pull searches the period window by window (POST /conversations/search),
// then fetches each conversation by id (GET /conversations/{id}) for its
// parts. It is built to be provably complete or to say exactly what is not:
// every window's search is checked against its total_count, every
// conversation's parts against Intercom's own count, and a conversation that
// changed while it was being fetched is fetched again. It survives rate
// limits, server errors, dropped connections and being killed: running the
// same command again resumes where the file ends, without losing or
// repeating a conversation.
//
// The API token goes to the base URL only, over https, and never to where a
// redirect to another origin points; every message a pull gives passes
// through one Redactor, which hides the token in any spelling a server could
// echo it in.
package pull
