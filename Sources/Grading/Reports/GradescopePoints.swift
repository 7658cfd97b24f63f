extension GradescopeReport {
    /// Points as Gradescope shows them: in hundredths, and adding up. A stage of 10 points
    /// shared by three checks gives each 3.333…; written as is, Gradescope shows long
    /// decimals, and rounded one by one they add up to 9.99. So the checks' maximums are
    /// rounded together (largest remainder: the hundredths lost to rounding down go, one
    /// each, to the checks that lost the most, the earliest first on a tie), so they add up
    /// to the total rounded; a check's score is its rounded maximum when it earned it all,
    /// otherwise its score rounded and never above that maximum; the totals are the sums of
    /// the tests, so the tests always add up to the total shown.
    enum Points {
        /// (score, maximum) per check, in hundredths turned back into points.
        static func rounded(_ checks: [CheckResult]) -> [(score: Double, maxScore: Double)] {
            let maximums = largestRemainder(checks.map(\.maxScore))
            return zip(checks, maximums).map { check, maximum in
                let full = check.score >= check.maxScore && check.maxScore > 0
                let score = full ? maximum : min(maximum, max(0, hundredths(check.score)))
                return (points(score), points(maximum))
            }
        }

        /// The sum of values already in hundredths, without floating-point drift.
        static func sum(_ values: [Double]) -> Double {
            points(values.reduce(0) { $0 + hundredths($1) })
        }

        /// Each value in hundredths, rounded down, then the hundredths the total lost handed
        /// out by largest remainder; the result adds up to the rounded total.
        static func largestRemainder(_ values: [Double]) -> [Int] {
            let exact = values.map { $0.isFinite ? max(0, $0) * 100 : 0 }
            var parts = exact.map { Int(($0 + 1e-9).rounded(.down)) }
            let total = Int(exact.reduce(0, +).rounded())
            let order = exact.indices.sorted { a, b in
                let (ra, rb) = (exact[a] - Double(parts[a]), exact[b] - Double(parts[b]))
                // Remainders within floating-point noise of each other are a tie.
                return abs(ra - rb) > 1e-9 ? ra > rb : a < b
            }
            var missing = total - parts.reduce(0, +)
            var next = 0
            while missing > 0 && !order.isEmpty {
                parts[order[next % order.count]] += 1
                missing -= 1
                next += 1
            }
            return parts
        }

        static func hundredths(_ value: Double) -> Int {
            value.isFinite ? Int((value * 100).rounded()) : 0
        }

        static func points(_ hundredths: Int) -> Double {
            Double(hundredths) / 100
        }
    }
}
