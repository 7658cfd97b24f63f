package main

import (
	"errors"
	"sort"
	"strings"
	"sync"
)

type user struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

var (
	errNoUser = errors.New("there is no user with this id")
	errTaken  = errors.New("this email belongs to another user")
)

// store keeps users in a slice ordered by id (ids only grow, so appending keeps the order).
// Ids start at 1001 and step by 10: nothing in the contract says they start at 1 or have
// no gaps.
type store struct {
	mu     sync.Mutex
	nextID int
	users  []user
}

func newStore() *store { return &store{nextID: 1001} }

func (s *store) list() []user {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]user{}, s.users...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *store) index(id int) int {
	for i, u := range s.users {
		if u.ID == id {
			return i
		}
	}
	return -1
}

// takenBy is the id of the user with this email in any letter case, or 0.
func (s *store) takenBy(email string) int {
	for _, u := range s.users {
		if strings.EqualFold(u.Email, email) {
			return u.ID
		}
	}
	return 0
}

func (s *store) get(id int) (user, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.index(id); i >= 0 {
		return s.users[i], nil
	}
	return user{}, errNoUser
}

func (s *store) create(in input) (user, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.takenBy(in.Email) != 0 {
		return user{}, errTaken
	}
	u := user{ID: s.nextID, Name: in.Name, Email: in.Email}
	s.nextID += 10
	s.users = append(s.users, u)
	return u, nil
}

func (s *store) update(id int, in input) (user, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.index(id)
	if i < 0 {
		return user{}, errNoUser
	}
	if owner := s.takenBy(in.Email); owner != 0 && owner != id {
		return user{}, errTaken
	}
	s.users[i] = user{ID: id, Name: in.Name, Email: in.Email}
	return s.users[i], nil
}

func (s *store) remove(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.index(id)
	if i < 0 {
		return errNoUser
	}
	s.users = append(s.users[:i], s.users[i+1:]...)
	return nil
}
