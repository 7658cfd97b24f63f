import Foundation
@testable import Grading
import Testing

/// The checks' byte-level TCP client against real peers on loopback (`ThreadedListener`
/// servers that answer in parts, close mid-line, send `\r\n`, NUL and invalid UTF-8, or never
/// answer): every kind of result, and the transcript exactly as a failure message shows it.
@Suite struct TCPConnectionTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Runs `body` against a peer whose connections `handler` serves, then stops the peer.
    static func withPeer<T: Sendable>(_ handler: @escaping @Sendable (ThreadedListener.Connection) -> Void,
                                      _ body: @escaping @Sendable (Int) throws -> T) async throws -> T {
        let peer = try ThreadedListener(name: "tcp-test-peer", handler: handler)
        do {
            let result = try await Blocking.run { try body(peer.port) }
            await peer.stop()
            return result
        } catch {
            await peer.stop()
            throw error
        }
    }

    /// Reads what the client sends until it closes (a peer that never answers).
    static func silent(_ connection: ThreadedListener.Connection) {
        while connection.receive() != nil {}
    }

    @Test func linesDelimitersAndCountsComeBackAsSent() async throws {
        try await Self.withPeer({ connection in
            guard connection.receive() != nil else { return }
            connection.send(Self.bytes("+OK\r\nfirst line\nabc"))
            connection.send(Self.bytes("defgh") + [0, 0xFF] + Self.bytes("\r\n"))
            Self.silent(connection)
        }) { port in
            let connection = try TCPConnection(port: port)
            try connection.send("PING\r\n")
            #expect(connection.read(until: Self.bytes("\r\n"), timeout: 30) == .data(Self.bytes("+OK\r\n")))
            #expect(connection.readLine(timeout: 30) == .data(Self.bytes("first line")))
            #expect(connection.read(count: 5, timeout: 30) == .data(Self.bytes("abcde")))
            #expect(connection.read(until: Self.bytes("\r\n"), timeout: 30) == .data(Self.bytes("fgh") + [0, 0xFF] + Self.bytes("\r\n")))
            #expect(connection.transcript.sentText() == "PING\\r\\n")
            #expect(connection.transcript.receivedText() == "+OK\\r\\n\nfirst line\\n\nabcdefgh\\x00\\xFF\\r\\n")
        }
    }

    @Test func aPartialAnswerIsSilenceWithThePartKeptUnread() async throws {
        try await Self.withPeer({ connection in
            guard connection.receive() != nil else { return }
            connection.send(Self.bytes("partial"))
            Self.silent(connection)
        }) { port in
            let connection = try TCPConnection(port: port)
            try connection.send("GET\n")
            // The first bytes, surely; the rest of that one write is then already there.
            #expect(connection.read(count: 3, timeout: 30) == .data(Self.bytes("par")))
            #expect(connection.readLine(timeout: 0.2) == .silent(partial: Self.bytes("tial"), seconds: 0.2))
            #expect(connection.readAvailable(timeout: 30) == .data(Self.bytes("tial")), "silence left the partial bytes unread")
            #expect(connection.readAvailable(timeout: 0.1) == .silent(partial: [], seconds: 0.1))
            #expect(connection.transcript.receivedText() == "partial")
        }
    }

    @Test func aCloseMidLineGivesThePartialLine() async throws {
        try await Self.withPeer({ connection in
            guard connection.receive() != nil else { return }
            connection.send(Self.bytes("whole\nhalf a li"))
        }) { port in
            let connection = try TCPConnection(port: port)
            try connection.send("ECHO\n")
            #expect(connection.readLine(timeout: 30) == .data(Self.bytes("whole")))
            #expect(connection.readLine(timeout: 30) == .closed(partial: Self.bytes("half a li")))
            #expect(connection.readLine(timeout: 30) == .closed(partial: []))
            #expect(connection.transcript.receivedText() == "whole\\n\nhalf a li\n(then the server closed the connection)")
        }
    }

    @Test func aServerThatNeverAnswersIsSilentAndNotClosed() async throws {
        try await Self.withPeer(Self.silent) { port in
            let connection = try TCPConnection(port: port)
            try connection.send("hello\n")
            #expect(connection.readLine(timeout: 0.2) == .silent(partial: [], seconds: 0.2))
            #expect(connection.expectClosed(timeout: 0.2) == .silent(partial: [], seconds: 0.2))
            #expect(connection.transcript.receivedText() == "(nothing)")
        }
    }

    @Test func theChecksDeadlineShortensEveryStep() async throws {
        try await Self.withPeer(Self.silent) { port in
            let connection = try TCPConnection(port: port, deadline: Date().addingTimeInterval(0.3))
            guard case .silent(let partial, let seconds) = connection.readLine(timeout: 60) else {
                Issue.record("a silent server gives silence")
                return
            }
            #expect(partial.isEmpty && seconds <= 0.3, "the read waited \(seconds) s of the 60 asked: the check's deadline comes first")
        }
    }

    @Test func expectClosedTellsACleanCloseFromOneAfterData() async throws {
        try await Self.withPeer({ _ in }) { port in
            let connection = try TCPConnection(port: port)
            #expect(connection.expectClosed(timeout: 30) == .closed(partial: []))
        }
        try await Self.withPeer({ connection in connection.send(Self.bytes("bye\r\n")) }) { port in
            let connection = try TCPConnection(port: port)
            #expect(connection.expectClosed(timeout: 30) == .closed(partial: Self.bytes("bye\r\n")))
        }
    }

    @Test func sendingToAClosedConnectionSaysSo() async throws {
        try await Self.withPeer({ _ in }) { port in
            let connection = try TCPConnection(port: port)
            #expect(connection.expectClosed(timeout: 30) == .closed(partial: []))
            // The first write after the peer's close may still be taken by the kernel; the
            // reset it provokes fails a later one.
            var failure: SocketFailure?
            for _ in 0..<100 where failure == nil {
                do { try connection.send("x\n") } catch let error as SocketFailure { failure = error }
            }
            #expect(failure?.description.hasPrefix("the server closed the connection after 0 of 2 bytes were sent") == true, "\(String(describing: failure))")
            #expect(connection.transcript.peerClosed)
        }
    }

    @Test func aClosedPortIsRefusedInASentence() async throws {
        let port = try LoopbackSocket.freePort()
        #expect(throws: SocketFailure("connection refused by 127.0.0.1:\(port): nothing listens there (did the server stop?)")) {
            try TCPConnection(port: port)
        }
        #expect(!LoopbackSocket.accepts(port: port))
    }

    @Test func aListenerStopsEveryConnectionItServes() async throws {
        let served = Counter()
        let peer = try ThreadedListener(name: "tcp-test-peer") { connection in
            served.increment()
            Self.silent(connection)
        }
        #expect(LoopbackSocket.accepts(port: peer.port))
        let reads = try await Blocking.run {
            let connections = try (0..<3).map { _ in try TCPConnection(port: peer.port) }
            for connection in connections { try connection.send("hold\n") }
            // Every connection is being served (the probe above was the first) before the stop.
            for _ in 0..<30_000 where served.value < 4 { usleep(1000) }
            return connections
        }
        await peer.stop()
        for connection in reads {
            #expect(connection.expectClosed(timeout: 30) == .closed(partial: []), "stop() closed the connection")
        }
        #expect(!LoopbackSocket.accepts(port: peer.port), "the port is free once stop() returns")
    }
}
