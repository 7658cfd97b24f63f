import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// `users-graceful`: `/healthz`, and a SIGTERM that stops new connections at once but lets
/// the request in flight finish, then exits 0, as Kubernetes expects of a pod.
enum GracefulChecks {
    static let healthz: [Check] = [
        Check("healthz", "GET /healthz is 200 {\"status\":\"ok\"}") { context in
            let exchange = try await context.http().exchange(HTTPRequest("GET", "/healthz"))
            let expected = #"200 with {"status":"ok"}"#
            try exchange.expectStatus(200, meaning: "the server is up", hint: "a handler for /healthz that answers at once, without touching the store")
            let body = try exchange.expectObject(expected, fields: ["status": "string"])
            if body["status"]?.string != "ok" { throw exchange.failure("status is \(body["status"]!)", expected: expected) }
        },
    ]

    static let drain: [Check] = [
        Check("drains", "on SIGTERM a request in flight completes, new connections are refused, exit 0", weight: 3) { context in
            let endpoint = try await context.endpoint()
            let program = try await context.serverProgram()
            var sample = SampleUsers(context)
            let person = sample.next()
            let body = Array(CheckedUser.body(name: person.name, email: person.email).utf8)
            let half = body.count / 2
            let head = "POST /api/v1/users HTTP/1.1\r\nHost: \(endpoint.host):\(endpoint.port)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            let shown = "POST /api/v1/users HTTP/1.1\nContent-Type: application/json\nContent-Length: \(body.count)\n\n"
                + String(decoding: body, as: UTF8.self) + "\n(sent in two parts: the headers and \(half) bytes of the body, then SIGTERM, then the rest)"
            func failure(_ message: String, received: String? = nil, hint: String? = nil) -> CheckFailure {
                CheckFailure(message, sent: shown, received: received,
                             expected: "201 with the new user; new connections refused within 0.5 s of SIGTERM; exit status 0 soon after", hint: hint)
            }

            let connection = try await Blocking.run {
                let connection = try HTTPConnection(host: endpoint.host, port: endpoint.port, deadline: Date().addingTimeInterval(2))
                try connection.send(Array(head.utf8) + body[..<half], deadline: Date().addingTimeInterval(2))
                return connection
            }
            defer { connection.close() }
            try await Task.sleep(nanoseconds: 300_000_000)
            program.signalProgram(SIGTERM)
            try await Task.sleep(nanoseconds: 500_000_000)
            if let end = program.termination {
                throw failure("the server \(end) within 0.5 s of SIGTERM, while a request was still in flight",
                              hint: "call server.Shutdown(ctx) on SIGTERM instead of exiting: it waits for requests in flight")
            }
            let refused: Bool = await Blocking.run {
                do {
                    let extra = try HTTPConnection(host: endpoint.host, port: endpoint.port, deadline: Date().addingTimeInterval(0.5))
                    extra.close()
                    return false
                } catch {
                    return true
                }
            }
            if !refused {
                throw failure("0.5 s after SIGTERM the server still accepts new connections",
                              hint: "signal.NotifyContext(ctx, syscall.SIGTERM), then server.Shutdown: it closes the listener first")
            }
            let response: HTTPResponse
            do {
                response = try await Blocking.run {
                    try connection.send(Array(body[half...]), deadline: Date().addingTimeInterval(2))
                    return try connection.readResponse(deadline: Date().addingTimeInterval(5))
                }
            } catch let error as HTTPConnection.Failure {
                throw failure("the request in flight was not answered: \(error)",
                              hint: "Shutdown waits for active requests; os.Exit or log.Fatal right after the signal does not")
            }
            if response.status != 201 {
                throw failure("the request in flight got status \(response.status)", received: response.shown)
            }
            guard let end = await program.waitForExit(seconds: 5) else {
                throw failure("the server did not exit within 5 s after its last request", received: response.shown,
                              hint: "return from main once Shutdown returns")
            }
            if !end.isSuccess {
                throw failure("the server \(end) after SIGTERM; a graceful stop exits with status 0", received: response.shown,
                              hint: "ListenAndServe returns http.ErrServerClosed after Shutdown: that is not an error")
            }
            _ = try await context.restartServer(signal: SIGTERM)
        },
    ]

    static let exitIdle: [Check] = [
        Check("exits-idle", "with an idle keep-alive connection open, SIGTERM exits 0 within 2 s", weight: 2) { context in
            let kept = try await context.http(keepAlive: true)
            let exchange = try await kept.exchange(HTTPRequest("GET", "/api/v1/users"))
            try exchange.expectStatus(200, meaning: "the list, on a connection kept open afterwards")
            let program = try await context.serverProgram()
            let started = Date()
            program.signalProgram(SIGTERM)
            let end = await program.waitForExit(seconds: 2)
            kept.close()
            let expected = "exit status 0 within 2 s of SIGTERM"
            guard let end else {
                throw CheckFailure("the server was still running 2 s after SIGTERM, with one idle keep-alive connection open",
                                   sent: "SIGTERM", expected: expected,
                                   hint: "server.Shutdown closes idle connections at once; server.Close or waiting on every connection to end does not scale")
            }
            if !end.isSuccess {
                throw CheckFailure("the server \(end) \(String(format: "%.1f", Date().timeIntervalSince(started))) s after SIGTERM",
                                   sent: "SIGTERM", expected: expected)
            }
            _ = try await context.restartServer(signal: SIGTERM)
        },
        Check("exits-on-sigint", "SIGINT (Ctrl-C) stops it like SIGTERM: exit 0 within 2 s") { context in
            let exchange = try await context.http().exchange(HTTPRequest("GET", "/healthz"))
            try exchange.expectStatus(200, meaning: "the server is up before it is sent SIGINT")
            let program = try await context.serverProgram()
            program.signalProgram(SIGINT)
            let end = await program.waitForExit(seconds: 2)
            let expected = "exit status 0 within 2 s of SIGINT, as for SIGTERM"
            guard let end else {
                throw CheckFailure("the server was still running 2 s after SIGINT", sent: "SIGINT", expected: expected,
                                   hint: "signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt): listen for both signals")
            }
            if !end.isSuccess {
                throw CheckFailure("on SIGINT, the server \(end)", sent: "SIGINT", expected: expected,
                                   hint: "a signal your program does not listen for kills it: pass os.Interrupt to signal.NotifyContext too")
            }
            _ = try await context.restartServer(signal: SIGTERM)
        },
    ]
}
