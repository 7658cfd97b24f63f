import ArgumentParser
import CourseEngine
import Foundation

/// For course authors: preview any markdown file as `course lesson` would show it, without
/// touching progress. Also what the rendering benchmark times.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render markdown files for the terminal (or as HTML), for authors previewing a lesson.")

    @Argument(help: "Markdown files to render, one after another.", completion: .file(extensions: ["md"]))
    var files: [String]

    @Flag(name: .long, help: "Write HTML (cmark's renderer) instead.")
    var html = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = TerminalInfo.detect(color: global.color, width: global.width, environment: environment)
        let renderer = TerminalRenderer(width: terminal.width, capabilities: terminal.capabilities)
        var output = ""
        for file in files {
            let text = try SourceFile.read(URL(fileURLWithPath: file), displayPath: file)
            output += html ? HTMLRenderer.fragment(markdown: text) : renderer.render(MarkdownDocument(parsing: text))
        }
        if terminal.isTerminal && !global.noPager && !html {
            _ = try Pager(environment: environment).show(output)
        } else {
            try StandardOutput.write(output)
        }
    }
}
