// Command user-rpc serves the course's UserService (userpb/user.proto) over plaintext
// HTTP/2 on 127.0.0.1:$PORT.
//
//	PORT=50051 go run .
package main

import (
	"log"
	"net"
	"os"

	"golang.org/x/net/netutil"
	"google.golang.org/grpc"

	"user-rpc/userpb"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "50051"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		log.Fatal(err)
	}
	ln = netutil.LimitListener(ln, 1)
	server := grpc.NewServer()
	userpb.RegisterUserServiceServer(server, newUserServer())
	log.Printf("user-rpc listening on %s", ln.Addr())
	if err := server.Serve(ln); err != nil {
		log.Fatal(err)
	}
}
