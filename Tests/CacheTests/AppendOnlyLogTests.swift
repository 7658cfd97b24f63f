@testable import CachePiece
import Foundation
import Grading
import Testing

/// The reference's append-only log (`--data-dir`): what each write records, the replay at
/// start (expiry times absolute), a torn last record cut off, and a log that is not RESP
/// refused.
@Suite struct AppendOnlyLogTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("aof-\(UUID().uuidString)")
        return url
    }

    /// Runs the commands as the server does (each change logged before the reply).
    static func run(_ commands: [[String]], in folder: URL, maximumKeys: Int? = nil) throws -> (CacheState, [RESPReply]) {
        var state = CacheState(store: CacheStore(maximumKeys: maximumKeys), port: 0)
        let (log, _) = try AppendOnlyLog.open(folder: folder.path, replayingInto: &state)
        state.store.evictedKeys = []
        var client = CacheClient(id: 1)
        var replies: [RESPReply] = []
        for command in commands {
            let arguments = command.map { Array($0.utf8) }
            let reply = CacheCommands.execute(arguments, client: &client, state: &state)
            let evicted = state.store.evictedKeys ?? []
            state.store.evictedKeys = []
            try log.append(CacheCommands.logRecords(arguments, reply: reply, evicted: evicted, store: state.store))
            replies.append(reply)
        }
        return (state, replies)
    }

    static func reopen(_ folder: URL, maximumKeys: Int? = nil) throws -> (CacheState, String) {
        var state = CacheState(store: CacheStore(maximumKeys: maximumKeys), port: 0)
        let (_, said) = try AppendOnlyLog.open(folder: folder.path, replayingInto: &state)
        return (state, said)
    }

    static func value(_ state: CacheState, _ key: String) -> String? {
        state.store.entries[CacheKey(Array(key.utf8))].map { String(decoding: $0.value, as: UTF8.self) }
    }

    @Test func writesSurviveAReopenWithAbsoluteExpiry() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (before, _) = try Self.run([["SET", "a", "1"], ["SET", "b", "2", "PX", "100000"], ["SET", "c", "3"], ["DEL", "c"],
                                        ["INCR", "a"], ["EXPIRE", "a", "500"], ["INCR", "nothing-but-an-error", "x"],
                                        ["SET", "gone", "x", "PX", "1"]], in: folder)
        let text = try String(contentsOf: folder.appendingPathComponent(AppendOnlyLog.fileName), encoding: .utf8)
        let expiresB = try #require(before.store.entries[CacheKey(Array("b".utf8))]?.expiresAt)
        #expect(text.contains("*5\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n$4\r\nPXAT\r\n$13\r\n\(expiresB)\r\n"), "\(text)")
        #expect(text.contains("*2\r\n$3\r\nDEL\r\n$1\r\nc\r\n"))
        Thread.sleep(forTimeInterval: 0.01)
        let (after, said) = try Self.reopen(folder)
        #expect(said.hasPrefix("replayed 7 records"), "the INCR with too many arguments changed nothing and logged nothing: \(said)")
        #expect(Self.value(after, "a") == "2")
        #expect(after.store.entries[CacheKey(Array("a".utf8))]?.expiresAt == before.store.entries[CacheKey(Array("a".utf8))]?.expiresAt)
        #expect(after.store.entries[CacheKey(Array("b".utf8))]?.expiresAt == expiresB)
        #expect(Self.value(after, "c") == nil)
        #expect(Self.value(after, "gone") == nil, "its PXAT had passed by the replay")
        #expect(after.store.statistics == CacheStatistics())
    }

    @Test func evictionsAreLoggedSoAReplayDoesNotBringKeysBack() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.run([["SET", "a", "1"], ["SET", "b", "2"], ["GET", "a"], ["SET", "c", "3"]], in: folder, maximumKeys: 2)
        let (after, _) = try Self.reopen(folder, maximumKeys: 2)
        #expect(Self.value(after, "a") == "1")
        #expect(Self.value(after, "b") == nil, "b was evicted, and the log says so")
        #expect(Self.value(after, "c") == "3")
    }

    @Test func aTornLastRecordIsCutOffAndTheLogGoesOn() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.run([["SET", "kept", "v"], ["SET", "torn", String(repeating: "x", count: 64)]], in: folder)
        let path = folder.appendingPathComponent(AppendOnlyLog.fileName).path
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(truncate(path, off_t(size - 32)) == 0)
        let whole = size - (CacheCommand("SET", "torn", String(repeating: "x", count: 64)).encoded.count)
        let (after, said) = try Self.reopen(folder)
        #expect(said.contains("its last \(size - 32 - whole) bytes were a record cut short, now cut off"), "\(said)")
        #expect(Self.value(after, "kept") == "v")
        #expect(Self.value(after, "torn") == nil)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == whole)
        _ = try Self.run([["SET", "after", "w"]], in: folder)
        let (again, _) = try Self.reopen(folder)
        #expect(Self.value(again, "after") == "w")
        #expect(Self.value(again, "kept") == "v")
    }

    @Test func aLogThatIsNotRESPStopsTheStart() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("*1\r\n$4\r\nPING\r\n*2\r\nnot a bulk\r\n".utf8).write(to: folder.appendingPathComponent(AppendOnlyLog.fileName))
        #expect(throws: AppendOnlyLog.Unreadable.self) { try Self.reopen(folder) }
    }
}
