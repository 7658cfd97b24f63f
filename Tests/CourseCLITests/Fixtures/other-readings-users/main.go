// Command users is a correct users server written the other way wherever the exercises'
// READMEs leave a choice open. The checks must pass it: it serves hello-users (GET /users),
// users-api and users-auth (GET|PUT /api/v1/profile) from one program.
//
// The readings it takes, each different from the sample solutions and the reference:
//
//   - {id} is parsed with strconv.Atoi: "-1" and "0" name no user (404), a number too
//     large for an int is not an id (400); "abc", "1.5", "12abc" are 400.
//   - Ids start at 1001 and grow by 10, so they have gaps and do not start at 1.
//   - Header names are sent in lower case (content-type, allow, www-authenticate);
//     Content-Type is "application/json;charset=UTF-8" (no space, upper-case charset).
//   - Error bodies carry more than "error": {"error": "...", "status": 404}.
//   - Bodies carry extra fields: the hello list has "total" and each user "active".
//   - 405 on /users and /api/v1/users sends two Allow header lines, HEAD before GET; on
//     /api/v1/users/{id} one line in lower case with HEAD and OPTIONS added.
//   - /api/v1/users/7/posts is 404 from the subtree handler, /nope from the "/" handler.
//   - Emails are checked with net/mail.ParseAddress (a bare address, a dot in the
//     domain) instead of a regular expression; duplicates are found with strings.EqualFold.
//   - A request body is read whole and decoded into raw members, so a name that is not a
//     string is named in the error; trailing data after the object is refused.
//   - No Location header on 201; /api/v1/users/ (trailing slash) is the collection too.
//   - Tokens: "bearer" in any letter case; exp, nbf and iat are judged with five minutes
//     of leeway for clock skew; sub may be a string or a number; the 401 says which rule
//     failed and its WWW-Authenticate carries realm and error="invalid_token".
//
// Without JWT_SECRET (hello-users and users-api do not set it) every token is refused.
package main

import (
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	secret := os.Getenv("JWT_SECRET")
	if secret == "" {
		log.Print("JWT_SECRET is not set: the profile refuses every token")
	}
	srv := &http.Server{
		Addr:              "127.0.0.1:" + port,
		Handler:           routes(newStore(), []byte(secret)),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Printf("listening on http://%s", srv.Addr)
	log.Fatal(srv.ListenAndServe())
}
