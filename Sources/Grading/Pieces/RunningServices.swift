import CourseEngine
import Foundation

/// The services one grading run started for its program (those its variables name): started
/// before the program, in the grader's process (so in a class grading, in the worker's
/// private network namespace, where the sandboxed program reaches them on loopback and
/// nothing else does), reset before every check, stopped when the run ends.
final class RunningServices: @unchecked Sendable {
    private let instances: [(definition: ServiceDefinition, instance: any ServiceInstance)]

    private init(_ instances: [(ServiceDefinition, any ServiceInstance)]) {
        self.instances = instances
    }

    /// Starts every service `exercise` needs, each on a port the system chooses. A service
    /// that cannot start stops the ones before it and throws: that is the grader's failure,
    /// not the program's.
    static func start(for exercise: ExerciseManifest, registry: PieceRegistry, seed: UInt64) async throws -> RunningServices {
        var started: [(ServiceDefinition, any ServiceInstance)] = []
        for definition in registry.services(for: exercise) {
            do {
                started.append((definition, try await definition.start(ServiceLaunch(port: 0, seed: seed))))
            } catch {
                for (_, instance) in started { await instance.stop() }
                throw CourseError("the grader could not start the service '\(definition.name)' that \(exercise.id) needs: \(error)")
            }
        }
        return RunningServices(started)
    }

    /// The address a program is given for the service, nil when it is not running.
    func address(of name: String) -> String? {
        instances.first { $0.definition.name == name }.map { $0.definition.address.address(port: $0.instance.port) }
    }

    func instance<Instance>(_ key: ServiceKey<Instance>) -> Instance? {
        instances.first { $0.definition.name == key.name }?.instance as? Instance
    }

    var names: [String] { instances.map(\.definition.name) }

    func reset() async {
        for (_, instance) in instances { await instance.reset() }
    }

    func stop() async {
        for (_, instance) in instances { await instance.stop() }
    }
}
