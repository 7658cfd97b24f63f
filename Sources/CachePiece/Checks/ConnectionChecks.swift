import Foundation
import Grading

/// Stages 1 and 2: the server speaks RESP at all (PING), and serves many clients at once,
/// none held up by another that is slow to send its command.
enum ConnectionChecks {
    static let ping = CacheCommand("PING")

    static let pong: [Check] = [
        Check("pong", "PING is answered +PONG, again and again on one connection") { context in
            try await CacheCheck.run(context) { cache in
                let client = try cache.connect()
                try client.expect(ping, hint: "read the command (an array of bulk strings: *1\\r\\n$4\\r\\nPING\\r\\n) and answer the simple string +PONG\\r\\n")
                for _ in 0..<2 {
                    try client.expect(ping, why: "a connection carries many commands, one after another",
                                      hint: "keep reading commands from the connection in a loop until the client closes it")
                }
                client.close()
                try cache.connect("a second client, after the first closed").expect(ping, hint: "keep accepting connections in a loop")
            }
        },
    ]

    static let concurrentClients = 10

    static let clients: [Check] = [
        Check("concurrent", "\(concurrentClients) clients connected at once are all answered") { context in
            try await CacheCheck.run(context) { cache in
                let clients = try (1...concurrentClients).map { try cache.connect("client \($0) of \(concurrentClients)") }
                // The last to connect asks first: a server still busy with the first
                // connection never reads it.
                for client in clients.reversed() {
                    try client.expect(ping, why: "all \(concurrentClients) clients are connected at the same time",
                                      hint: "serve each connection in a goroutine of its own (go serve(conn)) and go back to Accept at once")
                }
                for client in clients { try client.expect(ping) }
            }
        },
        Check("slow-client", "a client that sends half a command holds up no one else") { context in
            try await CacheCheck.run(context) { cache in
                let slow = try cache.connect("a slow client")
                let bytes = ping.encoded
                let half = bytes.count - 3 // *1\r\n$4\r\nPI
                try slow.sendRaw(Array(bytes.prefix(half)))
                // Give the server time to start reading the slow client's command.
                Thread.sleep(forTimeInterval: 0.2)
                let other = try cache.connect("another client")
                try other.expect(ping, why: "a slow client has sent only \(RESPSession.oneLine(Array(bytes.prefix(half)))) of its command, and this one must not wait for it",
                                 hint: "a lock held while reading a client's command holds up every other client: read the whole command first, then lock the store only to run it")
                try slow.sendRaw(Array(bytes.suffix(from: half)))
                try slow.expectReply(to: ping, why: "the slow client sent the rest of its PING")
            }
        },
    ]
}
