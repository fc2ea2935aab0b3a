// Package fakeintercom is a fake Intercom REST API for testing the pull
// client: an httptest server that lists, searches and retrieves
// conversations in the shapes the OpenAPI description gives them, and that
// can be told to misbehave the ways the real API and the network between do
// (rate limits, 5xx, slow or cut-off answers, a cursor that repeats, a
// conversation that changes or disappears mid-pull).
//
// Only the conversation endpoints exist, and search understands only the
// fields a pull windows on: id, created_at and updated_at.
package fakeintercom
