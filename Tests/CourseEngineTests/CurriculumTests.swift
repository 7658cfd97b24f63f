import Foundation
import Grading
import Testing
@testable import CourseEngine

/// The curriculum's quality bar: every lesson is well-formed, links resolve, it renders
/// cleanly at common widths, and every Go block that claims to compile does.
@Suite struct CurriculumTests {
    /// Loaded once; a course that does not load fails `theCourseLoads` (with the error's file
    /// and line) instead of crashing the whole test run.
    static let loaded = Result { try Course(root: TestSupport.repositoryRoot) }
    static var course: Course { try! loaded.get() }

    @Test func theCourseLoads() throws {
        _ = try Self.loaded.get()
    }

    struct LessonSource: CustomTestStringConvertible, Sendable {
        let lesson: Roadmap.Lesson
        /// The whole file, Answers included.
        let text: String
        let document: MarkdownDocument
        /// The lesson as `course lesson` shows it, and its self-check answers.
        let content: LessonText
        var testDescription: String { lesson.id }
    }

    static let lessons: [LessonSource] = ((try? loaded.get())?.roadmap.lessons ?? []).compactMap { lesson in
        guard let content = try? course.lessonContent(lesson) else { return nil }
        return LessonSource(lesson: lesson, text: content.source, document: MarkdownDocument(parsing: content.source), content: content)
    }

