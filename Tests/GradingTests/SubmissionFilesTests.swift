import CourseEngine
import Foundation
import TCPEchoPiece
import Testing
@testable import Grading
#if canImport(Glibc)
import Glibc
#endif

/// The grader reads submissions as root: nothing it reads or copies may follow a link out of
/// the submission, block on a FIFO, or come back in a message beyond a short excerpt.
@Suite struct SubmissionFilesTests {
    static let exercise = try! ExerciseManifest.parse("""
        title: Echo server
        checks: tcp-echo
        program: server
        stages:
          - {id: connect, name: One line}
        """, id: "echo-server", file: "echo-server/exercise.yaml")

    static let registry = PieceRegistry([TCPEcho.piece])

    /// A scratch area of its own under `folder`, to see what a run leaves there.
    static func scratch(in folder: URL) -> Scratch {
        Scratch(owner: "test-\(UUID().uuidString.prefix(8))", temporaryDirectory: folder)
    }

    /// A run of `folder` with its work folder in `scratch`.
    static func run(_ folder: URL, scratch: Scratch) throws -> SubmissionRun {
        try SubmissionRun(exercise: exercise, source: folder, options: SubmissionRun.Options(scratch: scratch))
    }

    /// What is left in a scratch area.
    static func leftovers(_ scratch: Scratch) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: scratch.folder.path)) ?? []
    }

    /// What `body` threw, as a refusal (recording an issue when it threw something else or
    /// nothing).
    static func refusal(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> SubmissionRefused? {
        do {
            try body()
            Issue.record("expected the submission to be refused", sourceLocation: sourceLocation)
        } catch let refused as SubmissionRefused {
            return refused
        } catch {
            Issue.record("expected SubmissionRefused, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    // MARK: course.yaml

    /// The issue: `course.yaml` linked to a root-only file whose line came back in the
    /// learner's feedback as an unknown key. The link is refused and the file never read.
    @Test func aLinkedCourseYamlIsRefusedAndWhatItPointsToIsNeverRead() async throws {
        let place = try HostileFolder("linked-yaml")
        defer { place.remove() }
        let marker = HostileFolder.marker()
        let secret = try place.write("\(marker): 1\n", "secret", in: try place.folder("outside"), mode: 0o600)
        let submission = try place.folder("student-b")
        try place.write("package main\n", "main.go", in: submission)
        try place.link("course.yaml", in: submission, to: secret.path)

        let scratch = Self.scratch(in: try place.folder("work"))
        for refused in [Self.refusal { _ = try SubmissionManifest.load(folder: submission) },
                        Self.refusal { _ = try Self.run(submission, scratch: scratch) }] {
            let text = refused?.description ?? ""
            #expect(text.hasPrefix("student-b/course.yaml is a symbolic link: it must be a regular file"), "\(text)")
            #expect(!text.contains(marker) && !text.contains(String(marker.prefix(12))), "\(text)")
        }
        // Through the grader too: the run is refused before anything is built.
        let grader = Grader(registry: Self.registry, seed: 1, runOptions: .init(scratch: scratch))
        do {
            _ = try await grader.grade(exercise: Self.exercise, folder: submission)
            Issue.record("the grader graded a submission whose course.yaml is a link")
        } catch let refused as SubmissionRefused {
            #expect(!refused.description.contains(String(marker.prefix(12))))
        }
        #expect(Self.leftovers(scratch).isEmpty, "no work folder is left behind: \(Self.leftovers(scratch))")
    }

    /// A message about the learner's own `course.yaml` quotes at most a short escaped excerpt:
    /// an unknown key, duplicate keys (Yams' own message holds the whole document), a syntax
    /// error, escape sequences.
    @Test(arguments: [
        ("unknown key", "{M}: 1\n"),
        ("duplicate keys", "run: ./app\nrun: ./other\n# {M}\n"),
        ("duplicate long keys", "{M}: 1\n{M}: 2\n"),
        ("syntax error", "run: [unclosed\n{M}\n"),
        ("tab indentation", "run:\n\t{M}: x\n"),
        ("not a mapping", "{M}\n"),
        ("escape sequences", "\u{1B}]0;pwned\u{7}\u{1B}[2J{M}: 1\n"),
    ])
    func aManifestErrorQuotesAtMostAShortEscapedExcerpt(kind: String, document: String) throws {
        let place = try HostileFolder("excerpt")
        defer { place.remove() }
        let marker = HostileFolder.marker()
        let submission = try place.folder("ada")
        try place.write(document.replacingOccurrences(of: "{M}", with: marker), "course.yaml", in: submission)
        let refused = try #require(Self.refusal { _ = try SubmissionManifest.load(folder: submission) })
        let text = refused.description
        #expect(text.hasPrefix("ada/course.yaml"), "\(kind): \(text)")
        #expect(!text.contains(String(marker.prefix(LearnerText.excerptLimit + 1))), "\(kind): \(text)")
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }, "\(kind): \(text.debugDescription)")
        for quoted in text.split(separator: "'").enumerated().filter({ $0.offset % 2 == 1 }).map(\.element) {
            #expect(quoted.count <= LearnerText.excerptLimit + 1, "\(kind): quote too long: \(quoted)")
        }
    }

    @Test func aHugeCourseYamlIsRefusedWithoutBeingRead() throws {
        let place = try HostileFolder("huge")
        defer { place.remove() }
        let submission = try place.folder("ada")
        // 100 KB of valid YAML, and 2 GB of nothing (a sparse file: no disk, no memory).
        try place.write(String(repeating: "learner: ada\n", count: 8000), "course.yaml", in: submission)
        let big = try #require(Self.refusal { _ = try SubmissionManifest.load(folder: submission) })
        #expect(big.reason == "ada/course.yaml is larger than 64 KB (104000 bytes), too large to be read", "\(big)")
        #expect(truncate(submission.appendingPathComponent("course.yaml").path, 2 << 30) == 0)
        let huge = try #require(Self.refusal { _ = try SubmissionManifest.load(folder: submission) })
        #expect(huge.reason.contains("(2147483648 bytes)"), "\(huge)")
    }

    @Test func aCourseYamlThatIsAFifoIsRefusedWithoutOpeningIt() throws {
        let place = try HostileFolder("yaml-fifo")
        defer { place.remove() }
        let submission = try place.folder("ada")
        let fifo = submission.appendingPathComponent("course.yaml").path
        try #require(mkfifo(fifo, 0o644) == 0)
        let unblocker = FifoUnblocker(fifo)
        defer { unblocker.release() }
        let refused = Self.refusal { _ = try SubmissionManifest.load(folder: submission) }
        #expect(refused?.reason == "ada/course.yaml is a FIFO (named pipe): a submission may hold only regular files, folders and symlinks")
    }

    @Test func aWellFormedCourseYamlStillLoads() throws {
        let place = try HostileFolder("good-yaml")
        defer { place.remove() }
        let submission = try place.folder("ada")
        try place.write("track: shell\nbuild: \"\"\nrun: sh main.sh\nlearner: Ada L.\n", "course.yaml", in: submission)
        #expect(try SubmissionManifest.load(folder: submission) == SubmissionManifest(track: "shell", build: "", run: "sh main.sh", learner: "Ada L."))
        #expect(try SubmissionManifest.load(folder: try place.folder("none")) == .goDefault)
    }

    // MARK: Special files

    /// The issue: a FIFO held a grading slot for 300 s while the copy waited on its open. A
    /// FIFO, socket or device anywhere in the submission is refused by the copy and by the
    /// hasher, naming the path inside the submission, without being opened.
    @Test(arguments: SpecialFile.allCases)
    func aSpecialFileIsRefusedByTheCopyAndTheHasher(kind: SpecialFile) throws {
        let place = try HostileFolder("special")
        defer { place.remove() }
        let submission = try place.folder("carol")
        try place.write("package main\n", "main.go", in: submission)
        try FileManager.default.createDirectory(at: submission.appendingPathComponent("x"), withIntermediateDirectories: true)
        let path = submission.appendingPathComponent("x/pipe").path
        let done = try kind.make(at: path)
        defer { done() }
        let unblocker = kind == .fifo ? FifoUnblocker(path) : nil
        defer { unblocker?.release() }

        let expected = "carol/x/pipe \(kind.what): a submission may hold only regular files, folders and symlinks"
        let scratch = Self.scratch(in: try place.folder("work"))
        #expect(Self.refusal { _ = try Self.run(submission, scratch: scratch) }?.reason == expected)
        #expect(Self.refusal { _ = try SubmissionHasher.hash(folder: submission) }?.reason == expected)
        #expect(Self.leftovers(scratch).isEmpty, "the half-made work folder is removed: \(Self.leftovers(scratch))")
    }

    @Test func aPathInARefusalIsEscaped() throws {
        let place = try HostileFolder("escaped-name")
        defer { place.remove() }
        let submission = try place.folder("dan")
        try #require(mkfifo(submission.appendingPathComponent("a\u{1B}[2Jb\nc").path, 0o644) == 0)
        let refused = Self.refusal { _ = try SubmissionHasher.hash(folder: submission) }
        #expect(refused?.reason.hasPrefix("dan/a\\u{1B}[2Jb\\nc is a FIFO") == true, "\(refused?.reason ?? "")")
    }

    // MARK: The copy

    /// Links are copied as links (in the sandbox they resolve as the unprivileged user),
    /// never as what they point to; everything is given to the sandbox user; permission bits
    /// are kept, and a read-only folder is made writable for its owner.
    @Test func theCopyKeepsLinksAsLinksAndGivesEverythingToTheSandboxUser() throws {
        let place = try HostileFolder("copy")
        defer { place.remove() }
        let marker = HostileFolder.marker()
        let secret = try place.write(marker, "secret", in: try place.folder("outside"), mode: 0o600)
        let submission = try place.folder("erin")
        try place.write("echo hi\n", "main.sh", in: submission, mode: 0o755)
        try place.write("data\n", "sub/data.txt", in: submission)
        try place.write("stale binary", ".course-bin/program", in: submission)
        try place.link("shadow", in: submission, to: "/etc/shadow")
        try place.link("secret", in: submission, to: secret.path)
        try place.link("up", in: submission, to: "..")
        try place.link("sub/main", in: submission, to: "../main.sh")
        chmod(submission.appendingPathComponent("sub").path, 0o555)
        defer { chmod(submission.appendingPathComponent("sub").path, 0o755) }

        let copy = place.root.appendingPathComponent("copy")
        let owner: uid_t? = geteuid() == 0 ? 65534 : nil
        try SubmissionFiles(submission).copy(to: copy, owner: owner, skipping: [".course-bin"])

        let fm = FileManager.default
        #expect(try fm.destinationOfSymbolicLink(atPath: copy.appendingPathComponent("shadow").path) == "/etc/shadow")
        #expect(try fm.destinationOfSymbolicLink(atPath: copy.appendingPathComponent("secret").path) == secret.path)
        #expect(try fm.destinationOfSymbolicLink(atPath: copy.appendingPathComponent("up").path) == "..")
        #expect(try fm.destinationOfSymbolicLink(atPath: copy.appendingPathComponent("sub/main").path) == "../main.sh")
        #expect(!fm.fileExists(atPath: copy.appendingPathComponent(".course-bin").path))
        #expect(try String(contentsOf: copy.appendingPathComponent("sub/data.txt"), encoding: .utf8) == "data\n")

        let entries = ["."] + Self.tree(copy)
        #expect(entries == [".", "main.sh", "secret", "shadow", "sub", "sub/data.txt", "sub/main", "up"])
        for entry in entries {
            var info = stat()
            #expect(lstat(copy.appendingPathComponent(entry).path, &info) == 0)
            if let owner { #expect(info.st_uid == owner && info.st_gid == owner, "\(entry) belongs to the sandbox user") }
            if info.st_mode & S_IFMT == S_IFREG {
                let text = try String(contentsOf: copy.appendingPathComponent(entry), encoding: .utf8)
                #expect(!text.contains(marker), "\(entry) holds what a link pointed to")
            }
        }
        var mode = stat()
        lstat(copy.appendingPathComponent("main.sh").path, &mode)
        #expect(mode.st_mode & 0o777 == 0o755, "the executable bit is kept")
        lstat(copy.appendingPathComponent("sub").path, &mode)
        #expect(mode.st_mode & 0o777 == 0o755, "a read-only folder is writable for its owner in the copy")
    }

    /// Every path under `folder`, sorted, without following links.
    static func tree(_ folder: URL, prefix: String = "") -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return names.flatMap { name -> [String] in
            let path = prefix + name
            var info = stat()
            lstat(folder.appendingPathComponent(name).path, &info)
            guard info.st_mode & S_IFMT == S_IFDIR else { return [path] }
            return [path] + tree(folder.appendingPathComponent(name), prefix: path + "/")
        }
    }

    @Test func aSubmissionFolderThatIsALinkIsRefused() throws {
        let place = try HostileFolder("linked-root")
        defer { place.remove() }
        let real = try place.folder("real")
        try place.write("package main\n", "main.go", in: real)
        try place.link("frank", in: place.root, to: real.path)
        let linked = place.root.appendingPathComponent("frank")
        let scratch = Self.scratch(in: try place.folder("work"))
        #expect(Self.refusal { _ = try Self.run(linked, scratch: scratch) }?.reason.contains("is a symbolic link") == true)
        #expect(Self.refusal { _ = try SubmissionHasher.hash(folder: linked) }?.reason.contains("is a symbolic link") == true)
        #expect(throws: CourseError.self) { _ = try Self.run(place.root.appendingPathComponent("nobody"), scratch: scratch) }
    }

    @Test func excerptsAreShortAndEscaped() {
        #expect(LearnerText.excerpt("run") == "run")
        #expect(LearnerText.excerpt("a\u{1B}[31mb\n\t\\\u{202E}") == "a\\u{1B}[31mb\\n\\t\\\\\\u{202E}")
        let long = String(repeating: "x", count: 100)
        #expect(LearnerText.excerpt(long) == String(repeating: "x", count: 40) + "…")
        // An escape is never cut in half.
        #expect(LearnerText.excerpt(String(repeating: "x", count: 38) + "\u{1B}") == String(repeating: "x", count: 38) + "…")
    }

    // MARK: Size

    /// 200 GB of files must not fill the grader's disk: a submission over the limit is
    /// refused by the copy and the hash before a byte of it is read (a sparse 600 MB file,
    /// never written, is refused as 600 MB).
    @Test func aSubmissionTooLargeToCopyIsRefusedBeforeAnythingIsRead() throws {
        let place = try HostileFolder("large")
        defer { place.remove() }
        let submission = try place.folder("hoarder")
        try place.write("package main\n", "main.go", in: submission)
        let big = submission.appendingPathComponent("data.bin")
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        #expect(truncate(big.path, 600 << 20) == 0)
        let scratch = Self.scratch(in: try place.folder("work"))
        for refused in [Self.refusal { _ = try Self.run(submission, scratch: scratch) },
                        Self.refusal { _ = try SubmissionHasher.hash(folder: submission) }] {
            #expect(refused?.reason == "hoarder holds more than 512 MB of files, more than the grader copies", "\(String(describing: refused))")
        }
        #expect(Self.leftovers(scratch).isEmpty, "no partial copy is left: \(Self.leftovers(scratch))")

        let many = try place.folder("many")
        for index in 0..<11 { try place.write("x", "f\(index)", in: many) }
        let files = try SubmissionFiles(many)
        #expect(Self.refusal { try files.checkSize(maximumEntries: 10) }?.reason == "many holds more than 10 files and folders, more than the grader copies")
        try files.checkSize(maximumEntries: 11)
    }
}
