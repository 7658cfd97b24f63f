/// Integers as redis-server reads them from strings (its `string2ll`): an optional '-', then
/// digits with no leading zero ("0" alone is zero), no '+', no spaces, at most 20 bytes,
/// within a 64-bit signed integer. "01", "+1", " 1", "-0" and "1.5" are not integers.
enum RedisInteger {
    static func parse(_ bytes: some Collection<UInt8>) -> Int64? {
        let count = bytes.count
        guard count > 0, count <= 20 else { return nil }
        var iterator = bytes.makeIterator()
        var first = iterator.next()!
        if count == 1, first == UInt8(ascii: "0") { return 0 }
        var negative = false
        if first == UInt8(ascii: "-") {
            negative = true
            guard let next = iterator.next() else { return nil }
            first = next
        }
        guard first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else { return nil }
        var magnitude = UInt64(first - UInt8(ascii: "0"))
        while let byte = iterator.next() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            magnitude = sum
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}
