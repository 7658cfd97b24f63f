package main

import (
	"net/http"
	"strings"
)

// subjectUnverified reads the token's sub without checking its signature: the bug.
func (a *API) subjectUnverified(w http.ResponseWriter, r *http.Request) (int, bool) {
	token, err := bearerToken(r.Header.Get("Authorization"))
	parts := strings.Split(token, ".")
	var claims jwtClaims
	if err == nil && len(parts) == 3 && decodePart(parts[1], &claims) == nil {
		if id, ok := subjectID(claims.Sub); ok {
			return id, true
		}
	}
	w.Header().Set("WWW-Authenticate", "Bearer")
	writeError(w, http.StatusUnauthorized, "invalid token")
	return 0, false
}
