import Foundation
import Grading
import Testing

/// What a learner types, as lessons and exercise READMEs write it, works in their folder
/// after setup: Go's own configuration points at the course's offline module proxy, so
/// `go run .`, `go vet`, `go test`, `go mod init`, `go get` and `go mod tidy` work with
/// nothing else set, and every exercise README's "by hand" commands run as written.
extension GoBuildingSuites {
@Suite struct LearnerGoCommandsTests {
    static let repository = CLIHarness.repositoryRoot

    /// Runs `script` with bash in `folder` with the learner's own environment (so Go reads
    /// the user configuration setup wrote), in a process group that is killed afterwards.
    /// Only the module cache is the test's own (and writable, so it can be removed).
    static func bash(_ script: String, in folder: URL, seconds: Double = 240) async throws -> (status: ChildProcess.Termination?, output: String) {
        let log = folder.deletingLastPathComponent().appendingPathComponent("log-\(UUID().uuidString)")
        var environment = ProcessInfo.processInfo.environment
        environment["GOMODCACHE"] = folder.deletingLastPathComponent().appendingPathComponent("gomod").path
        environment["GOFLAGS"] = "-modcacherw"
        for name in ["GOPROXY", "GOSUMDB", "GO111MODULE", "GOPATH", "COURSE_ROOT"] { environment[name] = nil }
        // One descriptor for both streams: two opens of the log would write over each other.
        let child = try ChildProcess.spawn(.init(arguments: ["/bin/bash", "-c", "exec 2>&1\n" + script], environment: environment, directory: folder.path,
                                                 stdout: .file(log.path), stderr: .file(log.path, append: true), group: .newGroup))
        let status = await child.waitAsync(timeout: seconds)
        child.sendToGroup(SIGKILL)
        if status == nil { _ = await child.waitAsync() }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (status, output)
    }

    static func scratch() throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("learner-go-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        return base
    }

    /// Waits (in the script) until the port accepts connections, for at most a minute: curl's
    /// exit status 7 is "could not connect"; any other status means something listens, HTTP
    /// or not (the cache answers RESP, which curl calls an error). Safe under `set -e`.
    static func waitForServer(_ port: Int) -> String {
        "for i in $(seq 600); do status=0; curl -s -m 2 -o /dev/null http://127.0.0.1:\(port)/ || status=$?; [ $status -ne 7 ] && break; sleep 0.1; done"
    }

    @Test func goIsConfiguredToUseThisCoursesProxy() async throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let result = try await Self.bash("go env GOPROXY GOSUMDB", in: folder)
        let want = "file://\(Self.repository.appendingPathComponent(".go-proxy").path)\noff\n"
        #expect(result.output == want, "go env says \(result.output): run scripts/setup.sh in \(Self.repository.path) (it configures Go)")
    }

