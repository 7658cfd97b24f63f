import ArgumentParser
import CourseEngine
import Foundation
import Grading

/// `course serve NAME [OPTIONS]`: runs one of the pieces' services in the foreground (a
/// reference server, a companion such as the instrumented upstream) for learners to try and
/// for other tools. One command serves every registered service: its options are the ones
/// the piece declares, so a new piece adds no file here.
struct ServeCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "serve",
            abstract: "Run a reference server or service until Ctrl-C or SIGTERM.",
            discussion: "Services:\n" + ServiceHelp.list(Pieces.registry) + "\n\n`course serve NAME --help` lists a service's options.")
    }

    @Argument(help: ArgumentHelp("The service to run.", valueName: "name"))
    var service: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The service's options (--port N and its own).", valueName: "options"))
    var options: [String] = []

    func run() async throws {
        guard let definition = Pieces.registry.service(service) else {
            let names = Pieces.registry.services.values.filter { !$0.hidden }.map(\.name).sorted()
            let near = Suggest.nearest(service, among: names)
            throw CourseError("there is no service '\(service)'",
                              hint: near.isEmpty ? "services: \(names.joined(separator: ", "))" : "did you mean '\(near[0])'?")
        }
        if options.contains("--help") || options.contains("-h") {
            try StandardOutput.write(ServiceHelp.usage(definition))
            return
        }
        let parsed: (port: Int?, values: ServiceOptionValues)
        do {
            parsed = try ServiceOptionValues.parse(options, options: definition.options, environment: ProcessInfo.processInfo.environment)
        } catch let error as ServiceOptionError {
            throw CourseError("\(error.description)", hint: "`course serve \(definition.name) --help` lists its options")
        }
        try await ServiceRunner(definition: definition).run(port: parsed.port ?? definition.defaultPort, options: parsed.values)
    }
}
