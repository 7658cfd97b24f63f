import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One submission on its way through the grader: copied into a private work folder, built
/// under the build limits, then started (as often as the checks need) under the run limits,
/// in the sandbox when there is one. `cleanup()` leaves nothing behind: no process, no folder.
public final class SubmissionRun: @unchecked Sendable {
    public struct Options: Sendable {
        public var sandbox: Sandbox?
        /// Where work folders are made (a private subfolder each) and under which cgroup
        /// parent the program runs: the grading process's own, or `course grade`'s for a worker.
        public var scratch: Scratch
        /// A Go build cache to share between runs (the learner's own checks), or nil for a
        /// private one inside the work folder (grading: no submission sees another's cache).
        public var goCache: URL?
        /// The offline module proxy a submission with a go.mod is built against (nil: none
        /// on this machine, so only the standard library resolves in module mode).
        public var goProxy: GoModuleProxy?
        /// A module cache to share between runs (the learner's own checks), kept per proxy
        /// content; nil for a private one inside the work folder.
        public var goModuleCache: URL?

        public init(sandbox: Sandbox? = nil, scratch: Scratch = .current, goCache: URL? = nil,
                    goProxy: GoModuleProxy? = nil, goModuleCache: URL? = nil) {
            self.sandbox = sandbox
            self.scratch = scratch
            self.goCache = goCache
            self.goProxy = goProxy
            self.goModuleCache = goModuleCache
        }
    }

    public let exercise: ExerciseManifest
    public let source: URL
    public let manifest: SubmissionManifest
    public let options: Options
    public let workDirectory: URL
    private let container: URL
    /// The program runs started so far, stopped at cleanup.
    private var programs: [RunningProgram] = []
    private let lock = NSLock()
    /// The output of every program run (not builds), in order, capped as one log.
    public let programLog: OutputCapture

    /// Reads the submission's `course.yaml` and copies the submission into a fresh work
    /// folder. Whatever is the submission's fault (a bad or linked `course.yaml`, a FIFO or
    /// device among its files, a file that cannot be read) throws `SubmissionRefused`; a
    /// folder that does not exist, or a failure of the grader's own (a full disk), throws
    /// `CourseError`.
    public init(exercise: ExerciseManifest, source: URL, options: Options) throws {
        self.exercise = exercise
        self.source = source.standardizedFileURL
        self.options = options
        let files = try SubmissionFiles(self.source)
        manifest = try SubmissionManifest.load(from: files)
        programLog = OutputCapture(limit: exercise.limits.outputKB * 1024)
        do {
            container = try options.scratch.makeFolder("run")
        } catch {
            throw CourseError("cannot make a work folder for the submission in \(options.scratch.folder.path)")
        }
        workDirectory = container.appendingPathComponent("work")
        do {
            try copySubmission(files)
        } catch {
            try? FileManager.default.removeItem(at: container)
            throw error
        }
    }

    /// Copies the submission (files and folders; symlinks as links, never followed) into the
    /// work folder, owned by the sandbox uid when sandboxed as root, so the program can
    /// write there and nowhere else. The grader's own build output is left behind.
    private func copySubmission(_ files: SubmissionFiles) throws {
        let owner = options.sandbox.flatMap { geteuid() == 0 ? $0.uid : nil }
        try files.copy(to: workDirectory, owner: owner, skipping: [".course-bin"])
        if owner != nil { chmod(container.path, 0o755) }
        if isGoModule {
            // go.sum pins each module's hash as the learner's machine downloaded it: from
            // proxy.golang.org for a learner who worked elsewhere, which the offline proxy
            // (built from Debian's sources) never matches. The versions are go.mod's, so the
            // build is the same code without it; Go writes a fresh one from the proxy.
            try? FileManager.default.removeItem(at: workDirectory.appendingPathComponent("go.sum"))
        }
    }

    /// A Go submission with a go.mod, built in module mode (else GOPATH mode, as before
    /// modules: old submissions still grade).
    public var isGoModule: Bool {
        manifest.track == "go" && FileManager.default.fileExists(atPath: workDirectory.appendingPathComponent("go.mod").path)
    }

    /// A path for a data file the program keeps between its runs (`DATABASE_PATH`): inside
    /// the work folder, the one place the sandbox lets it write that outlives one run, in a
    /// folder of its own that the program may write (made on first use).
    public func dataFile(_ name: String) throws -> String {
        try lock.withLock {
            // Made afresh once per run: a `.course-data` the submission brought is not kept.
            if !dataFolderMade {
                try makeDataFolder()
                dataFolderMade = true
            }
        }
        return dataFolder.appendingPathComponent(name).path
    }

    private var dataFolderMade = false

    private var dataFolder: URL { workDirectory.appendingPathComponent(".course-data") }

    /// Empties the data folder (`--all-stages`: a fresh start after a failed stage begins
    /// without what the program stored before).
    func clearData() {
        try? makeDataFolder()
    }

