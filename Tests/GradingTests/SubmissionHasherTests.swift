import CourseEngine
import Foundation
import Testing
@testable import Grading
#if canImport(Glibc)
import Glibc
#endif

/// Deterministic bytes (a linear congruential generator), so failures reproduce.
private func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

/// `sha256sum`'s digest of each file (coreutils), read from its output.
private func sha256sum(_ files: [URL]) throws -> [String] {
    let output = files[0].deletingLastPathComponent().appendingPathComponent("sha256sum.out")
    let child = try ChildProcess.spawn(.init(arguments: ["sha256sum"] + files.map(\.path),
                                             environment: ["PATH": "/usr/bin:/bin"], stdout: .file(output.path)))
    #expect(child.wait() == .exited(0))
    return try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map { String($0.prefix(64)) }
}

@Suite struct GradebookSHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func theFIPSTestVectors(message: String, digest: String) {
        #expect(SHA256.hex(of: Array(message.utf8)) == digest)
    }

    @Test func aMillionAs() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(SHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Feeding a message in pieces of any size gives the digest of the whole.
    @Test func piecesOfAnySizeGiveTheSameDigest() {
        let message = pseudoRandomBytes(1000, seed: 1)
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 127, 128, 129, 1000] {
            let whole = SHA256.hex(of: message[0..<length])
            for piece in [1, 3, 63, 64, 65, 200] {
                var hasher = SHA256()
                var offset = 0
                while offset < length {
                    hasher.update(Array(message[offset..<min(offset + piece, length)]))
                    offset += piece
                }
                #expect(SHA256.hex(hasher.finalize()) == whole, "length \(length) in pieces of \(piece)")
            }
        }
    }

    /// Lengths around the padding boundaries (55/56 bytes leave no room for the length) and
    /// a file larger than the hasher's read buffer, against coreutils.
    @Test func agreesWithSha256sum() throws {
        let folder = try GradebookFixtures.temporaryFolder("sha256")
        var files: [URL] = []
        var bytes: [[UInt8]] = []
        for (n, length) in [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 65_537, 1_000_003].enumerated() {
            let url = folder.appendingPathComponent("file-\(n)")
            let content = pseudoRandomBytes(length, seed: UInt64(n + 7))
            try Data(content).write(to: url)
            files.append(url)
            bytes.append(content)
        }
        #expect(bytes.map { SHA256.hex(of: $0) } == (try sha256sum(files)))
        // The hasher reads files in 64 KiB pieces; its per-file digests agree as well.
        let entries = try SubmissionHasher.entries(folder: folder).filter { $0.displayPath.hasPrefix("file-") }
        let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.displayPath, SHA256.hex($0.digest)) })
        #expect(files.map { byName[$0.lastPathComponent] } == (try sha256sum(files)))
    }
}

@Suite struct GradebookSubmissionHasherTests {
    let root: URL

    init() throws {
        root = try GradebookFixtures.temporaryFolder("hasher")
    }

    func write(_ text: String, _ path: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The submission whose hash is pinned below, written in the given file order.
    func submission(_ name: String, reversed: Bool = false) throws -> URL {
        let folder = root.appendingPathComponent(name)
        var files = [("main.go", "package main\n\nfunc main() {}\n"), ("go.mod", "module users\n\ngo 1.19\n"),
                     ("internal/store/store.go", "package store\n"), ("README.md", "# Ada's users API\n"),
                     ("empty.txt", ""), ("café.txt", "naïve\n")]
        if reversed { files.reverse() }
        for (path, text) in files { try write(text, path, in: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("latest").path,
                                                   withDestinationPath: "internal/store/store.go")
        return folder
    }

    /// The value was computed by an independent script from the layout documented on
    /// `SubmissionHasher`. If this test fails, every `--only-new` in existing gradebooks
    /// would re-grade everything: change the layout only with a new version line.
    @Test func theHashOfAKnownFolderIsPinned() throws {
        let folder = try submission("ada")
        #expect(try SubmissionHasher.hash(folder: folder) == "0788d3fc60fdc7b4c42c3634615ce6940d2e4fb84a71e06c4f07ed9ee7f04a1a")
        #expect(try SubmissionHasher.entries(folder: folder).map(\.displayPath)
                    == ["README.md", "café.txt", "empty.txt", "go.mod", "internal/store/store.go", "latest", "main.go"])
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try SubmissionHasher.hash(folder: empty) == "e30dcdc60660032af277538cddc4b0dc110af7209736d6b8c66beae67ad79eb6")
    }

    @Test func theHashDoesNotDependOnWhereOrInWhichOrderFilesWereWritten() throws {
        let first = try submission("one")
        let second = try submission("elsewhere/two", reversed: true)
        #expect(try SubmissionHasher.hash(folder: first) == SubmissionHasher.hash(folder: first))
        #expect(try SubmissionHasher.hash(folder: first) == SubmissionHasher.hash(folder: second))
    }

