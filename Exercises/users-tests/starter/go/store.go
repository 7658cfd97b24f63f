package main

import (
	"errors"
	"sort"
	"strings"
	"sync"
)

// User is one user as the API shows it.
type User struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

var (
	errNotFound  = errors.New("no user with this id")
	errDuplicate = errors.New("another user already has this email")
)

// Store keeps the users in memory. It is safe for concurrent use: every method takes mu,
// so the handlers, which the server runs in many goroutines at once, never touch the maps
// directly.
type Store struct {
	mu      sync.Mutex
	nextID  int            // the id the next Create hands out; it only ever grows
	users   map[int]User   // by id
	byEmail map[string]int // lower-cased email -> id, so uniqueness is one lookup
}

func NewStore() *Store {
	return &Store{nextID: 1, users: make(map[int]User), byEmail: make(map[string]int)}
}

// emailKey is how emails are compared: ADA@example.com and ada@example.com are one address.
func emailKey(email string) string { return strings.ToLower(email) }

// List returns every user ordered by id. The slice is never nil, so it encodes as [] and
// not null.
func (s *Store) List() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Store) Get(id int) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return User{}, errNotFound
	}
	return u, nil
}

// Create checks the email and inserts under one lock: checking first and inserting later
// would let two concurrent requests with the same email both succeed.
func (s *Store) Create(in UserInput) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.byEmail[emailKey(in.Email)]; taken {
		return User{}, errDuplicate
	}
	u := User{ID: s.nextID, Name: in.Name, Email: in.Email}
	s.nextID++
	s.users[u.ID] = u
	s.byEmail[emailKey(u.Email)] = u.ID
	return u, nil
}

// Update replaces a user's name and email. Keeping one's own email is fine; taking
// another user's is a conflict.
func (s *Store) Update(id int, in UserInput) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.users[id]
	if !ok {
		return User{}, errNotFound
	}
	if owner, taken := s.byEmail[emailKey(in.Email)]; taken && owner != id {
		return User{}, errDuplicate
	}
	u := User{ID: id, Name: in.Name, Email: in.Email}
	delete(s.byEmail, emailKey(old.Email))
	s.users[id] = u
	s.byEmail[emailKey(u.Email)] = id
	return u, nil
}

// Delete removes a user. Its id is not handed out again: nextID is left alone.
func (s *Store) Delete(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return errNotFound
	}
	delete(s.users, id)
	delete(s.byEmail, emailKey(u.Email))
	return nil
}
