import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The reference's durability (`--data-dir`, `$DATA_DIR`): an append-only log,
/// `appendonly.aof`, of RESP commands that state each changed key's result (`SET key value
/// PXAT ms`, `SET key value`, `DEL key`, `FLUSHALL`), so expiry times are absolute and a
/// replay needs no clock of the past. Each record is written and fsynced before the
/// command's reply (the caller holds the store's lock, so records are in the order of the
/// changes). At start the log is replayed; a last record the file ends in the middle of
/// (a crash while writing it) is cut off and forgotten, as redis-server's
/// `aof-load-truncated` does; bytes that are not RESP at all stop the start.
final class AppendOnlyLog: @unchecked Sendable {
    static let fileName = "appendonly.aof"

    let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    /// Creates `folder` if needed, replays its log into `state`, and opens the log for
    /// appending. Returns the log and what the replay found, for the server's output.
    static func open(folder: String, replayingInto state: inout CacheState) throws -> (AppendOnlyLog, String) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: folder).appendingPathComponent(fileName).path
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let (complete, records) = try replay(data, into: &state)
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Unreadable(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        let log = AppendOnlyLog(path: path, descriptor: descriptor)
        var said = "replayed \(records) records of \(path)"
        if complete < data.count {
            guard ftruncate(descriptor, off_t(complete)) == 0 else {
                throw Unreadable(description: "cannot cut the torn record off \(path): \(String(cString: strerror(errno)))")
            }
            said += "; its last \(data.count - complete) bytes were a record cut short, now cut off"
        }
        fsync(descriptor)
        return (log, said)
    }

    /// Applies every complete record; returns the bytes they take and how many there were.
    static func replay(_ data: Data, into state: inout CacheState) throws -> (complete: Int, records: Int) {
        var buffer = ByteBufferAllocator().buffer(capacity: data.count)
        buffer.writeBytes(data)
        var decoder = RESPRequestDecoder()
        var client = CacheClient(id: 0)
        var complete = 0
        var records = 0
        let now = CacheStore.now()
        while let request = try decoder.decode(buffer: &buffer) {
            switch request {
            case .command(let arguments):
                _ = CacheCommands.execute(arguments, client: &client, state: &state, now: now)
                complete = buffer.readerIndex
                records += 1
            case .protocolError(let message):
                throw Unreadable(description: "\(fileName) is not a log this server can read, at byte \(complete): \(message)")
            }
        }
        state.commandsProcessed = 0
        state.store.statistics = CacheStatistics()
        return (complete, records)
    }

    /// Writes the records and waits until they are on disk.
    func append(_ records: [[[UInt8]]]) throws {
        var bytes: [UInt8] = []
        for record in records { bytes += CacheCommand(arguments: record).encoded }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw Unreadable(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw Unreadable(description: "cannot sync \(path): \(String(cString: strerror(errno)))") }
    }
}

extension CacheCommands {
    /// The commands that change keys, and which of their arguments are the keys.
    static func changedKeys(_ arguments: Arguments) -> [[UInt8]]? {
        switch String(decoding: arguments[0], as: UTF8.self).lowercased() {
        case "set", "setex", "psetex", "expire", "pexpire", "incr", "decr", "incrby", "decrby": return arguments.count > 1 ? [arguments[1]] : []
        case "del", "unlink": return Array(arguments.dropFirst())
        default: return nil
        }
    }

    /// What the log records after `arguments` ran and answered `reply`: each changed key's
    /// state now, keys the command evicted as deleted; nothing for an error (nothing changed).
    static func logRecords(_ arguments: Arguments, reply: RESPReply, evicted: [[UInt8]], store: CacheStore) -> [[[UInt8]]] {
        if reply.isError { return [] }
        if String(decoding: arguments[0], as: UTF8.self).lowercased() == "flushall" { return [[Array("FLUSHALL".utf8)]] }
        guard let keys = changedKeys(arguments) else { return [] }
        var records = evicted.map { [Array("DEL".utf8), $0] }
        for key in keys {
            if let entry = store.entries[CacheKey(key)] {
                var record = [Array("SET".utf8), key, entry.value]
                if let at = entry.expiresAt { record += [Array("PXAT".utf8), Array(String(at).utf8)] }
                records.append(record)
            } else {
                records.append([Array("DEL".utf8), key])
            }
        }
        return records
    }
}
