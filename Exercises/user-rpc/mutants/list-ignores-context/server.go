package main

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"user-rpc/userpb"
)

// record is a stored user. Generated messages are not stored: they must not be copied, and
// one could be serialised while another goroutine changes it.
type record struct {
	id          int32
	name, email string
}

func (r record) toProto() *userpb.User {
	return &userpb.User{Id: r.id, Name: r.name, Email: r.email}
}

// userServer keeps the users in memory. One mutex guards the map, the email index and the
// id counter together, so a create cannot hand out an id twice or let two users share an
// email.
type userServer struct {
	userpb.UnimplementedUserServiceServer // by value

	mu     sync.Mutex
	nextID int32
	users  map[int32]record
	emails map[string]int32 // lowercased email → id
}

func newUserServer() *userServer {
	return &userServer{nextID: 1, users: map[int32]record{}, emails: map[string]int32{}}
}

func (s *userServer) GetUser(ctx context.Context, req *userpb.GetUserRequest) (*userpb.User, error) {
	s.mu.Lock()
	r, ok := s.users[req.GetId()]
	s.mu.Unlock()
	if !ok {
		return nil, status.Errorf(codes.NotFound, "user %d not found", req.GetId())
	}
	return r.toProto(), nil
}

func (s *userServer) CreateUser(ctx context.Context, req *userpb.CreateUserRequest) (*userpb.User, error) {
	if err := validate(req.GetName(), req.GetEmail()); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, status.FromContextError(err).Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(req.GetEmail())
	if _, taken := s.emails[key]; taken {
		return nil, status.Errorf(codes.AlreadyExists, "email %q already registered", req.GetEmail())
	}
	r := record{id: s.nextID, name: req.GetName(), email: req.GetEmail()}
	s.nextID++
	s.users[r.id] = r
	s.emails[key] = r.id
	return r.toProto(), nil
}

// ListUsers sends every user in id order. It copies them under the lock and sends
// unlocked, so a slow client never holds up the others, and it stops once the call's
// context is done (the deadline passed or the client went away).
func (s *userServer) ListUsers(req *userpb.ListUsersRequest, stream userpb.UserService_ListUsersServer) error {
	s.mu.Lock()
	all := make([]record, 0, len(s.users))
	for _, r := range s.users {
		time.Sleep(2 * time.Millisecond) // one row of a slow query, given no context
		all = append(all, r)
	}
	s.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
	for _, r := range all {
		if err := stream.Send(r.toProto()); err != nil {
			return err
		}
	}
	return nil
}

// UpdateUser changes the fields the request sets (name, email, or both) and leaves the
// others as they are.
func (s *userServer) UpdateUser(ctx context.Context, req *userpb.UpdateUserRequest) (*userpb.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[req.GetId()]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "user %d not found", req.GetId())
	}
	name, email := r.name, r.email
	if req.Name != nil {
		name = req.GetName()
	}
	if req.Email != nil {
		email = req.GetEmail()
	}
	if err := validate(name, email); err != nil {
		return nil, err
	}
	key := strings.ToLower(email)
	if owner, taken := s.emails[key]; taken && owner != r.id {
		return nil, status.Errorf(codes.AlreadyExists, "email %q already registered", email)
	}
	delete(s.emails, strings.ToLower(r.email))
	r.name, r.email = name, email
	s.users[r.id] = r
	s.emails[key] = r.id
	return r.toProto(), nil
}

func (s *userServer) DeleteUser(ctx context.Context, req *userpb.DeleteUserRequest) (*userpb.DeleteUserResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[req.GetId()]
	if !ok {
		return nil, status.Errorf(codes.NotFound, "user %d not found", req.GetId())
	}
	delete(s.users, r.id)
	delete(s.emails, strings.ToLower(r.email))
	return &userpb.DeleteUserResponse{}, nil
}
