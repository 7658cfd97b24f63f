package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// leeway is how far exp, nbf and iat may be off for clock skew between machines (five
// minutes, the default of .NET's token validation).
const leeway = 5 * time.Minute

func profile(store *store, secret []byte, w http.ResponseWriter, r *http.Request) {
	id, err := bearerSubject(r.Header.Get("Authorization"), secret, time.Now())
	if err != nil {
		setLower(w, "www-authenticate", `Bearer realm="users", error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, err.Error())
		return
	}
	switch r.Method {
	case http.MethodGet:
		u, err := store.get(id)
		if err != nil {
			storeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, u)
	case http.MethodPut:
		in, ok := readInput(w, r)
		if !ok {
			return
		}
		u, err := store.update(id, in)
		if err != nil {
			storeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, u)
	default:
		setLower(w, "allow", "PUT", "GET")
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not served here")
	}
}

// bearerSubject checks an "Authorization: bearer <jwt>" header (scheme in any case) and
// returns the user id in its sub claim.
func bearerSubject(header string, secret []byte, now time.Time) (int, error) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(header), " ")
	if !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(token) == "" {
		return 0, errors.New("a bearer token is required")
	}
	if len(secret) == 0 {
		return 0, errors.New("this server accepts no tokens")
	}
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return 0, errors.New("the token is not header.claims.signature")
	}
	var head struct {
		Alg string `json:"alg"`
	}
	if decodePart(parts[0], &head) != nil || head.Alg != "HS256" {
		return 0, errors.New("the token's header is not HS256")
	}
	signature, err := base64.RawURLEncoding.DecodeString(parts[2])
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if err != nil || !hmac.Equal(signature, mac.Sum(nil)) {
		return 0, errors.New("the token's signature is wrong")
	}
	var claims struct {
		Sub json.RawMessage `json:"sub"`
		Exp *float64        `json:"exp"`
		Nbf *float64        `json:"nbf"`
		Iat *float64        `json:"iat"`
	}
	if decodePart(parts[1], &claims) != nil {
		return 0, errors.New("the token's claims are not JSON")
	}
	clock := float64(now.Unix())
	skew := leeway.Seconds()
	switch {
	case claims.Exp == nil:
		return 0, errors.New("the token has no exp")
	case *claims.Exp+skew <= clock:
		return 0, errors.New("token expired")
	case claims.Nbf != nil && *claims.Nbf-skew > clock:
		return 0, errors.New("the token is not valid yet")
	case claims.Iat != nil && *claims.Iat-skew > clock:
		return 0, errors.New("the token was issued in the future")
	}
	var text string
	if json.Unmarshal(claims.Sub, &text) != nil {
		text = string(claims.Sub) // a number: its JSON text is its digits
	}
	id, err := strconv.Atoi(text)
	if err != nil {
		return 0, errors.New("the token's sub is not a user id")
	}
	return id, nil
}

func decodePart(part string, into any) error {
	raw, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, into)
}
