package main

import (
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"time"
)

const profilePath = "/api/v1/profile"

// profile serves /api/v1/profile: the user whose id is the token's sub.
func (a *API) profile(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPut {
		w.Header().Set("Allow", "GET, PUT")
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+profilePath)
		return
	}
	id, ok := a.authenticate(w, r)
	if !ok {
		return
	}
	if r.Method == http.MethodGet {
		u, err := a.store.Get(id)
		if err != nil {
			a.storeError(w, err) // a valid token for a deleted user: 404
			return
		}
		writeJSON(w, http.StatusOK, u)
		return
	}
	var in UserInput
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "body must be a JSON object")
		return
	}
	u, err := a.store.Update(id, in)
	if err != nil {
		a.storeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// authenticate returns the user id of a valid bearer token. When ok is false it has
// already answered 401, and the handler must return.
func (a *API) authenticate(w http.ResponseWriter, r *http.Request) (id int, ok bool) {
	token, err := bearerToken(r.Header.Get("Authorization"))
	if err == nil {
		id, err = verifyToken(token, a.secret, time.Now())
	}
	if err != nil {
		// WWW-Authenticate tells the client which credentials to send (RFC 6750).
		if errors.Is(err, errNoToken) {
			w.Header().Set("WWW-Authenticate", `Bearer`)
		} else {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		}
		log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
		// Say little: "signature is invalid" helps an attacker more than a user. Only
		// "token expired" is worth telling, because a client reacts by getting a new one.
		writeError(w, http.StatusUnauthorized, err.Error())
		return 0, false
	}
	return id, true
}