    /// A starter folder: `go vet`, `go build`, `go test` and `PORT=… go run .` as written.
    @Test(arguments: ["hello-users", "users-api"]) func theStarterIsAModuleGoWorksIn(_ exercise: String) async throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent(exercise)
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Exercises/\(exercise)/starter/go"), to: folder)
        let port = try LoopbackSocket.freePort()
        let result = try await Self.bash("""
            set -e
            go vet ./...
            go build
            go test ./...
            PORT=\(port) go run . &
            \(Self.waitForServer(port))
            curl -s -o /dev/null -w 'status %{http_code}\\n' http://127.0.0.1:\(port)/users
            """, in: folder)
        #expect(result.status == .exited(0), "\(result.output)")
        #expect(result.output.contains("no test files"), "\(result.output)")
        #expect(result.output.range(of: #"status [1-5][0-9][0-9]"#, options: .regularExpression) != nil, "the program answered: \(result.output)")
    }

    /// Lesson 1's way to start a project, then a framework from the proxy: `go mod init`,
    /// `go get gin@v1.8.1`, code importing gin and testify, `go mod tidy`, build, vet, test, run.
    @Test func aNewModuleGetsGinAndTestifyOffline() async throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent("ping")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let port = try LoopbackSocket.freePort()
        let result = try await Self.bash("""
            set -e
            go mod init example.com/ping
            go get github.com/gin-gonic/gin@v1.8.1
            cat > main.go <<'EOF'
            package main

            import (
            \t"os"

            \t"github.com/gin-gonic/gin"
            )

            func router() *gin.Engine {
            \tr := gin.New()
            \tr.GET("/ping", func(c *gin.Context) { c.JSON(200, gin.H{"pong": true}) })
            \treturn r
            }

            func main() { router().Run("127.0.0.1:" + os.Getenv("PORT")) }
            EOF
            cat > main_test.go <<'EOF'
            package main

            import (
            \t"net/http/httptest"
            \t"testing"

            \t"github.com/stretchr/testify/assert"
            )

            func TestPing(t *testing.T) {
            \tw := httptest.NewRecorder()
            \trouter().ServeHTTP(w, httptest.NewRequest("GET", "/ping", nil))
            \tassert.Equal(t, 200, w.Code)
            \tassert.JSONEq(t, `{"pong":true}`, w.Body.String())
            }
            EOF
            echo '--- go mod tidy'
            go mod tidy
            go build
            go vet ./...
            go test ./...
            PORT=\(port) ./ping &
            \(Self.waitForServer(port))
            curl -s http://127.0.0.1:\(port)/ping; echo
            echo '--- go.mod'
            cat go.mod
            """, in: folder)
        #expect(result.status == .exited(0), "\(result.output)")
        #expect(result.output.contains("{\"pong\":true}"), "\(result.output)")
        #expect(result.output.contains("github.com/stretchr/testify v1.8.1"), "\(result.output)")
        #expect(result.output.contains("ok  \texample.com/ping"), "\(result.output)")
    }

    /// Each README's "by hand" block, taken from the README as the learner reads it and run
    /// against the sample solution: the port is a free one instead of 8080, files go to a
    /// test folder instead of /tmp, and where the learner would wait for the server to start
    /// before typing on, the script waits too.
    @Test(arguments: [
        ("hello-users", ["HTTP/1.1 200 OK", "\"users\""]),
        ("users-api", ["HTTP/1.1 201 Created", "HTTP/1.1 204 No Content", "Ada King"]),
        ("users-auth", ["HTTP/1.1 200 OK", "ada@example.com"]),
        ("users-graceful", ["exit status 0"]),
        ("users-persist", ["Ada Lovelace"]),
        ("cache", ["PONG", "hello world", "keyspace_hits:1"]),
        ("cache-aside", ["Ada Lovelace", "keyspace_hits:1", "keyspace_misses:1"]),
        ("user-rpc", ["User{id: 1, name: \"Ada Lovelace\", email: \"ada.king@example.com\"}", "deleted", "status NOT_FOUND: user 1 not found"]),
        ("pipeline-basics", ["9\n16\n144\n", "line 3: \"five\" is not an integer", "exit status 1", "real"]),
        ("pipeline", ["\n1 2\n", "\n19 38\n", "\n20 40\n", "4 in flight"]),
        ("pipeline-resilient", ["\n3 6\n", "\n5 error gave up after 4 attempts", "\n6 error upstream answered 404", "\n12 24\n"]),
    ]) func theByHandCommandsOfTheReadmeRun(_ exercise: String, _ expected: [String]) async throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("Exercises/\(exercise)/README.md"), encoding: .utf8)
        let (server, block) = try #require(Self.byHand(readme), "no \"by hand\" passage in Exercises/\(exercise)/README.md")
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = base.appendingPathComponent(exercise)
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Exercises/\(exercise)/solution/go"), to: folder)
        let port = try LoopbackSocket.freePort()
        let cachePort = try LoopbackSocket.freePort()
        let upstreamPort = try LoopbackSocket.freePort()
        func adapt(_ line: String) -> String {
            line.replacingOccurrences(of: "8080", with: "\(port)").replacingOccurrences(of: "6380", with: "\(cachePort)")
                .replacingOccurrences(of: "8081", with: "\(upstreamPort)")
                .replacingOccurrences(of: "/tmp/", with: "\(base.path)/")
                .replacingOccurrences(of: "course serve", with: "\(CLIHarness.binary.path) serve")
        }
        var script: [String] = []
        if let server {
            script += [adapt(server) + " &", Self.waitForServer(port)]
        }
        for line in block {
            let background = line.trimmingCharacters(in: .whitespaces).hasSuffix("&")
            if line.hasPrefix("course serve upstream"), !background {
                // The learner leaves the upstream running in one terminal and types on in another.
                script += [adapt(line) + " &", Self.waitForServer(upstreamPort)]
                continue
            }
            // `go run .` fed by a pipe is a program that ends with its input, not a server.
            let starts = line.contains("go run .") && !line.contains("|") || line.hasPrefix("PORT=") && line.contains("./")
            // A server started in the foreground is one the learner leaves running in its
            // terminal while they type the rest in another.
            script.append(adapt(line) + (starts && !background ? " &" : ""))
            if starts {
                script.append(Self.waitForServer(port))
            }
        }
        let result = try await Self.bash(script.joined(separator: "\n"), in: folder)
        #expect(result.status != nil, "the commands did not finish: \(result.output)")
        for text in expected {
            #expect(result.output.contains(text), "Exercises/\(exercise)/README.md by hand: no \(text) in\n\(script.joined(separator: "\n"))\n---\n\(result.output)")
        }
    }

    /// The README's by-hand passage: an inline server command (`PORT=8080 go run .`) when the
    /// passage names one, and the lines of the sh block that follows (or, with none, a
    /// command given inline after "another terminal").
    static func byHand(_ readme: String) -> (server: String?, block: [String])? {
        let lines = readme.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.range(of: "by hand", options: .caseInsensitive) != nil }) else { return nil }
        var passage: [String] = []
        var block: [String] = []
        var index = start
        while index < lines.count, !lines[index].hasPrefix("```") {
            passage.append(lines[index])
            index += 1
            if index - start > 6 { break }
        }
        // Every sh block up to the next heading: a passage may start a companion service in
        // one block and run the program against it in the next.
        while index < lines.count, !lines[index].hasPrefix("## ") {
            if lines[index].hasPrefix("```sh") {
                index += 1
                while index < lines.count, !lines[index].hasPrefix("```") {
                    block.append(lines[index])
                    index += 1
                }
            }
            index += 1
        }
        let spans = passage.joined(separator: " ").components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let server = spans.first { $0.contains("go run .") }
        if block.isEmpty {
            block = spans.filter { $0.hasPrefix("curl") }
        }
        return (server, block)
    }
}
}
