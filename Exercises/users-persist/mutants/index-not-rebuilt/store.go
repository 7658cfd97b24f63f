package main

import (
	"errors"
	"fmt"
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

// Store keeps the users in memory for reading and in a file for surviving restarts. Every
// change is written to the file before the method returns, so when a handler answers 201,
// the user is on disk: a crash one instant later loses nothing that was acknowledged.
//
// It is safe for concurrent use: mu is held for the whole change, file write included, so
// two writers never interleave and the file always matches a state the API has shown.
type Store struct {
	mu      sync.Mutex
	file    *dataFile
	nextID  int            // the id the next Create hands out; it only ever grows, and is saved
	users   map[int]User   // by id
	byEmail map[string]int // lower-cased email -> id
}

// OpenStore loads the users and the id counter from path. A missing file is an empty store.
func OpenStore(path string) (*Store, error) {
	file := &dataFile{path: path}
	data, err := file.load()
	if err != nil {
		return nil, err
	}
	s := &Store{file: file, nextID: data.NextID, users: make(map[int]User), byEmail: make(map[string]int)}
	for _, u := range data.Users {
		if _, dup := s.byEmail[emailKey(u.Email)]; dup || u.ID <= 0 {
			return nil, fmt.Errorf("%s: user %d is invalid or a duplicate", path, u.ID)
		}
		s.users[u.ID] = u
		if u.ID >= s.nextID { // never trust the counter to be ahead of the ids
			s.nextID = u.ID + 1
		}
	}
	return s, nil
}

// save writes the current state to the file. Call it with mu held.
func (s *Store) save() error {
	return s.file.save(storedData{NextID: s.nextID, Users: s.sortedUsers()})
}

func emailKey(email string) string { return strings.ToLower(email) }

// sortedUsers returns the users ordered by id. Call it with mu held.
func (s *Store) sortedUsers() []User {
	out := make([]User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Store) List() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sortedUsers()
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

// Create changes memory, saves, and undoes the change if the save fails, so memory never
// holds a user the file does not. The counter is not wound back: an id that was handed out
// and then lost is simply skipped.
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
	if err := s.save(); err != nil {
		delete(s.users, u.ID)
		delete(s.byEmail, emailKey(u.Email))
		return User{}, err
	}
	return u, nil
}

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
	s.replace(old, u)
	if err := s.save(); err != nil {
		s.replace(u, old)
		return User{}, err
	}
	return u, nil
}

// replace swaps one version of a user for another. Call it with mu held.
func (s *Store) replace(old, u User) {
	delete(s.byEmail, emailKey(old.Email))
	s.users[u.ID] = u
	s.byEmail[emailKey(u.Email)] = u.ID
}

// Delete removes a user. nextID, saved with the users, keeps its id from coming back,
// even after a restart.
func (s *Store) Delete(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return errNotFound
	}
	delete(s.users, id)
	delete(s.byEmail, emailKey(u.Email))
	if err := s.save(); err != nil {
		s.users[id] = u
		s.byEmail[emailKey(u.Email)] = id
		return err
	}
	return nil
}
