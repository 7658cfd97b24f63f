"""A Python grpcio client of user.proto that calls every RPC of a UserService server once
(and the error cases), printing one JSON line per call. The test generates user_pb2 and
user_pb2_grpc with grpcio-tools next to this file's copy and passes the address.

    python3 user_client.py 127.0.0.1:50051
"""
import json
import sys

import grpc

import user_pb2
import user_pb2_grpc


def call(name, fn, request, **kwargs):
    try:
        answer = fn(request, **kwargs)
        if name == "ListUsers":
            answer = [{"id": u.id, "name": u.name, "email": u.email} for u in answer]
        elif name == "DeleteUser":
            answer = {}
        else:
            answer = {"id": answer.id, "name": answer.name, "email": answer.email}
        print(json.dumps({"rpc": name, "code": "OK", "answer": answer}), flush=True)
        return answer
    except grpc.RpcError as error:
        print(json.dumps({"rpc": name, "code": error.code().name, "message": error.details()}), flush=True)
        return None


def main():
    with grpc.insecure_channel(sys.argv[1]) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        ada = call("CreateUser", stub.CreateUser, user_pb2.CreateUserRequest(name="Ada Lovelace", email="ada@example.com"))
        call("CreateUser", stub.CreateUser, user_pb2.CreateUserRequest(name="Grace Hopper", email="grace@example.com"))
        call("CreateUser", stub.CreateUser, user_pb2.CreateUserRequest(name="", email="x@example.com"))
        call("CreateUser", stub.CreateUser, user_pb2.CreateUserRequest(name="Ada Again", email="ADA@example.com"))
        call("GetUser", stub.GetUser, user_pb2.GetUserRequest(id=ada["id"]))
        call("GetUser", stub.GetUser, user_pb2.GetUserRequest(id=999999))
        call("UpdateUser", stub.UpdateUser, user_pb2.UpdateUserRequest(id=ada["id"], name="Ada King"))
        call("ListUsers", stub.ListUsers, user_pb2.ListUsersRequest())
        call("DeleteUser", stub.DeleteUser, user_pb2.DeleteUserRequest(id=ada["id"]))
        call("DeleteUser", stub.DeleteUser, user_pb2.DeleteUserRequest(id=ada["id"]))
        call("ListUsers", stub.ListUsers, user_pb2.ListUsersRequest())


if __name__ == "__main__":
    main()
