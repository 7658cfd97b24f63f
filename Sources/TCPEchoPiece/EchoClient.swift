import Foundation
import Grading

/// One client of the echo server as a check drives it, on the engine's `TCPConnection`: a
/// failure shows the whole exchange byte for byte (a `\r` or a missing newline is visible).
/// Blocking: use it from `Blocking.run`.
final class EchoClient: @unchecked Sendable {
    let name: String
    private let connection: TCPConnection
    private var answered = 0
    private var asked = 0

    init(port: Int, name: String = "the client") throws {
        self.name = name
        do {
            connection = try TCPConnection(port: port)
        } catch {
            throw CheckFailure("\(name) could not connect: \(error)", hint: "listen on 127.0.0.1 and the port in the PORT variable")
        }
    }

    /// Sends `lines` in one write, then expects each of them back, in order, each within
    /// `seconds`.
    func echo(_ lines: [String], within seconds: Double, hint: String? = nil) throws {
        do {
            try connection.send(lines.map { $0 + "\n" }.joined())
        } catch {
            throw failure("\(name) could not send: \(error)", hint: hint)
        }
        asked += lines.count
        for line in lines {
            switch connection.readLine(timeout: seconds) {
            case .data(let bytes):
                answered += 1
                let got = String(decoding: bytes, as: UTF8.self)
                if bytes != Array(line.utf8) {
                    throw failure("\(name) sent \(Self.quote(line)) and got \(Self.quote(EscapedBytes.text(bytes))) back",
                                  hint: got.uppercased() == line.uppercased() ? "send each line back exactly as it came, letter case included" : hint)
                }
            case .closed:
                throw failure("the server closed \(name)'s connection after answering \(answered) of \(asked) lines",
                              hint: hint ?? "keep reading a connection until the client closes it")
            case .silent(_, let waited):
                throw failure("\(name) got no answer to \(Self.quote(line)) within \(SubmissionResult.format(waited)) s",
                              hint: hint ?? "write each line back as soon as it is read, newline included")
            }
        }
    }

    func close() {
        connection.close()
    }

    /// What was sent and what came back, escaped; every byte sent was expected back.
    private func failure(_ message: String, hint: String?) -> CheckFailure {
        let transcript = connection.transcript
        return CheckFailure(message, sent: transcript.sentText(), received: transcript.receivedText(),
                            expected: transcript.sentText(), hint: hint)
    }

    static func quote(_ line: String) -> String {
        "\"" + (line.count > 80 ? String(line.prefix(80)) + "…" : line) + "\""
    }
}
