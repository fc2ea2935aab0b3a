package fakeintercom

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// reply is a whole answer, built before anything is written so that a drop
// fault can announce its full length and then send half of it.
type reply struct {
	status      int
	contentType string
	body        []byte
}

func jsonReply(status int, body []byte) reply {
	return reply{status: status, contentType: "application/json", body: body}
}

// errorList is the reference's error schema.
type errorList struct {
	Type      string      `json:"type"`
	RequestID string      `json:"request_id"`
	Errors    []errorItem `json:"errors"`
}

type errorItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func errorReply(status int, code, field, message string) reply {
	body, _ := json.Marshal(errorList{Type: "error.list", RequestID: newRequestID(),
		Errors: []errorItem{{Code: code, Message: message, Field: field}}})
	return jsonReply(status, body)
}

func notFound() reply {
	return errorReply(http.StatusNotFound, "not_found", "", "Resource Not Found")
}

// badRequest answers a request the API would refuse.
func badRequest(err error) reply {
	if qe, ok := err.(*queryError); ok {
		return errorReply(http.StatusBadRequest, qe.code, qe.field, qe.message)
	}
	return errorReply(http.StatusBadRequest, "bad_request", "", err.Error())
}

// serverErrorReply answers a 5xx. Intercom's own 500 is an error.list; a
// 502 or 503 comes from a proxy in front of it, as an HTML page, which a
// client must not try to read as JSON.
func serverErrorReply(status int) reply {
	if status == http.StatusInternalServerError {
		return errorReply(status, "server_error", "", "Server Error")
	}
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	page := "<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text +
		"</h1></center>\r\n</body>\r\n</html>\r\n"
	return reply{status: status, contentType: "text/html", body: []byte(page)}
}

// newRequestID makes a UUID v4, the request_id format in the reference.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func writeReply(w http.ResponseWriter, rep reply) {
	writeHead(w, rep)
	w.Write(rep.body)
}

// writeHalf sends the head with the full Content-Length, half the body, and
// then kills the connection, as a dropped connection looks to a client.
func writeHalf(w http.ResponseWriter, rep reply) {
	writeHead(w, rep)
	w.Write(rep.body[:len(rep.body)/2])
	http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler)
}

func writeHead(w http.ResponseWriter, rep reply) {
	h := w.Header()
	h.Set("Content-Type", rep.contentType)
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	w.WriteHeader(rep.status)
}

// sleep waits d, or less if ctx ends first (the client gave up, or the
// server is closing); it tells whether the whole wait passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
