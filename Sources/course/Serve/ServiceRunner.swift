import CourseEngine
import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// Runs a service in the foreground: start, say where it listens, print what it records as
/// it happens, and on SIGINT or SIGTERM stop it (gracefully, as the service can) and return.
struct ServiceRunner {
    let definition: ServiceDefinition

    func run(port: Int, options: ServiceOptionValues) async throws {
        let signals = SignalWaiter([SIGINT, SIGTERM])
        let instance: any ServiceInstance
        do {
            let print: @Sendable (String) -> Void = { line in try? StandardOutput.write(line + "\n") }
            let log = options.flag("quiet") ? nil : print
            instance = try await definition.start(ServiceLaunch(port: port, options: options, seed: UInt64.random(in: 1...UInt64(Int64.max)),
                                                                log: log))
        } catch {
            throw CourseError("\(definition.name) could not run: \(error)")
        }
        try? StandardOutput.write("\(definition.name) listening on \(definition.address.address(port: instance.port))\n")
        await signals.next()
        await instance.stop()
    }
}

/// Waits for one of some signals, which no longer end the process by default meanwhile.
final class SignalWaiter: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let stream: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation

    init(_ numbers: [Int32]) {
        (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        for number in numbers {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [continuation] in continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Returns when the first signal arrives.
    func next() async {
        var iterator = stream.makeAsyncIterator()
        _ = await iterator.next()
    }
}
