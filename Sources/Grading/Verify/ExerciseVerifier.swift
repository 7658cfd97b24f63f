import CourseEngine
import Foundation

/// Proves an exercise's checks, for course authors (`course verify`): the sample solution
/// (`solution/go`) and the piece's in-process reference pass every stage, the starter
/// (`starter/go`) builds and fails stage 1, and every mutant (folders under `mutants/` and
/// those the suite registers) fails at least one check.
///
/// Variants are graded in parallel, `jobs` at a time, each by the ordinary `Grader`, whose
/// teardown stops every program it started.
public struct ExerciseVerifier: Sendable {
    public let grader: Grader
    public let jobs: Int

    public init(grader: Grader, jobs: Int) {
        self.grader = grader
        self.jobs = max(1, jobs)
    }

    /// One variant to grade, in the order the lines are printed.
    struct Job: Sendable {
        let exercise: ExerciseManifest
        let kind: Verification.Kind
        let name: String
        let broken: String
        let source: Mutant.Source?
    }

    /// Verifies `exercises`; `finished` is called in order, each line as soon as it and every
    /// line before it are known.
    public func verify(_ exercises: [ExerciseManifest], finished: @escaping @Sendable (Verification) -> Void = { _ in }) async -> [Verification] {
        let work = exercises.flatMap(jobs(for:))
        var results = [Verification?](repeating: nil, count: work.count)
        var printed = 0
        await withTaskGroup(of: (Int, Verification).self) { group in
            var next = 0
            func add() {
                // A coverage line is worked out from the lines before it, when they are in.
                while next < work.count, work[next].kind == .coverage { next += 1 }
                guard next < work.count else { return }
                let index = next
                next += 1
                group.addTask { (index, await run(work[index])) }
            }
            func flush() {
                while printed < results.count {
                    if results[printed] == nil, work[printed].kind == .coverage {
                        let mutants = results[..<printed].compactMap { $0 }.filter { $0.exerciseID == work[printed].exercise.id && $0.kind == .mutant && $0.ok }
                        results[printed] = coverage(of: work[printed].exercise, mutants: mutants)
                    }
                    guard let ready = results[printed] else { return }
                    finished(ready)
                    printed += 1
                }
            }
            for _ in 0..<jobs { add() }
            flush()
            while let (index, verification) = await group.next() {
                results[index] = verification
                flush()
                add()
            }
        }
        return results.compactMap { $0 }
    }

    func jobs(for exercise: ExerciseManifest) -> [Job] {
        guard let suite = grader.registry.suite(exercise.checks) else {
            return [Job(exercise: exercise, kind: .exercise, name: "", broken: "", source: nil)]
        }
        var jobs: [Job] = []
        for kind in [Verification.Kind.solution, .starter] {
            let folder = exercise.folder?.appendingPathComponent("\(kind.rawValue)/go")
            jobs.append(Job(exercise: exercise, kind: kind, name: "", broken: "", source: folder.map(Mutant.Source.folder)))
        }
        if let reference = suite.reference, reference.serves(exercise) {
            jobs.append(Job(exercise: exercise, kind: .reference, name: "", broken: "", source: reference.source))
        }
        for mutant in Mutant.folders(of: exercise) + suite.mutants.filter({ $0.applies(to: exercise) }) {
            jobs.append(Job(exercise: exercise, kind: .mutant, name: mutant.name, broken: mutant.broken, source: mutant.source))
        }
        jobs.append(Job(exercise: exercise, kind: .coverage, name: "", broken: "", source: nil))
        return jobs
    }

    /// Every check of the exercise must fail on at least one mutant: a check no mutant
    /// fails has never been seen to catch anything.
    func coverage(of exercise: ExerciseManifest, mutants: [Verification]) -> Verification {
        let stages = (try? grader.registry.suite(exercise.checks)?.stages(for: exercise)) ?? [:]
        let all = exercise.stages.flatMap { stage in (stages[stage.id] ?? []).map { "\(stage.id)/\($0.id)" } }
        let caught = Set(mutants.flatMap(\.failedChecks))
        let missed = all.filter { !caught.contains($0) }
        // Hints for a check no stage has would never be shown.
        do {
            if let hints = try ExerciseHints.load(exercise) {
                let unknown = hints.checkSections.filter { !all.contains("\($0.stage)/\($0.check)") }
                if let first = unknown.first {
                    let known = (stages[first.stage] ?? []).map(\.id).joined(separator: ", ")
                    return Verification(exerciseID: exercise.id, kind: .coverage, ok: false,
                                        reason: "\(hints.file):\(first.line): no check '\(first.check)' in the stage '\(first.stage)' (its checks: \(known))")
                }
            }
        } catch {
            return Verification(exerciseID: exercise.id, kind: .coverage, ok: false, reason: "\(error)")
        }
        if missed.isEmpty {
            return Verification(exerciseID: exercise.id, kind: .coverage, ok: true,
                                reason: "each of the \(all.count) checks fails on at least one of the \(mutants.count) mutants")
        }
        return Verification(exerciseID: exercise.id, kind: .coverage, ok: false,
                            reason: "\(missed.count) of \(all.count) checks fail on no mutant, so nothing shows they catch a mistake: "
                                + missed.joined(separator: ", ") + " (add a mutant under mutants/ that each should catch)")
    }

    func run(_ job: Job) async -> Verification {
        let exercise = job.exercise
        func fail(_ reason: String) -> Verification {
            Verification(exerciseID: exercise.id, kind: job.kind, name: job.name, ok: false, reason: reason)
        }
        if job.kind == .exercise {
            return fail("no piece registers the checks '\(exercise.checks)' that \(exercise.file) names")
        }
        if job.kind == .mutant && job.broken.isEmpty {
            return fail("does not say what it breaks: add a one-line mutants/\(job.name)/\(Mutant.descriptionFile)")
        }
        // An exercise graded every stage by default is verified that way: its checks after a
        // failed stage count towards coverage too (users-tests: each bug's check fails on an
        // empty test suite, whose first stage fails).
        var grader = self.grader
        grader.allStages = grader.allStages || exercise.allStages
        do {
            let result: SubmissionResult
            switch job.source {
            case .folder(let folder):
                guard FileManager.default.fileExists(atPath: folder.path) else {
                    return fail("Exercises/\(exercise.id)/\(folder.deletingLastPathComponent().lastPathComponent)/go does not exist")
                }
                if job.kind == .mutant, let solution = exercise.folder?.appendingPathComponent("solution/go") {
                    let overlaid = try Mutant.overlay(folder, on: solution)
                    defer { try? FileManager.default.removeItem(at: overlaid.deletingLastPathComponent()) }
                    result = try await grader.grade(exercise: exercise, folder: overlaid, learner: job.variantName)
                } else {
                    result = try await grader.grade(exercise: exercise, folder: folder, learner: job.variantName)
                }
            case .server(let server):
                result = try await grader.grade(exercise: exercise, server: server, name: job.variantName)
            case .command(let command):
                result = try await grader.grade(exercise: exercise, command: command, name: job.variantName)
            case .service(let service, let arguments):
                result = try await grader.grade(exercise: exercise, service: service, arguments: arguments, name: job.variantName)
            case nil:
                return fail("the exercise has no folder")
            }
            return Verification.judge(result, exerciseID: exercise.id, kind: job.kind, name: job.name, broken: job.broken)
        } catch {
            return fail("cannot be graded: \(error)")
        }
    }
}

extension ExerciseVerifier.Job {
    var variantName: String { name.isEmpty ? kind.rawValue : "\(kind.rawValue)-\(name)" }
}
