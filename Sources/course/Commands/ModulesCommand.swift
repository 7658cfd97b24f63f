import ArgumentParser
import CourseEngine
import Foundation
import Grading

/// `course modules`: the Go modules available offline (the proxy setup made from Debian's
/// Go packages), and whether the learner's `go` command is set up to use them.
struct ModulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modules",
        abstract: "List the Go modules you can use offline (go get, go mod tidy).",
        discussion: "They come from Debian's Go packages, served to Go by a local module proxy that ./course builds; only these exist offline.")

    @OptionGroup var global: GlobalOptions

    struct ModulesJSON: Encodable {
        struct Module: Encodable {
            let path: String
            let version: String
        }
        let proxy: String
        let goproxy: String
        let goConfigured: Bool
        let modules: [Module]
    }

    func run() async throws {
        let context = try CommandContext(global)
        guard let proxy = context.goProxy else {
            throw CourseError("the offline Go module proxy is not built",
                              file: context.course.root.appendingPathComponent(GoModuleProxy.folderName).path,
                              hint: "run ./course once: its setup builds the proxy from Debian's Go packages")
        }
        let inUse = await Self.goEnvironment("GOPROXY")
        let configured = inUse.split(separator: ",").first.map(String.init) == proxy.goproxy
        if global.json {
            try StandardOutput.json(ModulesJSON(proxy: proxy.folder.path, goproxy: proxy.goproxy, goConfigured: configured,
                                                modules: proxy.modules.map { .init(path: $0.path, version: $0.version) }))
            return
        }
        let width = proxy.modules.map(\.path.count).max() ?? 0
        var text = "Go modules available offline (\(proxy.modules.count), from Debian's Go packages, served from \(proxy.folder.path)):\n\n"
        for module in proxy.modules {
            text += "  " + module.path.padding(toLength: width + 2, withPad: " ", startingAt: 0) + module.version + "\n"
        }
        text += "\nIn a folder with a go.mod: `go get github.com/gin-gonic/gin@v1.8.1`, or import it and run `go mod tidy`.\n"
        if configured {
            text += "Your go command uses this proxy (go env GOPROXY: \(inUse)).\n"
        } else {
            text += "Your go command does not use this proxy (go env GOPROXY: \(inUse.isEmpty ? "unknown" : inUse)): run ./course "
                + "(its setup configures Go), or `go env -w GOPROXY=\(proxy.goproxy) GOSUMDB=off`; "
                + "a GOPROXY environment variable overrides both.\n"
        }
        try StandardOutput.write(text)
    }

    /// `go env NAME` as the learner's shell would see it ("" when go cannot run).
    static func goEnvironment(_ name: String) async -> String {
        await Blocking.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["go", "env", name]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                return ""
            }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
