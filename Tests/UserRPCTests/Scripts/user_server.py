"""A UserService server in Python grpcio, written from the user-rpc README alone: a correct
server in another stack, which the course's checks must pass (a check it fails is wrong).

    PORT=50051 python3 user_server.py
"""
import os
import re
import threading
import time
from concurrent import futures

import grpc

import user_pb2
import user_pb2_grpc

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def problem(name, email):
    if not name.strip():
        return "name must not be empty"
    if len(name) > 100:
        return "name must be at most 100 characters"
    if not EMAIL.match(email):
        return "email must be an address like name@example.com"
    return None


class Users(user_pb2_grpc.UserServiceServicer):
    def __init__(self):
        self.lock = threading.Lock()
        self.users = {}
        self.emails = {}
        self.next_id = 1

    def GetUser(self, request, context):
        with self.lock:
            user = self.users.get(request.id)
        if user is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"user {request.id} not found")
        return user_pb2.User(**user)

    def CreateUser(self, request, context):
        why = problem(request.name, request.email)
        if why:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, why)
        with self.lock:
            key = request.email.lower()
            if key in self.emails:
                context.abort(grpc.StatusCode.ALREADY_EXISTS, f"email {request.email} already registered")
            user = {"id": self.next_id, "name": request.name, "email": request.email}
            self.next_id += 1
            self.users[user["id"]] = user
            self.emails[key] = user["id"]
        return user_pb2.User(**user)

    def ListUsers(self, request, context):
        with self.lock:
            users = [dict(self.users[i]) for i in sorted(self.users)]
        for user in users:
            if not context.is_active():
                return
            yield user_pb2.User(**user)

    def UpdateUser(self, request, context):
        with self.lock:
            user = self.users.get(request.id)
            if user is None:
                context.abort(grpc.StatusCode.NOT_FOUND, f"user {request.id} not found")
            name = request.name if request.HasField("name") else user["name"]
            email = request.email if request.HasField("email") else user["email"]
            why = problem(name, email)
            if why:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, why)
            owner = self.emails.get(email.lower())
            if owner is not None and owner != request.id:
                context.abort(grpc.StatusCode.ALREADY_EXISTS, f"email {email} already registered")
            del self.emails[user["email"].lower()]
            user.update(name=name, email=email)
            self.emails[email.lower()] = request.id
            return user_pb2.User(**user)

    def DeleteUser(self, request, context):
        with self.lock:
            user = self.users.pop(request.id, None)
            if user is None:
                context.abort(grpc.StatusCode.NOT_FOUND, f"user {request.id} not found")
            del self.emails[user["email"].lower()]
        return user_pb2.DeleteUserResponse()


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=int(os.environ.get("WORKERS", "64"))))
    user_pb2_grpc.add_UserServiceServicer_to_server(Users(), server)
    server.add_insecure_port(f"127.0.0.1:{os.environ.get('PORT', '50051')}")
    server.start()
    print("python user server listening", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