    /// Makes the data folder afresh. Whatever stands at its path goes first, removed without
    /// following links: the program owns the work folder and may have put a link there to
    /// send the grader, which runs as root, into /etc. Then an empty folder is made (failing,
    /// not following, if something appeared meanwhile) and given to the sandbox uid.
    private func makeDataFolder() throws {
        try remakeOwnFolder(dataFolder)
    }

    /// Makes a folder of the grader's afresh inside the work folder, writable by the program.
    func remakeOwnFolder(_ folder: URL) throws {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        if let sandbox = options.sandbox, geteuid() == 0 {
            lchown(folder.path, sandbox.uid, sandbox.uid)
        }
    }

    /// The environment every command of the submission gets: an allow-list, never the
    /// grader's own variables (which may hold tokens or passwords).
    func baseEnvironment() -> [String: String] {
        let work = workDirectory.path
        var env: [String: String] = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": work,
            "LANG": "C.UTF-8",
            "TMPDIR": "/tmp",
            "TERM": "dumb",
        ]
        if manifest.track == "go" {
            env["GOCACHE"] = options.goCache?.path ?? "\(work)/.course-cache/go-build"
            env["GOPROXY"] = "off"
            env["GOTOOLCHAIN"] = "local"
            env["GOTELEMETRY"] = "off"
            if isGoModule {
                env["GO111MODULE"] = "on"
                // -mod=mod: a go.mod missing a requirement is completed from the proxy, as
                // `go mod tidy` would; -modcacherw: the module cache can be removed with
                // the work folder (Go makes it read-only otherwise).
                env["GOFLAGS"] = "-mod=mod -modcacherw"
                env["GOPATH"] = "\(work)/.course-cache/gopath"
                if let proxy = options.goProxy {
                    env["GOPROXY"] = proxy.goproxy
                    env["GOSUMDB"] = "off"
                }
                if let cache = options.goModuleCache {
                    env["GOMODCACHE"] = cache.path
                }
            } else {
                // Debian's golang-*-dev packages (gin, redigo, jwt, grpc) live in this GOPATH.
                env["GO111MODULE"] = "off"
                env["GOPATH"] = "/usr/share/gocode"
            }
        }
        return env
    }

    /// The full argv for a shell command of the submission, inside every limit.
    func command(_ shell: String, environment: [String: String], resources: ResourceGroup?) -> [String] {
        let limits = exercise.limits
        var argv = ["/usr/bin/prlimit", "--nofile=4096", "--core=0", "--fsize=\(1 << 30)"]
        if geteuid() != 0 {
            // Counted per real uid: the grader's own processes count too, so leave room for them.
            argv.append("--nproc=\(limits.processes + Self.processCount(uid: getuid()))")
        }
        if resources == nil {
            // Virtual memory is far above what a program uses (Go reserves address space):
            // only a backstop; the RSS monitor enforces the real limit.
            argv.append("--as=\(max(limits.memoryMB * 8, 4096) * 1024 * 1024)")
        }
        argv += ["--", "/bin/sh", "-c", shell]
        if let sandbox = options.sandbox {
            argv = sandbox.wrap(argv, workDirectory: workDirectory.path, environment: environment,
                                readOnly: isGoModule ? options.goProxy.map { [$0.folder.path] } ?? [] : [])
        }
        if let resources {
            argv = resources.joinCommand + argv
        }
        return argv
    }

    static func processCount(uid: uid_t) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var count = 0
        for name in names where pid_t(name) != nil {
            var info = stat()
            if stat("/proc/\(name)", &info) == 0 && info.st_uid == uid {
                let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(name)/task").count) ?? 1
                count += threads
            }
        }
        return count
    }

    // MARK: Build

    /// Runs the build command under the build time limit. Its output is the failure reason.
    public func build() async -> BuildOutcome {
        let started = Date()
        guard !manifest.build.trimmingCharacters(in: .whitespaces).isEmpty else { return .built(seconds: 0) }
        let program: RunningProgram
        do {
            program = try start(shell: manifest.build, extraEnvironment: [:], kind: "build")
        } catch {
            return .failed(reason: "the build command could not start: \(error)")
        }
        let termination = await program.waitForExit(seconds: exercise.limits.buildSeconds)
        let output = program.combinedOutput.text
        guard let termination else {
            _ = await program.stop()
            return .failed(reason: "the build took longer than \(SubmissionResult.format(exercise.limits.buildSeconds)) s and was stopped\n\(output)")
        }
        _ = await program.stop()
        guard termination.isSuccess else {
            let limit = program.limitHit.map { " (\($0))" } ?? ""
            let modules = isGoModule ? GoModuleDiagnosis.explain(output: output, proxy: options.goProxy).map { "\n\($0)" } ?? "" : ""
            return .failed(reason: "`\(manifest.build)` \(termination)\(limit)\(modules)\n\(output)")
        }
        return .built(seconds: Date().timeIntervalSince(started))
    }

    // MARK: Running

    /// Starts the program (`run` of the submission manifest) with the exercise's variables;
    /// in race mode, the build made with the race detector, reporting to the race folder.
    public func launch(environment extra: [String: String]) throws -> RunningProgram {
        if raceMode {
            var environment = extra
            environment["GORACE"] = "log_path=\(raceFolder.path)/report"
            // The detector sees a race only when two goroutines really run at once. With one
            // processor for Go (a grader limited to one CPU gets GOMAXPROCS=1) goroutines take
            // turns, and 50 concurrent creates to a store without a lock went unreported in
            // 10 of 10 tries; with 8, the kernel interleaves Go's threads even on one CPU and
            // the same program was reported in 10 of 10, pinned to one CPU or not.
            environment["GOMAXPROCS"] = "8"
            return try start(shell: "exec ./\(Self.raceBinary)", extraEnvironment: environment, kind: "program")
        }
        return try start(shell: "exec " + manifest.run, extraEnvironment: extra, kind: "program")
    }

    // MARK: Race detector

    static let raceBinary = ".course-bin/program-race"

    private enum RaceBuild {
        case notTried
        case built
        case failed(String)
    }

    private var raceBuild = RaceBuild.notTried
    private var raceModeOn = false

    /// Whether the program can be built with the race detector: a Go submission built the
    /// default way (a `course.yaml` with its own build command is run as it says).
    public var canRace: Bool {
        manifest.track == "go" && manifest.build == SubmissionManifest.goDefault.build && manifest.run == SubmissionManifest.goDefault.run
    }

    /// Programs started from now on are the race build (true) or the normal one.
    public var raceMode: Bool {
        get { lock.withLock { raceModeOn } }
        set { lock.withLock { raceModeOn = newValue } }
    }

    /// Why `go build -race` failed, once it was tried and did.
    public var raceBuildFailure: String? {
        lock.withLock {
            if case .failed(let reason) = raceBuild { return reason }
            return nil
        }
    }

    /// Builds the program with the race detector (once; under the build time limit).
    /// Returns whether it built.
    public func prepareRace() async -> Bool {
        switch lock.withLock({ raceBuild }) {
        case .built: return true
        case .failed: return false
        case .notTried: break
        }
        let command = "go build -race -o \(Self.raceBinary) ."
        var outcome = RaceBuild.failed("`\(command)` could not start")
        if let program = try? start(shell: command, extraEnvironment: [:], kind: "build") {
            let termination = await program.waitForExit(seconds: exercise.limits.buildSeconds)
            _ = await program.stop()
            if termination?.isSuccess == true {
                outcome = .built
            } else {
                let why = termination.map { "\($0)" } ?? "took longer than \(SubmissionResult.format(exercise.limits.buildSeconds)) s"
                outcome = .failed("`\(command)` \(why)\n\(program.combinedOutput.text)")
            }
        }
        lock.withLock { raceBuild = outcome }
        if case .built = outcome {
            try? remakeOwnFolder(raceFolder)
            return true
        }
        return false
    }

    // MARK: The learner's Go tests

    private var testBench: GoTestBench?

    /// The bench that runs the learner's Go tests over a correct package and its mutants,
    /// made by `make` on first use and shared by every check of this run.
    func goTestBench(_ make: () throws -> GoTestBench) rethrows -> GoTestBench {
        try lock.withLock {
            if let testBench { return testBench }
            let made = try make()
            testBench = made
            return made
        }
    }

    private var raceFolder: URL { workDirectory.appendingPathComponent(".course-race") }

    /// The race reports written since the last `clearRaceReports()`.
    public func raceReports() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: raceFolder.path)) ?? []
        return names.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: raceFolder.appendingPathComponent(name).path) else { return nil }
            return String(decoding: data.prefix(1 << 20), as: UTF8.self)
        }
    }

    public func clearRaceReports() {
        try? remakeOwnFolder(raceFolder)
    }

    /// Starts a shell command of the submission in its work folder, with its environment,
    /// limits and sandbox (builds, the program, and the test runs of `GoTestBench`).
    func start(shell: String, extraEnvironment: [String: String], kind: String) throws -> RunningProgram {
        let environment = baseEnvironment().merging(extraEnvironment) { $1 }
        let resources = ResourceGroup.make(processes: exercise.limits.processes, memoryMB: exercise.limits.memoryMB,
                                           parent: options.scratch.cgroupParent)
        let argv = command(shell, environment: environment, resources: resources)
        let program = try RunningProgram(arguments: argv, environment: environment, directory: workDirectory.path,
                                         limits: exercise.limits, resources: resources, kind: kind,
                                         log: kind == "program" ? programLog : nil, sandboxed: options.sandbox != nil)
        lock.withLock { programs.append(program) }
        return program
    }

    /// Stops every program still running and removes the work folder.
    public func cleanup() async {
        lock.withLock { testBench }?.cancel()
        let running: [RunningProgram] = lock.withLock {
            defer { programs = [] }
            return programs
        }
        for program in running { _ = await program.stop() }
        try? FileManager.default.removeItem(at: container)
    }
}
