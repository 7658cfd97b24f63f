import Foundation
import Grading

/// One client of the echo server as a check drives it: what it sent and what came back are
/// kept, so a failure shows the whole exchange.
final class EchoClient: @unchecked Sendable {
    let name: String
    private let connection: LineConnection
    private var sent: [String] = []
    private var received: [String] = []

    init(port: Int, name: String = "the client") throws {
        self.name = name
        do {
            connection = try LineConnection(port: port)
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
            throw failure("\(name) could not send: \(error)", partial: "", hint: hint)
        }
        sent += lines
        for line in lines {
            switch connection.readLine(within: seconds) {
            case .line(let got):
                received.append(got)
                if got != line {
                    throw failure("\(name) sent \(Self.quote(line)) and got \(Self.quote(got)) back", partial: "",
                                  hint: got.uppercased() == line.uppercased() ? "send each line back exactly as it came, letter case included" : hint)
                }
            case .closed(let partial):
                throw failure("the server closed \(name)'s connection after answering \(received.count) of \(sent.count) lines",
                              partial: partial, hint: hint ?? "keep reading a connection until the client closes it")
            case .silent(let partial):
                throw failure("\(name) got no answer to \(Self.quote(line)) within \(SubmissionResult.format(seconds)) s",
                              partial: partial, hint: hint ?? "write each line back as soon as it is read, newline included")
            }
        }
    }

    func close() {
        connection.close()
    }

    private func failure(_ message: String, partial: String, hint: String?) -> CheckFailure {
        var got = received.joined(separator: "\n")
        if !partial.isEmpty { got += (got.isEmpty ? "" : "\n") + partial + "   (no newline after this)" }
        return CheckFailure(message, sent: sent.joined(separator: "\n"), received: got.isEmpty ? "(nothing)" : got,
                            expected: sent.joined(separator: "\n"), hint: hint)
    }

    static func quote(_ line: String) -> String {
        "\"" + (line.count > 80 ? String(line.prefix(80)) + "…" : line) + "\""
    }
}
