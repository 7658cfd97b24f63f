import Foundation
import Grading
import Testing

/// Go modules offline, as the grader sees them: a submission with a go.mod is built in
/// module mode against the proxy setup made from Debian's Go packages (the course's own,
/// `.go-proxy` in this repository), also inside the sandbox; what the proxy lacks is said
/// in plain words; a go.sum made elsewhere does not stop the build; a folder without a
/// go.mod still grades, the old way, with a note.
extension GoBuildingSuites {
@Suite struct GoModulesTests {
    static let proxy: GoModuleProxy? = GoModuleProxy.locate(courseRoot: CLIHarness.repositoryRoot)

    /// hello-users written with gin: passes every stage when gin comes from the proxy.
    static let ginHelloUsers = """
        package main

        import (
        \t"os"

        \t"github.com/gin-gonic/gin"
        )

        type User struct {
        \tID    int    `json:"id"`
        \tName  string `json:"name"`
        \tEmail string `json:"email"`
        }

        func main() {
        \tgin.SetMode(gin.ReleaseMode)
        \tr := gin.New()
        \tr.HandleMethodNotAllowed = true
        \tr.GET("/users", func(c *gin.Context) {
        \t\tc.JSON(200, gin.H{"users": []User{{1, "Ada Lovelace", "ada@example.com"}, {2, "Grace Hopper", "grace@example.com"}}})
        \t})
        \tr.NoRoute(func(c *gin.Context) { c.JSON(404, gin.H{"error": "no route for " + c.Request.URL.Path}) })
        \tr.NoMethod(func(c *gin.Context) {
        \t\tc.Header("Allow", "GET")
        \t\tc.JSON(405, gin.H{"error": c.Request.Method + " is not allowed"})
        \t})
        \tr.Run("127.0.0.1:" + os.Getenv("PORT"))
        }

        """

    static func submission(_ files: [String: String], in base: URL, named name: String) throws -> URL {
        let folder = base.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (path, text) in files {
            try text.write(to: folder.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// One workspace for the suite's checks, so its Go build cache compiles gin once.
    static let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("go-modules-tests-\(UUID().uuidString)")

    static func check(_ folder: URL, cli: CLIHarness) async throws -> CLIHarness.Result {
        try await cli.run(["check", "hello-users", "--dir", folder.path, "--color", "never"],
                          environment: ["COURSE_ROOT": CLIHarness.repositoryRoot.path, "COURSE_WORKSPACE": Self.workspace.path])
    }

    @Test func theProxyIsBuiltAndServesTheModulesTheCourseTeaches() throws {
        let proxy = try #require(Self.proxy, "no Go module proxy in \(CLIHarness.repositoryRoot.path)/.go-proxy: run scripts/setup.sh")
        for (path, version) in [("github.com/gin-gonic/gin", "v1.8.1"), ("github.com/stretchr/testify", "v1.8.1"),
                                ("github.com/golang-jwt/jwt/v4", "v4.4.3"), ("github.com/gomodule/redigo", "v1.8.3"),
                                ("google.golang.org/grpc", "v1.33.3"), ("google.golang.org/protobuf", "v1.28.1"),
                                ("github.com/labstack/echo/v4", "v4.2.1"), ("github.com/mattn/go-sqlite3", "v1.14.16"),
                                ("github.com/lib/pq", "v1.10.7")] {
            #expect(proxy.module(path)?.version == version, "\(path): \(String(describing: proxy.module(path)))")
        }
    }

    @Test func aGinModuleWithoutGoSumPassesEveryStage() async throws {
        try #require(Self.proxy != nil)
        let cli = try CLIHarness()
        let folder = try Self.submission(["main.go": Self.ginHelloUsers,
                                          "go.mod": "module hello-users\n\ngo 1.19\n\nrequire github.com/gin-gonic/gin v1.8.1\n"],
                                         in: cli.workspace.deletingLastPathComponent(), named: "gin")
        let result = try await Self.check(folder, cli: cli)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("3/3 stages"), "\(result.stdout)")
        #expect(!result.stdout.contains("no go.mod"))
    }

    /// A go.sum from a learner who worked online records proxy.golang.org's hashes, which
    /// the offline copy never has: the grader builds the same versions without it.
    @Test func aGoSumMadeElsewhereDoesNotStopTheBuild() async throws {
        try #require(Self.proxy != nil)
        let cli = try CLIHarness()
        let folder = try Self.submission(["main.go": Self.ginHelloUsers,
                                          "go.mod": "module hello-users\n\ngo 1.19\n\nrequire github.com/gin-gonic/gin v1.8.1\n",
                                          "go.sum": "github.com/gin-gonic/gin v1.8.1 h1:4+fr/el88TOO3ewCmQr8cx/CtZ/umlIRIs5M4NTNjf8=\n"
                                            + "github.com/gin-gonic/gin v1.8.1/go.mod h1:ji8BvRH1azfM+SYow9zQ6SZMvR8qOMZHmsCuWR9tTTk=\n"],
                                         in: cli.workspace.deletingLastPathComponent(), named: "gin-sum")
        let result = try await Self.check(folder, cli: cli)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let sum = try String(contentsOf: folder.appendingPathComponent("go.sum"), encoding: .utf8)
        #expect(sum.contains("4+fr/el88TOO3ewCmQr8cx"), "the learner's own go.sum is left as it was")
    }

    @Test func aModuleTheProxyDoesNotHaveIsSaidInPlainWords() async throws {
        let proxy = try #require(Self.proxy)
        let cli = try CLIHarness()
        let folder = try Self.submission(["main.go": "package main\n\nimport _ \"github.com/sirupsen/logrus\"\n\nfunc main() {}\n",
                                          "go.mod": "module hello-users\n\ngo 1.19\n"],
                                         in: cli.workspace.deletingLastPathComponent(), named: "logrus")
        let result = try await Self.check(folder, cli: cli)
        #expect(result.status != 0)
        #expect(result.stdout.contains("Your code needs github.com/sirupsen/logrus, which is not among the Go modules available offline here"),
                "\(result.stdout)")
        #expect(result.stdout.contains("  github.com/gin-gonic/gin v1.8.1"), "the modules it does have are listed: \(result.stdout)")
        #expect(result.stdout.contains("the \(proxy.modules.count) modules"))
    }

    @Test func aVersionTheProxyDoesNotHaveNamesTheOneItHas() async throws {
        try #require(Self.proxy != nil)
        let cli = try CLIHarness()
        let folder = try Self.submission(["main.go": Self.ginHelloUsers,
                                          "go.mod": "module hello-users\n\ngo 1.19\n\nrequire github.com/gin-gonic/gin v1.9.1\n"],
                                         in: cli.workspace.deletingLastPathComponent(), named: "gin-191")
        let result = try await Self.check(folder, cli: cli)
        #expect(result.status != 0)
        #expect(result.stdout.contains("go.mod asks for github.com/gin-gonic/gin v1.9.1, but offline the course has it only at v1.8.1"),
                "\(result.stdout)")
        #expect(result.stdout.contains("go get github.com/gin-gonic/gin@v1.8.1"))
    }

