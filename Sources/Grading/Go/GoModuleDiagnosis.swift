import Foundation

/// Plain words for a module-mode Go build that failed because of what the offline module
/// proxy has: Go's own message (`reading file:///…/@v/list: no such file or directory`)
/// names a file, not the reason, which is that only Debian's Go modules exist offline.
public enum GoModuleDiagnosis {
    /// What to tell the learner about `output` (the build's), or nil when the failure has
    /// nothing to do with modules.
    public static func explain(output: String, proxy: GoModuleProxy?) -> String? {
        guard let proxy else {
            guard output.contains("module lookup disabled by GOPROXY=off") else { return nil }
            return "This folder is a Go module (it has a go.mod) and imports modules, but the course's offline "
                + "module proxy is not built on this machine: run ./course once (its setup builds it)."
        }
        var missing: [String] = []
        var wrongVersions: [(module: String, asked: String, served: String)] = []
        for line in output.split(separator: "\n") {
            if let module = capture(missingModule, in: line) {
                if !missing.contains(module) { missing.append(module) }
            } else if let versioned = capture(missingVersion, in: line) {
                let parts = versioned.split(separator: "@", maxSplits: 1).map(String.init)
                if let served = proxy.module(parts[0]) {
                    if !wrongVersions.contains(where: { $0.module == parts[0] }) {
                        wrongVersions.append((parts[0], parts[1], served.version))
                    }
                } else if !missing.contains(parts[0]) {
                    missing.append(parts[0])
                }
            }
        }
        guard !missing.isEmpty || !wrongVersions.isEmpty else { return nil }
        var text: [String] = []
        for wrong in wrongVersions {
            text.append("go.mod asks for \(wrong.module) \(wrong.asked), but offline the course has it only at \(wrong.served) "
                + "(the version Debian packages): run `go get \(wrong.module)@\(wrong.served)` in your folder, "
                + "or change the require line.")
        }
        if !missing.isEmpty {
            let names = missing.joined(separator: ", ")
            text.append("Your code needs \(names), which \(missing.count == 1 ? "is" : "are") not among the Go modules "
                + "available offline here. Use the standard library or one of the \(proxy.modules.count) modules the "
                + "course's module proxy serves (from Debian's Go packages; `./course modules` lists them too):\n"
                + proxy.modules.map { "  \($0.path) \($0.version)" }.joined(separator: "\n"))
        }
        return text.joined(separator: "\n")
    }

    /// Go's words for a module the proxy lacks, and for a version of one it has.
    private static let missingModule = try! NSRegularExpression(pattern: #"module (\S+): reading file://\S+/@v/list: no such file"#)
    private static let missingVersion = try! NSRegularExpression(
        pattern: #"(\S+@\S+): reading file://\S+/@v/\S+\.(?:zip|info|mod): no such file"#)

    private static func capture(_ expression: NSRegularExpression, in line: Substring) -> String? {
        let text = String(line)
        guard let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }
}
