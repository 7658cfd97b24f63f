@testable import CachePiece
import Foundation
import Grading
import Testing

/// Real Redis clients against the reference cache, unchanged: redis-cli (commands, a script
/// on standard input, --pipe, and an interactive session in a terminal), redis-py, and Go's
/// redigo built as a module from the course's offline module proxy.
@Suite struct CacheClientsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs a bash script to its end (bounded), in a process group killed afterwards.
    static func bash(_ script: String, environment extra: [String: String] = [:], seconds: Double = 180) async throws -> (ok: Bool, output: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cache-clients-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("log").path
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        let child = try ChildProcess.spawn(.init(arguments: ["/bin/bash", "-c", script], environment: environment, directory: folder.path,
                                                 stdout: .file(log), stderr: .file(log, append: true), group: .newGroup))
        let status = await child.waitAsync(timeout: seconds)
        child.sendToGroup(SIGKILL)
        if status == nil { _ = await child.waitAsync() }
        return (status?.isSuccess == true, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    @Test func redisCliRunsCommandsScriptsAndPipes() async throws {
        let cache = try await CacheServer.start(port: 0)
        defer { Task { await cache.stop() } }
        let port = cache.port
        let result = try await Self.bash("""
            set -e
            redis-cli -p \(port) SET greeting "hello world"
            redis-cli -p \(port) GET greeting
            redis-cli -p \(port) INCRBY visits 5
            redis-cli -p \(port) EXPIRE greeting 100
            redis-cli -p \(port) TTL greeting
            redis-cli -p \(port) GET missing
            printf 'SET a 1\\nINCR a\\nGET a\\nDEL a\\nEXISTS a\\n' | redis-cli -p \(port)
            for i in $(seq 1 1000); do printf 'SET key%d %d\\r\\n' $i $i; done > commands.txt
            redis-cli -p \(port) --pipe < commands.txt
            redis-cli -p \(port) DBSIZE
            redis-cli -p \(port) NOSUCH 2>&1 || true
            """)
        #expect(result.ok, "\(result.output)")
        let lines = result.output.components(separatedBy: "\n")
        #expect(lines.starts(with: ["OK", "hello world", "5", "1", "100", "", "OK", "2", "2", "1", "0"]), "\(lines)")
        #expect(result.output.contains("errors: 0, replies: 1000"), "\(result.output)")
        #expect(lines.contains("1002"), "DBSIZE after the pipe: \(lines)")
        #expect(result.output.contains("ERR unknown command 'NOSUCH'"), "\(result.output)")
    }

    /// In a terminal redis-cli starts by asking for the commands' docs (for its hints) and
    /// then works as a shell.
    @Test func redisCliInATerminal() async throws {
        let cache = try await CacheServer.start(port: 0)
        defer { Task { await cache.stop() } }
        let session = "cache-\(UUID().uuidString.prefix(8))"
        let result = try await Self.bash("""
            set -e
            tmux new-session -d -s \(session) -x 100 -y 30 "redis-cli -p \(cache.port)"
            trap 'tmux kill-session -t \(session) 2>/dev/null || true' EXIT
            for i in $(seq 600); do tmux capture-pane -p -t \(session) | grep -q '127.0.0.1:\(cache.port)>' && break; sleep 0.1; done
            # One command at a time, each after the reply of the one before (redis-cli's line
            # editor drops keys typed while it waits for a reply).
            shows() { for i in $(seq 600); do tmux capture-pane -p -t \(session) | grep -q "$1" && return 0; sleep 0.1; done; return 1; }
            tmux send-keys -t \(session) 'SET colour blue' Enter
            shows '^OK'
            tmux send-keys -t \(session) 'GET colour' Enter
            shows '"blue"'
            tmux send-keys -t \(session) 'PING' Enter
            for i in $(seq 600); do
                screen="$(tmux capture-pane -p -t \(session))"
                if grep -q PONG <<<"$screen" && grep -q '"blue"' <<<"$screen"; then break; fi
                sleep 0.1
            done
            echo "$screen"
            """)
        #expect(result.ok, "\(result.output)")
        #expect(result.output.contains("OK") && result.output.contains("\"blue\"") && result.output.contains("PONG"), "\(result.output)")
    }

    @Test func redisPy() async throws {
        let cache = try await CacheServer.start(port: 0)
        defer { Task { await cache.stop() } }
        let result = try await Self.bash("""
            python3 - <<'EOF'
            import redis
            r = redis.Redis(host="127.0.0.1", port=\(cache.port), decode_responses=True)
            assert r.ping() is True
            assert r.set("k", "v", ex=100) is True
            assert r.get("k") == "v"
            assert 99 <= r.ttl("k") <= 100
            assert r.set("k", "w", nx=True) is None
            assert r.set("k", "w", xx=True, get=True) == "v"
            assert r.incr("n") == 1 and r.incrby("n", 41) == 42 and r.decr("n") == 41
            try:
                r.incr("k")
                raise SystemExit("INCR on text did not fail")
            except redis.ResponseError as error:
                assert "not an integer" in str(error)
            pipe = r.pipeline(transaction=False)
            for i in range(100):
                pipe.set(f"p{i}", i)
            pipe.get("p99")
            assert pipe.execute()[-1] == "99"
            assert r.exists("p1", "p2", "nope") == 2
            assert r.delete("p1", "p2") == 2
            assert r.pexpire("k", 100000) is True and 0 < r.pttl("k") <= 100000
            assert r.dbsize() == 100
            info = r.info("stats")
            assert info["keyspace_hits"] >= 3 and info["keyspace_misses"] >= 0, info
            r.client_setname("course-test")
            assert r.client_getname() == "course-test"
            assert r.flushall() is True and r.dbsize() == 0
            print("redis-py", redis.__version__, "ok")
            EOF
            """)
        #expect(result.ok && result.output.contains("ok"), "\(result.output)")
    }

    /// redigo from Debian, as a learner's Go program gets it: a module, `go mod tidy` from
    /// the offline proxy.
    @Test func redigoAsAGoModule() async throws {
        let proxy = try #require(GoModuleProxy.locate(courseRoot: Self.repository), "no .go-proxy: run scripts/setup.sh")
        let cache = try await CacheServer.start(port: 0)
        defer { Task { await cache.stop() } }
        let result = try await Self.bash("""
            set -e
            export GOMODCACHE="$PWD/gomod"
            mkdir app && cd app
            go mod init example.com/app >/dev/null 2>&1
            cat > main.go <<'EOF'
            package main

            import (
            \t"fmt"
            \t"os"

            \t"github.com/gomodule/redigo/redis"
            )

            func main() {
            \tc, err := redis.Dial("tcp", os.Args[1])
            \tif err != nil {
            \t\tpanic(err)
            \t}
            \tdefer c.Close()
            \tif _, err := c.Do("SET", "lang", "go", "EX", 60); err != nil {
            \t\tpanic(err)
            \t}
            \tv, err := redis.String(c.Do("GET", "lang"))
            \tif err != nil {
            \t\tpanic(err)
            \t}
            \tn, err := redis.Int(c.Do("INCRBY", "count", 7))
            \tif err != nil {
            \t\tpanic(err)
            \t}
            \t_, err = redis.String(c.Do("GET", "missing"))
            \tc.Send("PING")
            \tc.Send("ECHO", "pipelined")
            \tc.Flush()
            \tpong, _ := redis.String(c.Receive())
            \techo, _ := redis.String(c.Receive())
            \tfmt.Println(v, n, err == redis.ErrNil, pong, echo)
            }
            EOF
            go mod tidy >/dev/null 2>&1
            go run . 127.0.0.1:\(cache.port)
            """, environment: ["GOPROXY": proxy.goproxy, "GOSUMDB": "off", "GOFLAGS": "-modcacherw"])
        #expect(result.ok, "\(result.output)")
        #expect(result.output.contains("go 7 true PONG pipelined"), "\(result.output)")
    }
}