    @Test func anyChangeOfContentOrNameChangesTheHash() throws {
        let fm = FileManager.default
        let original = try SubmissionHasher.hash(folder: try submission("base"))
        var hashes: [String: String] = [:]
        let edits: [(String, (URL) throws -> Void)] = [
            ("content", { try self.write("package main\n\nfunc main() { }\n", "main.go", in: $0) }),
            ("one byte appended to an empty file", { try self.write("\n", "empty.txt", in: $0) }),
            ("rename", { try fm.moveItem(at: $0.appendingPathComponent("README.md"), to: $0.appendingPathComponent("README.txt")) }),
            ("move into a folder", { try fm.moveItem(at: $0.appendingPathComponent("go.mod"), to: $0.appendingPathComponent("internal/go.mod")) }),
            ("new empty file", { try self.write("", "notes/todo", in: $0) }),
            ("removed file", { try fm.removeItem(at: $0.appendingPathComponent("empty.txt")) }),
            ("link retargeted", {
                try fm.removeItem(at: $0.appendingPathComponent("latest"))
                try fm.createSymbolicLink(atPath: $0.appendingPathComponent("latest").path, withDestinationPath: "main.go")
            }),
            ("link replaced by the file it named", {
                try fm.removeItem(at: $0.appendingPathComponent("latest"))
                try self.write("internal/store/store.go", "latest", in: $0)
            }),
        ]
        for (n, (name, edit)) in edits.enumerated() {
            let folder = try submission("edit-\(n)")
            try edit(folder)
            let hash = try SubmissionHasher.hash(folder: folder)
            #expect(hash != original, "\(name) changes the hash")
            #expect(!hashes.values.contains(hash), "\(name) gives a hash of its own")
            hashes[name] = hash
        }
    }

    @Test func versionControlBuildOutputsAndCachesAreLeftOut() throws {
        let folder = try submission("tools")
        let clean = try SubmissionHasher.hash(folder: folder)
        try write("ref: refs/heads/main\n", ".git/HEAD", in: folder)
        try write("bytes", "internal/.git", in: folder) // a submodule's pointer file
        try write("cached", ".build/debug/app", in: folder)
        try write("compiled", "__pycache__/tool.cpython-311.pyc", in: folder)
        try write("compiled", "tool.pyc", in: folder)
        try write("object", "internal/store/store.o", in: folder)
        try write("finder", ".DS_Store", in: folder)
        try write("module.exports = 1", "node_modules/left-pad/index.js", in: folder)
        try write("Signature: 8a477f597d28d172789f06886806bc55\n# cargo\n", "target/CACHEDIR.TAG", in: folder)
        try write("binary", "target/debug/app", in: folder)
        #expect(try SubmissionHasher.hash(folder: folder) == clean)

        // A CACHEDIR.TAG without the signature marks nothing, and at the root it is a file
        // like any other (it must not hide the whole submission).
        try write("not the signature", "data/CACHEDIR.TAG", in: folder)
        let withData = try SubmissionHasher.hash(folder: folder)
        #expect(withData != clean)
        try write("Signature: 8a477f597d28d172789f06886806bc55\n", "CACHEDIR.TAG", in: folder)
        #expect(try SubmissionHasher.entries(folder: folder).map(\.displayPath).contains("CACHEDIR.TAG"))
        #expect(try SubmissionHasher.entries(folder: folder).count > 3)
    }

    /// A link is hashed as its target text; the walk never follows it, inside or outside.
    @Test func linksAreHashedAsTextAndNeverFollowed() throws {
        let folder = try submission("links")
        let outside = root.appendingPathComponent("outside")
        try write("secret v1", "secret.txt", in: outside)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("secret").path,
                                                   withDestinationPath: outside.appendingPathComponent("secret.txt").path)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("up").path, withDestinationPath: "../outside")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("loop").path, withDestinationPath: ".")
        let before = try SubmissionHasher.hash(folder: folder)
        try write("secret v2", "secret.txt", in: outside)
        try write("more", "new.txt", in: outside)
        #expect(try SubmissionHasher.hash(folder: folder) == before)

        let entries = try SubmissionHasher.entries(folder: folder)
        let links = entries.filter { $0.kind == .link }.map(\.displayPath)
        #expect(links == ["latest", "loop", "secret", "up"])
        #expect(!entries.contains { $0.displayPath.hasPrefix("up/") || $0.displayPath.hasPrefix("loop/") })
        var linkText = SHA256()
        linkText.update(Array("../outside".utf8))
        #expect(entries.first { $0.displayPath == "up" }?.digest == linkText.finalize())
    }

    /// Opening a FIFO for reading blocks until a writer comes: it is refused unopened (a
    /// submission may hold only files, folders and links; SubmissionFilesTests has the rest).
    @Test func aFifoIsRefusedWithoutBlocking() throws {
        let folder = try submission("fifo")
        let pipe = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(pipe, 0o644) == 0)
        let unblocker = FifoUnblocker(pipe)
        defer { unblocker.release() }
        #expect(throws: SubmissionRefused("fifo/pipe is a FIFO (named pipe): a submission may hold only regular files, folders and symlinks",
                                          hint: "remove it from the submission")) {
            try SubmissionHasher.hash(folder: folder)
        }
    }

    @Test func aMissingFolderIsAClearError() throws {
        let missing = root.appendingPathComponent("nobody")
        #expect(throws: CourseError("cannot read the submission folder: No such file or directory", file: missing.path)) {
            try SubmissionHasher.hash(folder: missing)
        }
    }
}
