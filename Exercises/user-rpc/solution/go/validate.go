package main

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// emailPattern is local@domain.tld: something before a single @, a domain with a dot, no
// spaces.
var emailPattern = regexp.MustCompile(`^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`)

// validate returns an InvalidArgument status saying which rule name or email breaks.
func validate(name, email string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return status.Error(codes.InvalidArgument, "name must not be empty")
	case utf8.RuneCountInString(name) > 100:
		return status.Error(codes.InvalidArgument, "name must be at most 100 characters")
	case !emailPattern.MatchString(email):
		return status.Errorf(codes.InvalidArgument, "email %q must be an address like name@example.com", email)
	}
	return nil
}
