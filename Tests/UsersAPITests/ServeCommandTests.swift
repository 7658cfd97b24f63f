import Foundation
import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `course serve users-api` as a real process, exercised by real clients.
@Suite(.serialized) struct ServeUsersAPICommandTests {
    static let secret = "serve-test-secret-of-at-least-32-bytes"

    @Test("curl and Python requests scripts pass against the served reference")
    func realClients() async throws {
        let curlServer = try ServedUsersAPI(["--jwt-secret", Self.secret])
        let curl = try await ExternalTool.run(["sh", ServedUsersAPI.scripts.appendingPathComponent("curl_contract.sh").path, curlServer.baseURL])
        #expect(curl.contains("curl: all good"))

        let pythonServer = try ServedUsersAPI([], environment: ["JWT_SECRET": Self.secret])
        let python = try await ExternalTool.run(["python3", ServedUsersAPI.scripts.appendingPathComponent("requests_contract.py").path,
                                           pythonServer.baseURL, Self.secret])
        #expect(python.contains("requests: all good"))
        #expect(curlServer.terminate() == .exited(0))
        #expect(pythonServer.terminate() == .exited(0))
    }

    @Test("SIGTERM lets a request in flight finish, refuses new ones, and exits 0")
    func gracefulShutdown() async throws {
        let server = try ServedUsersAPI(["--jwt-secret", Self.secret], environment: ["COURSE_USERS_API_TEST_HOOKS": "1"])
        let folder = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("slow").path
        let slow = try ChildProcess.spawn(.init(
            arguments: ["curl", "-sS", "-w", " %{http_code}", "\(server.baseURL)/__test/sleep/1500"],
            environment: ExternalTool.environment, stdout: .file(output), stderr: .file(output + ".err")))
        defer {
            if slow.poll() == nil { slow.sendToGroup(SIGKILL); slow.wait() }
        }
        #expect(server.waitForLog("test hook: sleeping"), "the slow request never reached the server: \(server.stderr)")
        server.child.send(SIGTERM)
        // The listener closes at once: a new connection is refused while the slow one runs.
        var refused = false
        for _ in 0..<50 where !refused {
            refused = (try? await ExternalTool.run(["curl", "-sS", "--max-time", "2", "\(server.baseURL)/healthz"], timeout: 10)) == nil
            if !refused { usleep(20_000) }
        }
        #expect(refused, "the server kept accepting connections after SIGTERM")
        #expect(slow.wait(timeout: 20) == .exited(0))
        #expect((try? String(contentsOfFile: output, encoding: .utf8)) == #"{"slept":1500} 200"#)
        #expect(server.child.wait(timeout: 20) == .exited(0), "stderr: \(server.stderr)")
    }

    @Test("the test hook route does not exist without its environment variable")
    func hooksAreOffByDefault() async throws {
        let server = try ServedUsersAPI(["--jwt-secret", Self.secret])
        let reply = try await ExternalTool.run(["curl", "-sS", "-w", " %{http_code}", "\(server.baseURL)/__test/sleep/1"])
        #expect(reply.hasSuffix(" 404"))
        #expect(server.terminate() == .exited(0))
    }

    @Test("a port in use is a clear error with exit status 2")
    func portInUse() throws {
        let server = try ServedUsersAPI(["--jwt-secret", Self.secret])
        let folder = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let second = try ChildProcess.spawn(.init(
            arguments: [ServedUsersAPI.binary.path, "serve", "users-api", "--port", "\(server.port)", "--jwt-secret", Self.secret],
            environment: ExternalTool.environment, stdout: .file(folder.appendingPathComponent("out").path),
            stderr: .file(folder.appendingPathComponent("err").path)))
        let ended = second.wait(timeout: 20) ?? { second.sendToGroup(SIGKILL); return second.wait() }()
        #expect(ended == .exited(2))
        let message = (try? String(contentsOf: folder.appendingPathComponent("err"), encoding: .utf8)) ?? ""
        #expect(message.contains("users-api could not run"), "\(message)")
        #expect(server.terminate() == .exited(0))
    }

    @Test("schemathesis finds nothing against the OpenAPI document",
          .enabled(if: Python.canImport("schemathesis"),
                   "schemathesis cannot be imported: run scripts/setup.sh --tests (pip install schemathesis)"))
    func schemathesis() async throws {
        let server = try ServedUsersAPI(["--jwt-secret", Self.secret])
        let created = try await ExternalTool.run(["curl", "-sS", "-H", "Content-Type: application/json", "--data-binary",
                                            #"{"name":"Profile","email":"profile@example.com"}"#, "\(server.baseURL)/api/v1/users"])
        #expect(created.contains(#""id":1"#))
        let token = try await Python.run("""
            import base64, hashlib, hmac, json, sys, time
            segment = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
            signing = segment(b'{"alg":"HS256","typ":"JWT"}') + "." + segment(json.dumps({"sub": "1", "exp": int(time.time()) + 3600}).encode())
            print(signing + "." + segment(hmac.new(sys.argv[1].encode(), signing.encode(), hashlib.sha256).digest()))
            """.replacingOccurrences(of: "sys.argv[1]", with: "'\(Self.secret)'"), input: "").trimmingCharacters(in: .whitespacesAndNewlines)
        let folder = try ExternalTool.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Exit status 0 is the verdict: ExternalTool.run throws with the report otherwise.
        try await ExternalTool.run([
            "python3", "-m", "schemathesis.cli", "run", ServedUsersAPI.openAPI.path, "--url", server.baseURL,
            "--checks", "all", "--max-examples", "40", "--generation-deterministic", "--no-color",
            "--header", "Authorization: Bearer \(token)", "--report-dir", folder.path,
        ], timeout: 300, directory: folder.path) // its .schemathesis/ cache lands there, not in the repository
        #expect(server.terminate() == .exited(0), "stderr: \(server.stderr)")
    }
}
