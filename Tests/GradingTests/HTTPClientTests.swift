import Foundation
@testable import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The checks' HTTP client against a raw-socket Python server that frames (or breaks) each
/// response a different way: every framing is read right, every breakage becomes a
/// `CheckFailure` that shows the request and says what went wrong.
@Suite(.serialized) final class HTTPClientTests {
    let peer: ChildProcess
    let port: Int
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("http-peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/http_peer.py")
        let portFile = folder.appendingPathComponent("port")
        peer = try ChildProcess.spawn(.init(arguments: ["/usr/bin/python3", script.path], environment: ["PATH": "/usr/bin:/bin"],
                                            stdout: .file(portFile.path), stderr: .file(folder.appendingPathComponent("err").path),
                                            group: .newGroup))
        var found: Int?
        for _ in 0..<500 where found == nil {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), text.hasSuffix("\n") { found = Int(text.dropLast()) }
            else { usleep(10_000) }
        }
        guard let found else {
            peer.sendToGroup(SIGKILL)
            peer.wait()
            throw CheckFailure("the Python peer did not start")
        }
        port = found
    }

    deinit {
        peer.sendToGroup(SIGKILL)
        peer.wait()
        try? FileManager.default.removeItem(at: folder)
    }

    func client(keepAlive: Bool = false, timeout: Double = 5) -> HTTPClient {
        HTTPClient(port: port, keepAlive: keepAlive, timeout: timeout)
    }

    /// The failure a request ends in (a test failure if it succeeds).
    func failure(_ target: String, client: HTTPClient? = nil) async -> CheckFailure? {
        do {
            let response = try await (client ?? self.client()).send(HTTPRequest("GET", target))
            Issue.record("expected a failure, got \(response.status)")
            return nil
        } catch let failure as CheckFailure {
            return failure
        } catch {
            Issue.record("expected a CheckFailure, got \(error)")
            return nil
        }
    }

    @Test func readsContentLengthJSON() async throws {
        let exchange = try await client().exchange(HTTPRequest("GET", "/json"))
        try exchange.expectStatus(200)
        let users = try exchange.expectObject("the list", fields: ["users": "array"])
        #expect(users["users"]?.array?.first?["name"]?.string == "Ada")
        #expect(users["users"]?.array?.first?["id"]?.int == 1)
        #expect(exchange.response.mediaType == "application/json")
    }

    @Test func readsChunkedBodiesAndBodiesEndedByClose() async throws {
        let chunked = try await client().send(HTTPRequest("GET", "/chunked"))
        #expect(chunked.bodyText == "Hello, chunked world")
        let untilClose = try await client().send(HTTPRequest("GET", "/until-close"))
        #expect(untilClose.bodyText == "body until the end")
        let empty = try await client().send(HTTPRequest("DELETE", "/no-content"))
        #expect(empty.status == 204 && empty.body.isEmpty)
        let continued = try await client().send(HTTPRequest.json("POST", "/continue", "{}"))
        #expect(continued.status == 201 && continued.bodyText == "ok")
    }

    @Test func sendsExactlyTheRequestWithHostLengthAndClose() async throws {
        let echo = try await client().send(HTTPRequest.json("POST", "/echo", #"{"name":"Zoë"}"#))
        let lines = echo.bodyText.components(separatedBy: "\r\n")
        #expect(lines[0] == "POST /echo HTTP/1.1")
        #expect(lines.contains("Host: 127.0.0.1:\(port)"))
        #expect(lines.contains("Content-Type: application/json"))
        #expect(lines.contains("Content-Length: 15"))
        #expect(lines.contains("Connection: close"))
        #expect(lines.last == #"{"name":"Zoë"}"#)
    }

    @Test func keepAliveReusesOneConnectionAndFreshConnectionsDoNot() async throws {
        let kept = client(keepAlive: true)
        let first = try await kept.send(HTTPRequest("GET", "/connection")).bodyText
        let second = try await kept.send(HTTPRequest("GET", "/connection")).bodyText
        #expect(first == second)
        let fresh = client()
        let third = try await fresh.send(HTTPRequest("GET", "/connection")).bodyText
        let fourth = try await fresh.send(HTTPRequest("GET", "/connection")).bodyText
        #expect(third != fourth && third != first)
    }

    @Test func aServerThatClosesAKeptConnectionIsNamed() async throws {
        let kept = client(keepAlive: true)
        _ = try await kept.send(HTTPRequest("GET", "/close-after"))
        // The server closed without saying so; the next request meets a closed socket.
        try? await Task.sleep(nanoseconds: 50_000_000)
        let failure = await failure("/json", client: kept)
        #expect(failure?.message.contains("closed the connection") == true, "\(String(describing: failure))")
        #expect(failure?.hint?.contains("keep-alive") == true)
    }

    @Test func brokenResponsesBecomeFailuresThatShowTheRequest() async throws {
        let status = await failure("/bad-status")
        #expect(status?.message == #"the response is not valid HTTP/1.1: the status line is "HTTP/1.1 OK""#)
        #expect(status?.sent?.hasPrefix("GET /bad-status HTTP/1.1\nHost: 127.0.0.1:") == true, "\(String(describing: status?.sent))")

        let lf = await failure("/bare-lf")
        #expect(lf?.message.contains("bare LF") == true)

        let short = await failure("/short")
        #expect(short?.message == "the server closed the connection in the middle of the response")
        #expect(short?.received?.contains("(the body ended after 10 of 100 bytes)") == true)

        let dropped = await failure("/drop")
        #expect(dropped?.message == "the server closed the connection before sending a response")
        #expect(dropped?.hint?.contains("panic") == true)
    }

    @Test func aServerThatNeverAnswersCostsTheTimeoutOnly() async throws {
        let started = Date()
        let hang = await failure("/hang", client: client(timeout: 0.5))
        #expect(Date().timeIntervalSince(started) < 20, "the peer sleeps 30 s; the client gave up long before")
        #expect(hang?.message.hasPrefix("no complete response within 0.5 s") == true, "\(String(describing: hang))")
    }

    @Test func aClosedPortIsRefusedClearly() async throws {
        let closed = try LoopbackSocket.freePort()
        do {
            _ = try await HTTPClient(port: closed).send(HTTPRequest("GET", "/"))
            Issue.record("expected a failure")
        } catch let failure as CheckFailure {
            #expect(failure.message == "connection refused by 127.0.0.1:\(closed): nothing listens there (did the server stop?)")
        }
    }

    @Test func expectationsSayWhatWasWrong() async throws {
        let notFound = try await client().exchange(HTTPRequest("GET", "/missing"))
        do {
            try notFound.expectStatus(200)
            Issue.record("expected a failure")
        } catch let failure as CheckFailure {
            #expect(failure.message == "expected status 200, got 404")
            #expect(failure.expected == "200 OK")
            #expect(failure.received?.hasPrefix("HTTP/1.1 404 Not Found\nContent-Type: text/plain") == true)
            #expect(failure.hint?.contains("route") == true)
        }
        do {
            _ = try notFound.expectJSON("the error")
            Issue.record("expected a failure")
        } catch let failure as CheckFailure {
            #expect(failure.message == #"expected Content-Type: application/json, got "text/plain""#)
        }
        let json = try await client().exchange(HTTPRequest("GET", "/json"))
        do {
            _ = try json.expectObject("the list", fields: ["Users": "array"])
            Issue.record("expected a failure")
        } catch let failure as CheckFailure {
            #expect(failure.message == #"the object has no "Users" field"#)
            #expect(failure.hint?.contains("case-sensitive") == true)
        }
    }
}

/// The JSON parser checks rely on: strict, with positions; objects equal regardless of key order.
@Suite struct JSONValueTests {
    @Test func parsesAndComparesLikeJSON() throws {
        let a = try JSONValue(parsing: #"{"id": 1, "name": "Zo\u00eb \ud83d\ude00", "tags": [true, null, 2.5e1]}"#)
        let b = try JSONValue(parsing: #"{"tags":[true,null,25],"name":"Zoë 😀","id":1.0}"#)
        #expect(a == b)
        #expect(a["name"]?.string == "Zoë 😀")
        #expect(a["id"]?.int == 1 && a["tags"]?.array?[2].int == 25)
        #expect(a != (try JSONValue(parsing: #"{"id": 1, "name": "Zoë 😀"}"#)))
        #expect(try JSONValue(parsing: #"{"a":"x\n\"y\""}"#).description == #"{"a":"x\n\"y\""}"#)
    }

    @Test func includesIgnoresExtraMembersButNotMissingOnesOrOrder() throws {
        let expected = try JSONValue(parsing: #"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Grace"}]}"#)
        let extra = try JSONValue(parsing: #"{"total":2,"users":[{"name":"Ada","id":1.0,"role":"admin"},{"id":2,"name":"Grace"}]}"#)
        #expect(extra.includes(expected))
        #expect(!expected.includes(extra))
        #expect(!(try JSONValue(parsing: #"{"users":[{"id":1,"name":"Ada"}]}"#)).includes(expected))
        #expect(!(try JSONValue(parsing: #"{"users":[{"id":2,"name":"Grace"},{"id":1,"name":"Ada"}]}"#)).includes(expected))
        #expect(!(try JSONValue(parsing: #"{"users":[{"id":"1","name":"Ada"},{"id":2,"name":"Grace"}]}"#)).includes(expected))
        #expect(!(try JSONValue(parsing: #"{"Users":[{"id":1,"name":"Ada"},{"id":2,"name":"Grace"}]}"#)).includes(expected))
    }

    @Test(arguments: [
        ("", 0, "the body is empty"),
        ("{'a': 1}", 1, "expected a key in double quotes, found '''"),
        (#"{"a": 1,}"#, 8, "expected a key in double quotes, found '}'"),
        ("[1, 2", 5, "the text ends inside an array"),
        ("01", 1, "a number starts with 0"),
        (#"{"a": 1} x"#, 9, "unexpected 'x' after the end of the value"),
        ("\"tab\there\"", 4, "a control character (0x09) inside a string must be escaped"),
        (#""\ud800""#, 7, "a lone high surrogate \\ud800"),
        ("nul", 0, "expected null"),
    ])
    func rejectsWhatIsNotJSON(text: String, offset: Int, reason: String) {
        #expect(throws: JSONValue.ParseError(offset: offset, reason: reason)) { try JSONValue(parsing: text) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: deep) }
    }
}
