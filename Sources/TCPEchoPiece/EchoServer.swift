import Grading

/// The reference echo server, run in-process on the engine's `ThreadedListener`: every byte
/// a client sends is sent back, so every line comes back as it was. A `Flaw` makes it one of
/// the piece's mutants.
enum EchoServer {
    enum Flaw: Sendable {
        case faithful
        /// Serves a connection to its end before accepting the next.
        case serial
    }

    /// The server as the grader starts it: on a port it is given, stopped when grading ends.
    static func server(_ flaw: Flaw) -> InProcessServer {
        InProcessServer { port, _ in
            let listener = try ThreadedListener(port: port, name: "course-echo-server", serving: flaw == .serial ? .oneAtATime : .concurrently) { connection in
                while let bytes = connection.receive(), connection.send(bytes) {}
            }
            return InProcessServer.Instance { await listener.stop() }
        }
    }
}
