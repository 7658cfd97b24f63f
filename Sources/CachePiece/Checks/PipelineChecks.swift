import Foundation
import Grading

/// Stage 7: pipelining. A client sends many commands in one write and reads the replies
/// afterwards; they come back complete and in the order of the commands.
enum PipelineChecks {
    static let count = 100

    static let checks: [Check] = [
        Check("pipeline", "\(count) commands sent in one write are answered in order") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                let keys = cache.keys
                let counter = keys.key("count")
                var commands: [CacheCommand] = []
                for index in 0..<(count / 4) {
                    let key = keys.key("k\(index)")
                    commands += [CacheCommand("SET", key, keys.value("v\(index)")), CacheCommand("GET", key),
                                 CacheCommand("INCR", counter), CacheCommand("ECHO", "message \(index)")]
                }
                let sent = commands.flatMap(\.encoded)
                try client.send(commands)
                for (index, command) in commands.enumerated() {
                    do {
                        try client.expectReply(to: command, why: "reply \(index + 1) of \(count), to command \(index + 1) of the \(count) sent in one write of \(sent.count) bytes",
                                               hint: "read and answer commands one after another from a buffered reader (bufio.Reader) that lives as long as the connection, "
                                                   + "so the commands after the first in one read are not lost; answer each in turn, in order, on the connection's own goroutine")
                    } catch var failure as CheckFailure {
                        let first = commands.prefix(2).flatMap(\.encoded)
                        failure.sent = "(\(count) commands in one write of \(sent.count) bytes; the first two:)\n" + EscapedBytes.text(first)
                            + "\n(…; command \(index + 1), `\(command.readable)`:)\n" + EscapedBytes.text(command.encoded, limit: 600)
                        failure.received = (index == 0 ? "" : "(replies 1 to \(index) were right; then:)\n") + (failure.received ?? "")
                        throw failure
                    }
                }
            }
        },
    ]
}
