import Foundation

/// Go's race detector as a check. A stage marked `race: true` runs the program built with
/// `go build -race`, and this check, added as the stage's last, fails when the detector
/// reported a data race while the stage ran. Effect-based checks (lost users, duplicate ids)
/// find a race only when the scheduler happens to interleave badly; the detector reports an
/// unguarded access the first time two goroutines make it, so a lucky run cannot pass.
/// Reports go to files (`GORACE=log_path=…`), not to the program's output, where a long log
/// could push them out of what is kept.
public enum RaceDetector {
    public static let checkID = "race-detector"

    /// The check added to a `race: true` stage, worth as much as the stage's other checks
    /// together (`weight`): a race is what a concurrency stage is about.
    public static func check(weight: Double) -> Check {
        Check(checkID, "no data race (Go's race detector, go build -race)", weight: weight, body)
    }

    static let body: @Sendable (CheckContext) async throws -> Void = { context in
        guard let run = context.run else { return }
        if let failure = run.raceBuildFailure {
            throw CheckFailure("the program could not be built with Go's race detector, so this stage cannot look for races",
                               received: failure,
                               hint: "`go build -race` must work in your folder; without cgo (CGO_ENABLED=0) it cannot")
        }
        // A report is written as the race happens; give one still being written a moment.
        try? await Task.sleep(nanoseconds: 100_000_000)
        let reports = run.raceReports()
        guard let summary = summary(of: reports, workDirectory: run.workDirectory.path) else { return }
        throw CheckFailure("Go's race detector found a data race: two goroutines used the same memory at once, at least one "
                           + "writing, with nothing making them take turns",
                           received: summary,
                           hint: "guard what the handlers share (the map, the next id) with one sync.Mutex, held for the whole "
                             + "check-then-change; `go run -race .` and a burst of requests shows the race on your machine")
    }

    /// The first report, trimmed to what a learner needs (each access with the frames in
    /// their own files, as `file.go:line`), and how many other distinct races there were;
    /// nil when there is no report.
    public static func summary(of files: [String], workDirectory: String) -> String? {
        var reports: [String] = []
        for text in files {
            for block in text.components(separatedBy: "==================") where block.contains("WARNING: DATA RACE") {
                let trimmed = trim(block, workDirectory: workDirectory)
                if !reports.contains(trimmed) { reports.append(trimmed) }
            }
        }
        guard let first = reports.first else { return nil }
        let more = reports.count - 1
        return first + (more > 0 ? "\n(\(more) more race\(more == 1 ? "" : "s") reported at other lines; fix this one and check again)" : "")
    }

    /// One report: access headers without addresses, each followed by its top frame (which
    /// says what was touched, `runtime.mapassign_faststr` is a map write) and the frames in
    /// the learner's own files; "created at" sections as the learner's line that started
    /// the goroutine.
    static func trim(_ block: String, workDirectory: String) -> String {
        let prefix = workDirectory.hasSuffix("/") ? workDirectory : workDirectory + "/"
        let lines = block.components(separatedBy: "\n")
        var out: [String] = []
        var index = 0
        var frames: [(function: String, place: String, own: Bool)] = []
        var header: String?

        func flush() {
            guard let title = header else { return }
            header = nil
            let own = frames.filter(\.own)
            if title.hasPrefix("Goroutine") {
                let started = own.first.map { "\($0.function) at \($0.place)" } ?? frames.last.map { "\($0.function) at \($0.place)" } ?? "?"
                let perConnection = frames.contains { $0.function.hasPrefix("net/http.(*Server).Serve") }
                out.append("\(title) \(started)\(perConnection ? " (net/http runs each connection in its own goroutine)" : "")")
            } else {
                out.append(title)
                if let top = frames.first, !top.own {
                    out.append("  \(top.function)\(what(top.function).map { "  (\($0))" } ?? "")")
                }
                for frame in own.prefix(4) { out.append("  \(frame.function)  \(frame.place)") }
            }
            frames = []
        }

        while index < lines.count {
            let line = lines[index]
            let trimmedLine = line.trimmingCharacters(in: .whitespaces)
            if trimmedLine.isEmpty || trimmedLine == "WARNING: DATA RACE" {
                index += 1
                continue
            }
            if !line.hasPrefix(" ") {
                // A section header: "Write at 0x… by goroutine 8:", "Goroutine 8 (running) created at:".
                flush()
                header = sectionTitle(trimmedLine)
                index += 1
                continue
            }
            // A frame: the function on one line, its file on the next.
            let function = trimmedLine
            var place = ""
            if index + 1 < lines.count, lines[index + 1].hasPrefix("      ") {
                place = lines[index + 1].trimmingCharacters(in: .whitespaces)
                if let plus = place.range(of: " +0x") { place = String(place[..<plus.lowerBound]) }
                index += 1
            }
            index += 1
            if place.hasPrefix("<autogenerated>") { continue }
            let own = place.hasPrefix(prefix)
            frames.append((function, own ? String(place.dropFirst(prefix.count)) : place, own))
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// What a runtime function at the top of an access does, in words.
    static func what(_ function: String) -> String? {
        if function.hasPrefix("runtime.mapaccess") { return "reading a map" }
        if function.hasPrefix("runtime.mapassign") { return "writing a map" }
        if function.hasPrefix("runtime.mapdelete") { return "deleting from a map" }
        if function.hasPrefix("runtime.slicecopy") || function.hasPrefix("runtime.growslice") { return "copying or growing a slice" }
        return nil
    }

    /// "Write at 0x00c000 by goroutine 8:" → "Write by goroutine 8:";
    /// "Goroutine 8 (running) created at:" → "Goroutine 8 was started by".
    static func sectionTitle(_ line: String) -> String {
        if line.hasPrefix("Goroutine "), let created = line.range(of: " created at:") {
            let name = line[..<created.lowerBound].replacingOccurrences(of: " (running)", with: "").replacingOccurrences(of: " (finished)", with: "")
            return "\(name) was started by"
        }
        if let at = line.range(of: " at 0x"), let by = line.range(of: " by ", range: at.upperBound..<line.endIndex) {
            return String(line[..<at.lowerBound]) + String(line[by.lowerBound...])
        }
        return line
    }
}
