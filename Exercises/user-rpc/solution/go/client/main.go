// Command client calls UserService by hand, the way grpcurl would (it is not installed
// here): one RPC per run, the answer or the status printed.
//
//	go build -o userctl ./client
//	./userctl -addr 127.0.0.1:8080 create "Ada Lovelace" ada@example.com
//	./userctl -addr 127.0.0.1:8080 get 1
//	./userctl -addr 127.0.0.1:8080 update 1 -name "Ada King" -email ada.king@example.com
//	./userctl -addr 127.0.0.1:8080 list
//	./userctl -addr 127.0.0.1:8080 delete 1
//	./userctl -timeout 5ms get 1
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
	"unicode"

	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	"user-rpc/userpb"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:50051", "the server's host:port")
	timeout := flag.Duration("timeout", 10*time.Second, "the call's deadline")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: client [-addr host:port] [-timeout d] create NAME EMAIL | get ID | update ID [-name N] [-email E] | list | delete ID")
	}
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		flag.Usage()
		os.Exit(2)
	}

	conn, err := grpc.Dial(*addr, grpc.WithInsecure())
	if err != nil {
		fail(err)
	}
	defer conn.Close()
	client := userpb.NewUserServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	switch {
	case args[0] == "create" && len(args) == 3:
		show(client.CreateUser(ctx, &userpb.CreateUserRequest{Name: args[1], Email: args[2]}))
	case args[0] == "get" && len(args) == 2:
		show(client.GetUser(ctx, &userpb.GetUserRequest{Id: id(args[1])}))
	case args[0] == "update" && len(args) >= 2:
		fields := flag.NewFlagSet("update", flag.ExitOnError)
		name := fields.String("name", "", "the new name")
		email := fields.String("email", "", "the new email")
		fields.Parse(args[2:])
		req := &userpb.UpdateUserRequest{Id: id(args[1])}
		// Only the flags given are set: an unset optional field means "leave it".
		fields.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "name":
				req.Name = name
			case "email":
				req.Email = email
			}
		})
		show(client.UpdateUser(ctx, req))
	case args[0] == "delete" && len(args) == 2:
		if _, err := client.DeleteUser(ctx, &userpb.DeleteUserRequest{Id: id(args[1])}); err != nil {
			fail(err)
		}
		fmt.Println("deleted")
	case args[0] == "list" && len(args) == 1:
		stream, err := client.ListUsers(ctx, &userpb.ListUsersRequest{})
		if err != nil {
			fail(err)
		}
		for {
			user, err := stream.Recv()
			if err == io.EOF {
				return
			}
			if err != nil {
				fail(err)
			}
			show(user, nil)
		}
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func id(text string) int32 {
	n, err := strconv.ParseInt(text, 10, 32)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%q is not an id\n", text)
		os.Exit(2)
	}
	return int32(n)
}

func show(user *userpb.User, err error) {
	if err != nil {
		fail(err)
	}
	fmt.Printf("User{id: %d, name: %q, email: %q}\n", user.GetId(), user.GetName(), user.GetEmail())
}

// fail prints the call's status as gRPC names it everywhere (NOT_FOUND) and exits.
func fail(err error) {
	s := status.Convert(err)
	fmt.Printf("status %s: %s\n", codeName(s.Code().String()), s.Message())
	os.Exit(1)
}

// codeName turns Go's NotFound into NOT_FOUND.
func codeName(camel string) string {
	var out []rune
	for i, r := range camel {
		if unicode.IsUpper(r) && i > 0 {
			out = append(out, '_')
		}
		out = append(out, unicode.ToUpper(r))
	}
	return string(out)
}
