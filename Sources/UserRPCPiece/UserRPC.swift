import Grading

/// The user RPC piece: the users service over gRPC (`Exercises/user-rpc/user.proto`,
/// package `user`). Its reference is grpc-swift-2 on plaintext HTTP/2 and runs as a service
/// (`course serve user-rpc`); its checks call a learner's server with a grpc-swift-2 client
/// over loopback.
public enum UserRPC {
    public static let key = ServiceKey<UserRPCServer>("user-rpc")

    public static let service = ServiceDefinition(
        name: "user-rpc",
        summary: "The users service over gRPC (user.proto): the course's reference.",
        discussion: """
            Serves user.UserService over plaintext HTTP/2: GetUser, CreateUser, ListUsers (a stream, in id \
            order), UpdateUser, DeleteUser, with NOT_FOUND, INVALID_ARGUMENT and ALREADY_EXISTS as the users \
            API's rules say, and deadlines honoured. Call it from any gRPC client generated from \
            Exercises/user-rpc/user.proto. Prints every call and its status as it comes.
            """,
        defaultPort: 50051,
        address: .hostPort,
        start: { launch in
            try await UserRPCServer.start(port: launch.port, log: launch.log)
        })

    public static let piece = Piece(id: "user-rpc", suites: [suite], services: [service], variables: [
        ProgramVariable("USER_RPC_ADDR", .service("user-rpc"), summary: "host:port of the reference user RPC server"),
    ])
}