    @Test(arguments: lessons)
    func eachLessonHasItsShapeAndLength(source: LessonSource) throws {
        let headings = source.document.blocks.compactMap { block -> (Int, String)? in
            if case .heading(let level, let content) = block.kind { return (level, content.plainText) }
            return nil
        }
        #expect(headings.first?.0 == 1 && headings.first?.1 == source.lesson.title,
                "\(source.lesson.path) starts with '# \(source.lesson.title)' (as in the roadmap)")
        let sections = headings.filter { $0.0 == 2 }.map(\.1)
        for required in ["Goals", "Common mistakes", "Self-check", "Practise"] {
            #expect(sections.contains(required), "\(source.lesson.path) has a '## \(required)' section")
        }
        #expect(sections.first == "Goals", "goals come first in \(source.lesson.path)")
        let words = RoadmapView.wordCount(source.content.body)
        #expect((1500...4000).contains(words), "\(source.lesson.path) has \(words) words without its answers; lessons have 1,500 to 4,000")
        // The lesson names the exercises the roadmap gives it.
        for exercise in source.lesson.exercises + source.lesson.coming {
            #expect(source.text.contains("`\(exercise)`"), "\(source.lesson.path) names its exercise `\(exercise)`")
        }
    }

    /// Every Self-check question has exactly one answer, in order, in the lesson's Answers
    /// section, and the Self-check section tells the reader how to see them.
    @Test(arguments: lessons)
    func everySelfCheckQuestionHasOneAnswer(source: LessonSource) throws {
        do {
            let check = try source.content.selfCheck()
            #expect(check.pairs.count >= 5, "\(source.lesson.path) has \(check.pairs.count) self-check questions; lessons have at least 5")
        } catch let error as CourseError {
            Issue.record(Comment(rawValue: error.description))
        }
        let body = source.content.body
        var section = ""
        if let start = body.range(of: "\n## Self-check\n") {
            let rest = body[start.upperBound...]
            section = String(rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest)
        }
        #expect(section.contains("`course lesson \(source.lesson.id) --answers`"),
                "the Self-check section of \(source.lesson.path) tells the reader to run `course lesson \(source.lesson.id) --answers`")
    }

    /// The roadmap gives each level the months the source guide does (0–3, 3–6, 6+).
    @Test func theRoadmapGivesEachLevelItsMonths() throws {
        let document = try Self.loaded.get().roadmap.document
        let expected = ["Beginner": "0–3 months", "Intermediate": "3–6 months", "Advanced": "6+ months"]
        var found: [String: String] = [:]
        var level: String?
        for block in document.blocks {
            switch block.kind {
            case .heading(2, let content): level = content.plainText
            case .paragraph(let inlines):
                if let current = level, found[current] == nil { found[current] = inlines.plainText }
            default: break
            }
        }
        for (name, months) in expected {
            #expect(found[name]?.contains(months) == true,
                    "the paragraph under ## \(name) in Curriculum/ROADMAP.md says \(months); it reads: \(found[name] ?? "(none)")")
        }
    }

    @Test(arguments: lessons)
    func everyLinkResolves(source: LessonSource) throws {
        let folder = Self.course.lessonURL(source.lesson).deletingLastPathComponent()
        for (line, destination) in Self.links(in: source.document) {
            let location = "Curriculum/\(source.lesson.path):\(line)"
            if destination.hasPrefix("https://") { continue }
            #expect(!destination.hasPrefix("http://"), "\(location): use https for \(destination)")
            let parts = destination.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let path = parts[0], anchor = parts.count > 1 ? parts[1] : nil
            let targetDocument: MarkdownDocument
            if path.isEmpty {
                targetDocument = source.document
            } else {
                let target = folder.appendingPathComponent(path)
                guard FileManager.default.fileExists(atPath: target.path) else {
                    Issue.record("\(location): link to \(path), which does not exist")
                    continue
                }
                guard path.hasSuffix(".md") else { continue }
                targetDocument = MarkdownDocument(parsing: try SourceFile.read(target))
            }
            if let anchor {
                #expect(targetDocument.headingAnchors().contains(anchor), "\(location): no heading '#\(anchor)' in \(path.isEmpty ? "this lesson" : path)")
            }
        }
    }

    @Test(arguments: [60, 80, 120])
    func everyLessonRendersWithinTheWidthWithoutMarkdownMarkers(width: Int) {
        for source in Self.lessons {
            // The lesson and its answers page, as `course lesson` and `--answers` show them.
            let answers = (try? source.content.selfCheck())?.page(title: source.lesson.title, lessonID: source.lesson.id) ?? ""
            // Code is never re-wrapped, so it is left out of the width check.
            let blocks = MarkdownDocument(parsing: source.content.body).blocks + MarkdownDocument(parsing: answers).blocks
            let prose = MarkdownDocument(blocks: Self.removingCode(blocks))
            for caps in [TerminalCapabilities.plain, .ansi] {
                let rendered = TerminalRenderer(width: width, capabilities: caps).render(prose)
                for (n, line) in rendered.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let visible = TextWidth.stripANSI(String(line))
                    if TextWidth.of(visible) > width {
                        Issue.record("\(source.lesson.id) at width \(width), output line \(n + 1) has \(TextWidth.of(visible)) columns: \(visible)")
                    }
                    if !caps.color {
                        for marker in ["**", "__", "~~", "```", "](", "<!--"] where visible.contains(marker) {
                            Issue.record("\(source.lesson.id) at width \(width), output line \(n + 1) shows raw markdown '\(marker)': \(visible)")
                        }
                        if visible.hasPrefix("#") { Issue.record("\(source.lesson.id): raw heading marker in: \(visible)") }
                    }
                }
            }
        }
    }

    /// Builds every ```go block (not marked `fragment`), answers included, alone as main.go
    /// with Debian's Go: `go vet`, then `go build`. Fails naming the lesson and line.
    @Test func everyCompilableGoBlockBuilds() async throws {
        let blocks = Self.lessons.flatMap { source in
            source.document.allBlocks().compactMap { block -> GoBlock? in
                guard case .codeBlock(let info, let code) = block.kind else { return nil }
                let words = info.split(separator: " ")
                guard words.first == "go", !words.contains("fragment") else { return nil }
                return GoBlock(location: "Curriculum/\(source.lesson.path):\(block.line)", code: code)
            }
        }
        #expect(blocks.count >= 40, "the curriculum has compiled examples (found \(blocks.count))")
        let cache = TestSupport.repositoryRoot.appendingPathComponent(".build/gocache")
        let failures = try await withThrowingTaskGroup(of: String?.self) { group in
            var failures: [String] = []
            var pending = blocks[...]
            // Two at a time: the machine has two cores. Each `go build` waits on a thread of
            // its own: two on the cooperative pool would hold both of its threads for minutes,
            // and every other test's tasks (in-process servers, deadline timers) would stall.
            for _ in 0..<2 {
                if let block = pending.popFirst() { group.addTask { try await Blocking.run { try GoToolchain.check(block, cache: cache) } } }
            }
            while let result = try await group.next() {
                if let failure = result { failures.append(failure) }
                if let block = pending.popFirst() { group.addTask { try await Blocking.run { try GoToolchain.check(block, cache: cache) } } }
            }
            return failures.sorted()
        }
        for failure in failures { Issue.record(Comment(rawValue: failure)) }
    }

    // MARK: Helpers

    static func links(in document: MarkdownDocument) -> [(Int, String)] {
        var out: [(Int, String)] = []
        func visit(_ inlines: [MarkdownInline], line: Int) {
            for inline in inlines {
                switch inline {
                case .link(let destination, _, let content):
                    out.append((line, destination))
                    visit(content, line: line)
                case .emphasis(let c), .strong(let c), .strikethrough(let c): visit(c, line: line)
                default: break
                }
            }
        }
        for block in document.allBlocks() {
            switch block.kind {
            case .paragraph(let inlines), .heading(_, let inlines): visit(inlines, line: block.line)
            case .table(let table): (table.header + table.rows.flatMap { $0 }).forEach { visit($0, line: block.line) }
            default: break
            }
        }
        return out
    }

    static func removingCode(_ blocks: [MarkdownBlock]) -> [MarkdownBlock] {
        blocks.compactMap { block in
            var copy = block
            switch block.kind {
            case .codeBlock: return nil
            case .blockQuote(let inner): copy.kind = .blockQuote(removingCode(inner))
            case .list(var list):
                list.items = list.items.map(removingCode)
                copy.kind = .list(list)
            default: break
            }
            return copy
        }
    }
}

