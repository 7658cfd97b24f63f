package main

import (
	"encoding/json"
	"net/http"
)

// setLower sets a header under a lower-case name. Go writes the keys of the header map as
// they are, so this sends "content-type:" where Header().Set would send "Content-Type:".
func setLower(w http.ResponseWriter, name string, values ...string) {
	w.Header()[name] = values
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	// A nil canonical entry tells net/http the type is set, so it does not sniff one and
	// add a second Content-Type; nil values are not written.
	w.Header()["Content-Type"] = nil
	setLower(w, "content-type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]any{"error": message, "status": status})
}
