// Package jsonscan reads a JSON value in place, field by field, decoding only
// what the caller asks for and skipping the rest without allocating. icrecon
// uses it for Intercom API pulls, where most bytes are HTML bodies that are
// never looked at; encoding/json would decode them all.
//
// The scanner works on one complete value held in memory. Errors are sticky:
// after the first one every call returns a zero result and Err reports it.
package jsonscan
