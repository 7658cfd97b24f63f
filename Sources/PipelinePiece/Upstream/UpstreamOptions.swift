import Foundation
import Grading

/// `course serve upstream`'s options, and the settings they make.
enum UpstreamOptions {
    static let all: [ServiceOption] = [
        ServiceOption("latency", .duration, valueName: "DURATION", help: "Answer each request after this long (default 50ms)."),
        ServiceOption("jitter", .duration, valueName: "DURATION", help: "Add or take up to this much from each latency, drawn from the seed (default 0)."),
        ServiceOption("fail-rate", .number(0...1), valueName: "RATE", help: "Fail this share of requests, 0 to 1 (default 0)."),
        ServiceOption("fail-with", .text, valueName: "KIND",
                      help: "How --fail-rate fails: 503 (default), 500 or another status, hang, reset, slow-body or slow-body:DURATION."),
        ServiceOption("fail-item", .list, valueName: "N[:KIND[:ATTEMPTS]]",
                      help: "Fail item N (503 unless KIND says), only its first ATTEMPTS requests if given."),
        ServiceOption("item-latency", .list, valueName: "N:DURATION", help: "Answer item N after DURATION instead."),
        ServiceOption("seed", .integer(0...Int.max), valueName: "S", help: "Seed for jitter and failures (default: random); a seed replays."),
    ]

    static func settings(_ options: ServiceOptionValues, seed: UInt64) throws -> UpstreamSettings {
        var settings = UpstreamSettings(latency: options.duration("latency") ?? 0.05, jitter: options.duration("jitter") ?? 0,
                                        seed: options.integer("seed").map { UInt64($0) } ?? seed)
        settings.failRate = options.number("fail-rate") ?? 0
        if let text = options.text("fail-with") {
            guard let kind = UpstreamFailure.Kind(text) else { throw ServiceOptionError("--fail-with: '\(text)' is not a status, hang, reset or slow-body") }
            settings.failRateKind = kind
        }
        for entry in options.list("fail-item") {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard let item = Int(parts[0]) else { throw ServiceOptionError("--fail-item: '\(entry)' does not start with an item number") }
            var kindText = parts.count > 1 ? parts[1] : "503"
            var attempts: Int?
            if let colon = kindText.lastIndex(of: ":"), let count = Int(kindText[kindText.index(after: colon)...]) {
                attempts = count
                kindText = String(kindText[..<colon])
            }
            guard let kind = UpstreamFailure.Kind(kindText) else { throw ServiceOptionError("--fail-item: '\(kindText)' is not a status, hang, reset or slow-body") }
            settings.failures[item] = UpstreamFailure(kind, attempts: attempts)
        }
        for entry in options.list("item-latency") {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let item = Int(parts[0]), let seconds = ServiceOptionValues(["d": [parts[1]]]).duration("d") else {
                throw ServiceOptionError("--item-latency: '\(entry)' is not N:DURATION (e.g. 7:300ms)")
            }
            settings.latencyByItem[item] = seconds
        }
        return settings
    }
}
