import CourseEngine
import Foundation
import Grading
import Testing

/// The proxy's index and the plain words for what it lacks, from Go's own messages.
@Suite struct GoModuleProxyTests {
    static func proxy(_ index: String) throws -> (GoModuleProxy, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("go-proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try index.write(to: folder.appendingPathComponent("modules.txt"), atomically: true, encoding: .utf8)
        return (try GoModuleProxy(folder: folder), folder)
    }

    static let index = """
        github.com/gin-gonic/gin v1.8.1 h1:TB+R257z5s8Yjcm9eNJVtMnbbbndLiDsLS6/mCQKHss=
        github.com/stretchr/testify v1.8.1 h1:yhhvcBz5aIw9YHgUZQ6ENgM7fUn/kmvTp0LvkWaCKsg=

        """

    @Test func theIndexIsReadAndItsDigestFollowsItsContent() throws {
        let (proxy, folder) = try Self.proxy(Self.index)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(proxy.modules.map(\.path) == ["github.com/gin-gonic/gin", "github.com/stretchr/testify"])
        #expect(proxy.module("github.com/gin-gonic/gin")?.version == "v1.8.1")
        #expect(proxy.goproxy == "file://\(folder.standardizedFileURL.path)")
        let (other, otherFolder) = try Self.proxy(Self.index.replacingOccurrences(of: "v1.8.1 h1:TB", with: "v1.8.2 h1:TB"))
        defer { try? FileManager.default.removeItem(at: otherFolder) }
        #expect(proxy.digest.count == 12 && proxy.digest != other.digest)
    }

    @Test func aBrokenIndexLineIsNamedWithItsLine() throws {
        #expect(throws: CourseError.self) { _ = try Self.proxy("github.com/a/b v1.0.0 h1:x=\ngithub.com/c/d 1.0\n") }
        do {
            _ = try Self.proxy("github.com/a/b v1.0.0 h1:x=\ngithub.com/c/d 1.0\n")
        } catch let error as CourseError {
            #expect(error.line == 2 && error.file?.hasSuffix("modules.txt") == true, "\(error)")
            #expect(error.message.contains("github.com/c/d 1.0"), "\(error)")
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-proxy-\(UUID().uuidString)")
        #expect(GoModuleProxy.locate(courseRoot: missing, environment: [:]) == nil)
    }

    @Test func goOwnMessagesBecomePlainWords() throws {
        let (proxy, folder) = try Self.proxy(Self.index)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = proxy.goproxy
        let missing = "main.go:2:8: cannot find module providing package github.com/sirupsen/logrus: module github.com/sirupsen/logrus: reading \(url)/github.com/sirupsen/logrus/@v/list: no such file or directory"
        let text = try #require(GoModuleDiagnosis.explain(output: missing, proxy: proxy))
        #expect(text.contains("Your code needs github.com/sirupsen/logrus, which is not among the Go modules available offline here"))
        #expect(text.contains("one of the 2 modules") && text.contains("\n  github.com/stretchr/testify v1.8.1"), "\(text)")

        let version = "main.go:2:8: github.com/gin-gonic/gin@v1.9.0: reading \(url)/github.com/gin-gonic/gin/@v/v1.9.0.zip: no such file or directory"
        let versionText = try #require(GoModuleDiagnosis.explain(output: version, proxy: proxy))
        #expect(versionText.contains("go.mod asks for github.com/gin-gonic/gin v1.9.0, but offline the course has it only at v1.8.1"))
        #expect(!versionText.contains("not among"), "\(versionText)")

        #expect(GoModuleDiagnosis.explain(output: "main.go:3:2: undefined: foo", proxy: proxy) == nil)
        let off = "main.go:2:8: module lookup disabled by GOPROXY=off"
        #expect(GoModuleDiagnosis.explain(output: off, proxy: nil)?.contains("run ./course once") == true)
        #expect(GoModuleDiagnosis.explain(output: "main.go:3:2: undefined: foo", proxy: nil) == nil)
    }
}
