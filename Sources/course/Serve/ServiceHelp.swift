import Grading

/// Help text for `course serve`, made from what the pieces declare.
enum ServiceHelp {
    /// One line per service people may run.
    static func list(_ registry: PieceRegistry) -> String {
        let services = registry.services.values.filter { !$0.hidden }.sorted { $0.name < $1.name }
        let width = services.map(\.name.count).max() ?? 0
        return services.map { "  \($0.name.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.summary)" }.joined(separator: "\n")
    }

    /// `course serve NAME --help`.
    static func usage(_ service: ServiceDefinition) -> String {
        var rows = [("--port N", "Port on 127.0.0.1 (0: any free port; default \(service.defaultPort))."),
                    ("--quiet", "Print only where it listens, not what happens (for benchmarks).")]
        for option in service.options where !option.hidden {
            let value = option.kind == .flag ? "" : " \(option.valueName)"
            rows.append(("--\(option.name)\(value)", option.help + (option.kind == .list ? " Repeatable." : "")))
        }
        let width = rows.map(\.0.count).max() ?? 0
        var text = "OVERVIEW: \(service.summary)\n\n"
        if !service.discussion.isEmpty { text += wrap(service.discussion, indent: 0) + "\n\n" }
        text += "USAGE: course serve \(service.name) [options]\n\nOPTIONS:\n"
        text += rows.map { name, help in
            "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + wrap(help, indent: width + 4).dropFirst(width + 4)
        }.joined(separator: "\n") + "\n"
        return text
    }

    /// Words filled into lines of at most `columns`, every line indented by `indent`.
    static func wrap(_ text: String, indent: Int, columns: Int = 80) -> String {
        var lines: [String] = []
        var line = ""
        let pad = String(repeating: " ", count: indent)
        for word in text.split(whereSeparator: \.isWhitespace) {
            if !line.isEmpty && indent + line.count + 1 + word.count > columns {
                lines.append(pad + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        lines.append(pad + line)
        return lines.joined(separator: "\n")
    }
}