    @Test func aFolderWithoutGoModStillGradesTheOldWayWithANote() async throws {
        let cli = try CLIHarness()
        let folder = cli.workspace.deletingLastPathComponent().appendingPathComponent("gopath")
        try FileManager.default.copyItem(at: CLIHarness.repositoryRoot.appendingPathComponent("Exercises/hello-users/solution/go"), to: folder)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("go.mod"))
        let result = try await Self.check(folder, cli: cli)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("note: no go.mod in this folder"), "\(result.stdout)")
        #expect(result.stdout.contains("`go mod init hello-users`"))
    }

    /// In the sandbox the course folder is hidden; the proxy alone is shown, read-only.
    @Test func aGinModuleGradesInTheSandbox() async throws {
        try #require(Self.proxy != nil)
        guard case .success = Sandbox.detect() else { return }
        let cli = try CLIHarness()
        let base = cli.workspace.deletingLastPathComponent()
        let subs = base.appendingPathComponent("subs")
        _ = try Self.submission(["main.go": Self.ginHelloUsers,
                                 "go.mod": "module hello-users\n\ngo 1.19\n\nrequire github.com/gin-gonic/gin v1.8.1\n"],
                                in: subs, named: "ada")
        _ = try Self.submission(["main.go": "package main\n\nimport _ \"github.com/sirupsen/logrus\"\n\nfunc main() {}\n",
                                 "go.mod": "module hello-users\n\ngo 1.19\n"], in: subs, named: "bob")
        let reports = base.appendingPathComponent("report")
        let result = try await cli.run(["grade", "hello-users", subs.appendingPathComponent("ada").path, subs.appendingPathComponent("bob").path,
                                        "--require-sandbox", "--report-dir", reports.path, "--format", "json"],
                                       environment: ["COURSE_ROOT": CLIHarness.repositoryRoot.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let results = try GradeCommandTests.results(reports)
        let stages = results["ada"]?["stages"] as? [[String: Any]] ?? []
        #expect(stages.count == 3 && stages.allSatisfy { $0["status"] as? String == "passed" }, "\(String(describing: results["ada"]))")
        let bob = String(describing: results["bob"])
        #expect(bob.contains("not among the Go modules available offline"), "\(bob)")
        #expect(cli.processesLeft.isEmpty)
    }
}
}
