import Hummingbird

/// Routes that exist only for the course's own tests, never part of the contract or
/// `openapi.yaml`: registered only when `UsersAPIServer.Configuration.testHooks` is set,
/// which `course serve users-api` does only when the environment has
/// `COURSE_USERS_API_TEST_HOOKS=1`.
///
/// `GET /__test/sleep/{ms}` answers `{"slept":ms}` after that many milliseconds (at most
/// 60 000): a request that is reliably in flight when a test sends SIGTERM. It logs
/// "test hook: sleeping" when it starts, so the test knows when to signal.
enum TestHooks {
    static func register(on router: Router<UsersAPIRequestContext>) {
        router.get("__test/sleep/:ms") { @Sendable _, context -> Response in
            let ms = min(Int(context.parameters.get("ms") ?? "") ?? 0, 60_000)
            context.logger.notice("test hook: sleeping", metadata: ["ms": "\(ms)"])
            try await Task.sleep(for: .milliseconds(ms))
            return try JSONBody.response(["slept": ms])
        }
    }
}
