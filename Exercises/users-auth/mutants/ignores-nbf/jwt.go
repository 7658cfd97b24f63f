package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// A JWT is three base64url parts joined by dots: header.payload.signature. With HS256 the
// signature is HMAC-SHA256(secret, "header.payload"). Only the standard library is used
// here, so every step of the check is visible; golang-jwt does the same work for you.

var (
	errNoToken      = errors.New("missing bearer token")
	errBadToken     = errors.New("invalid token")
	errTokenExpired = errors.New("token expired")
)

// jwtHeader is the first part. alg is chosen by whoever made the token, so it is
// attacker-controlled: only the one algorithm we use is accepted.
type jwtHeader struct {
	Alg string `json:"alg"`
}

// jwtClaims is the second part. Pointers tell "absent" from zero.
type jwtClaims struct {
	Sub json.RawMessage `json:"sub"` // a string of digits (as RFC 7519 says) or a number
	Exp *float64        `json:"exp"` // Unix seconds; required
	Nbf *float64        `json:"nbf"` // Unix seconds; optional
}

// bearerToken takes the token out of "Authorization: Bearer <token>". The scheme is
// case-insensitive; anything else (no header, "Token abc", "Bearer" alone) has no token.
func bearerToken(header string) (string, error) {
	scheme, token, found := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !found || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", errNoToken
	}
	return token, nil
}

// verifyToken checks an HS256 token against secret, in the order that matters: the
// algorithm, then the signature, and only then what the payload says. It returns the user
// id in sub.
func verifyToken(token string, secret []byte, now time.Time) (int, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0, errBadToken
	}

	var header jwtHeader
	if err := decodePart(parts[0], &header); err != nil || header.Alg != "HS256" {
		return 0, errBadToken // alg "none", "HS512", "RS256" ... are all refused
	}

	signature, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return 0, errBadToken
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	// hmac.Equal takes the same time wherever the first difference is, so an attacker
	// cannot find the right signature byte by byte by timing the answers.
	if !hmac.Equal(signature, mac.Sum(nil)) {
		return 0, errBadToken
	}

	var claims jwtClaims
	if err := decodePart(parts[1], &claims); err != nil {
		return 0, errBadToken
	}
	unix := float64(now.Unix())
	if claims.Exp == nil { // a token without an expiry would be valid forever
		return 0, errBadToken
	}
	if unix >= *claims.Exp {
		return 0, errTokenExpired
	}
	_ = claims.Nbf // never compared with the clock
	id, ok := subjectID(claims.Sub)
	if !ok {
		return 0, errBadToken
	}
	return id, nil
}

// decodePart decodes one base64url (unpadded) part as JSON into v.
func decodePart(part string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// subjectID reads sub as a positive user id: "7" or 7.
func subjectID(raw json.RawMessage) (int, bool) {
	var text string
	if err := json.Unmarshal(raw, &text); err == nil {
		id, err := strconv.Atoi(text)
		return id, err == nil && id > 0 && strings.Trim(text, "0123456789") == ""
	}
	var number float64
	if err := json.Unmarshal(raw, &number); err == nil && number >= 1 && number == math.Trunc(number) && number <= math.MaxInt32 {
		return int(number), true
	}
	return 0, false
}
