package request

import (
	"fmt"
	"net/http"
)

// Error is an error with the HTTP status and the message a client should see.
// Param names the query parameter at fault, for a 400.
type Error struct {
	Status  int
	Message string
	Param   string
}

func (e *Error) Error() string { return e.Message }

// BadParam is a 400 about one query parameter. The message must say what was
// wrong and what is allowed.
func BadParam(param, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Param: param, Message: fmt.Sprintf(format, args...)}
}

// NotFound is a 404 with a message for the client.
func NotFound(format string, args ...any) *Error {
	return &Error{Status: http.StatusNotFound, Message: fmt.Sprintf(format, args...)}
}