struct GoBlock: Sendable {
    let location: String
    let code: String
}

enum GoToolchain {
    /// Returns nil when the block vets and builds, else a message with its location.
    ///
    /// Lessons import modules by their module paths (`github.com/labstack/echo/v4`), as a
    /// learner's go.mod does. Debian's Go source has them at their GOPATH paths
    /// (`src/github.com/labstack/echo`, with a go.mod saying `.../v4`), so the block is built
    /// in GOPATH mode as a package inside a GOPATH of its own, with a go.mod beside it: that
    /// turns on Go's "minimal module compatibility", which resolves `/vN` import paths to
    /// those folders, offline and without a module proxy.
    static func check(_ block: GoBlock, cache: URL) throws -> String? {
        let root = try TestSupport.temporaryFolder("lesson-go")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("src/lessonblock")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "module lessonblock\n\ngo 1.19\n".write(to: folder.appendingPathComponent("go.mod"), atomically: true, encoding: .utf8)
        try block.code.write(to: folder.appendingPathComponent("main.go"), atomically: true, encoding: .utf8)
        for arguments in [["vet", "."], ["build", "-o", "/dev/null", "."]] {
            let (status, output) = try run(arguments, in: folder, gopath: root.path + ":/usr/share/gocode", cache: cache)
            if status != 0 {
                return "\(block.location): go \(arguments.joined(separator: " ")) failed:\n\(output)"
            }
        }
        return nil
    }

    static func run(_ arguments: [String], in folder: URL, gopath: String, cache: URL) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["go"] + arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["GOPATH"] = gopath
        env["GO111MODULE"] = "off"
        env["GOFLAGS"] = ""
        env["GOCACHE"] = cache.path
        env["HOME"] = env["HOME"] ?? folder.path
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = try pipe.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
