// Command user-rpc serves UserService (userpb/user.proto) over plaintext HTTP/2. Start here.
//
// Run it with `PORT=50051 go run .`; `course check user-rpc` builds it, starts it and tells
// you which stage to work on. userpb/ holds the code protoc generated from user.proto; the
// README shows the command that makes it again after you change the .proto.
package main

import (
	"log"
	"net"
	"os"

	"google.golang.org/grpc"

	"user-rpc/userpb"
)

// userServer answers UserService. The embedded UnimplementedUserServiceServer answers
// every RPC you have not written yet with the status UNIMPLEMENTED.
type userServer struct {
	userpb.UnimplementedUserServiceServer // by value

	// TODO(get): the users, in memory, and the next id. Many calls run at once: guard
	// them with a sync.Mutex.
}

// TODO(get): GetUser answers the user with that id, or NOT_FOUND.
// TODO(get): CreateUser stores a new user with the next id and answers it.
// TODO(create): INVALID_ARGUMENT for an empty name or an invalid email, ALREADY_EXISTS
// for an email taken (in any letter case).
// TODO(list): ListUsers sends every user, in id order.
// TODO(update-delete): UpdateUser changes only the fields the request sets; DeleteUser.

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "50051"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		log.Fatal(err)
	}
	server := grpc.NewServer()
	userpb.RegisterUserServiceServer(server, &userServer{})
	log.Printf("user-rpc listening on %s", ln.Addr())
	if err := server.Serve(ln); err != nil {
		log.Fatal(err)
	}
}
