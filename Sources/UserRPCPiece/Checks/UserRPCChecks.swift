import Grading

extension UserRPC {
    public static let suiteID = "user-rpc"

    /// The stages of the `user-rpc` exercise, by id (its manifest orders them). Every check
    /// calls the server with a grpc-swift-2 client over loopback, as any gRPC client would.
    static let stages: [String: [Check]] = [
        "get": GetChecks.checks,
        "create": CreateChecks.checks,
        "list": ListChecks.checks,
        "update-delete": UpdateDeleteChecks.checks,
        "deadlines": DeadlineChecks.checks,
        "concurrency": ConcurrencyChecks.checks,
    ]

    /// The checks, with the reference run as `course serve user-rpc` (a process, like a
    /// learner's program). The mutants are folders of the exercise.
    static let suite = CheckSuite(id: suiteID, stages: stages, reference: CheckSuite.Reference(.service("user-rpc")))
}
