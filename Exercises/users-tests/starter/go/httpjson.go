package main

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// writeJSON sends v as the body. The order is fixed: headers, then the status, then the
// body; a header set after WriteHeader is silently dropped.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("writing response: %v", err) // too late to change the status
	}
}

// writeError sends the API's one error shape, {"error": "..."}.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

// UserInput is what a client may send: a name and an email, never an id.
type UserInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

const maxNameLength = 100

// emailPattern is deliberately simple: local@domain.tld, with no spaces. Only a mail that
// arrives proves an address works; this catches typos and garbage.
var emailPattern = regexp.MustCompile(`^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`)

// validate returns what is wrong with in, or "" when it is fine. Name and email are kept
// as sent; spaces only matter for deciding that a name is empty.
func (in UserInput) validate() string {
	switch {
	case strings.TrimSpace(in.Name) == "":
		return "name is required"
	case utf8.RuneCountInString(in.Name) > maxNameLength:
		return "name must be at most 100 characters"
	case strings.IndexFunc(in.Name, unicode.IsControl) >= 0:
		return "name must not contain control characters"
	case in.Email == "":
		return "email is required"
	case len(in.Email) > 254 || !emailPattern.MatchString(in.Email):
		return "email must look like name@example.com"
	}
	return ""
}

// decodeUser reads a {"name","email"} body and validates it. When ok is false it has
// already answered, and the handler must return.
func decodeUser(w http.ResponseWriter, r *http.Request) (in UserInput, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20) // a user is tiny; refuse floods
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&in); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, "body is larger than 1 MiB")
		} else {
			writeError(w, http.StatusBadRequest, "body must be a JSON object with a name and an email")
		}
		return in, false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(w, http.StatusBadRequest, "body must hold exactly one JSON object")
		return in, false
	}
	if problem := in.validate(); problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return in, false
	}
	return in, true
}
