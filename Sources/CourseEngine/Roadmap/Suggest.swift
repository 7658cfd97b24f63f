/// "Did you mean" suggestions by edit distance, with substring matches ranked first.
public enum Suggest {
    public static func nearest(_ input: String, among candidates: [String], limit: Int = 2) -> [String] {
        let key = input.lowercased()
        guard !key.isEmpty else { return [] }
        let scored = candidates.map { candidate -> (String, Int) in
            let lower = candidate.lowercased()
            if lower.contains(key) || key.contains(lower) { return (candidate, 0) }
            // Compare with each dash-separated part too: "goroutine" is close to "goroutines-channels".
            let parts = lower.split(separator: "-").map(String.init)
            let best = ([lower] + parts).map { distance(key, $0) }.min() ?? Int.max
            return (candidate, best)
        }
        let threshold = Swift.max(2, key.count / 3)
        return scored.filter { $0.1 <= threshold }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit).map(\.0)
    }

    /// Levenshtein distance.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
