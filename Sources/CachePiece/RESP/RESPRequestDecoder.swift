import NIOCore

/// One thing a client sent: a command (its arguments, the name first) or bytes that are not
/// the protocol, which redis-server answers with an error before it closes the connection.
enum RESPRequest: Equatable, Sendable {
    case command([[UInt8]])
    case protocolError(String)
}

/// Splits the byte stream of a client into commands, as redis-server reads them: a RESP
/// array of bulk strings (`*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n`), or an inline command, a line of
/// words as telnet or `redis-cli` without a terminal sends it (`ECHO hi\r\n`). Limits are
/// redis-server's: at most 1024×1024 arguments, 512 MB per argument, 64 KB per inline line
/// or length line. Nothing is consumed until a whole command has arrived.
struct RESPRequestDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = RESPRequest

    static let maximumArguments = 1024 * 1024
    static let maximumBulkLength = 512 * 1024 * 1024
    static let maximumInlineLength = 64 * 1024

    /// After a protocol error nothing more is decoded: the connection is being closed.
    private var failed = false

    mutating func decode(buffer: inout ByteBuffer) throws -> RESPRequest? {
        while !failed, let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) {
            if first == UInt8(ascii: "*"), remaining == nil, let (arguments, consumed) = Self.wholeCommand(buffer) {
                buffer.moveReaderIndex(forwardBy: consumed)
                return .command(arguments)
            }
            let result = first == UInt8(ascii: "*") || remaining != nil ? decodeArray(&buffer) : decodeInline(&buffer)
            switch result {
            case .needMore:
                return nil
            case .skip:
                continue
            case .request(let request):
                if case .protocolError = request { failed = true }
                return request
            }
        }
        return nil
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPRequest? {
        try decode(buffer: &buffer)
    }

    private enum Step {
        case needMore
        case skip
        case request(RESPRequest)
    }

    /// An array is consumed as it arrives, argument by argument, so a command of 100 000
    /// arguments arriving in many reads is parsed once, not again on every read.
    private var remaining: Int?
    private var arguments: [[UInt8]] = []

    private mutating func decodeArray(_ buffer: inout ByteBuffer) -> Step {
        if remaining == nil {
            let view = buffer.readableBytesView
            guard let header = lengthLine(view, from: view.startIndex) else {
                return view.count > Self.maximumInlineLength ? .request(.protocolError("Protocol error: too big mbulk count string")) : .needMore
            }
            guard let count = Self.integer(header.digits.dropFirst()), count <= Self.maximumArguments else {
                return .request(.protocolError("Protocol error: invalid multibulk length"))
            }
            buffer.moveReaderIndex(forwardBy: header.next - view.startIndex)
            if count <= 0 { return .skip }
            remaining = count
            arguments = []
            arguments.reserveCapacity(min(count, 1024))
        }
        while let left = remaining, left > 0 {
            let view = buffer.readableBytesView
            guard let first = view.first else { return .needMore }
            guard first == UInt8(ascii: "$") else {
                return .request(.protocolError("Protocol error: expected '$', got '\(Character(Unicode.Scalar(first)))'"))
            }
            guard let lengthHeader = lengthLine(view, from: view.startIndex) else {
                return view.count > Self.maximumInlineLength ? .request(.protocolError("Protocol error: too big bulk count string")) : .needMore
            }
            guard let length = Self.integer(lengthHeader.digits.dropFirst()), length >= 0, length <= Self.maximumBulkLength else {
                return .request(.protocolError("Protocol error: invalid bulk length"))
            }
            let start = lengthHeader.next
            // The argument, then two bytes redis-server skips without looking (the \r\n).
            guard view.endIndex - start >= length + 2 else { return .needMore }
            arguments.append(Array(view[start..<(start + length)]))
            buffer.moveReaderIndex(forwardBy: start + length + 2 - view.startIndex)
            remaining = left - 1
        }
        remaining = nil
        defer { arguments = [] }
        return .request(.command(arguments))
    }

    /// The fast path, for a command that has arrived whole and is well formed (nearly every
    /// one): parsed in one pass over the raw bytes, with no ByteBufferView slices to retain
    /// and release. Anything else (a command cut short, a zero, a sign, a length past the
    /// limits, a missing `$`) returns nil and goes the way above, which says what is wrong.
    static func wholeCommand(_ buffer: ByteBuffer) -> (arguments: [[UInt8]], consumed: Int)? {
        buffer.withUnsafeReadableBytes { raw -> (arguments: [[UInt8]], consumed: Int)? in
            let end = raw.count
            // A positive length of at most 9 digits, no leading zero, then two bytes skipped.
            func length(at index: inout Int) -> Int? {
                var value = 0
                var digits = 0
                while index < end, raw[index] != UInt8(ascii: "\r") {
                    let digit = raw[index] &- UInt8(ascii: "0")
                    guard digit < 10, digits < 9, digits > 0 || digit > 0 else { return nil }
                    value = value * 10 + Int(digit)
                    digits += 1
                    index += 1
                }
                guard digits > 0, index + 1 < end else { return nil }
                index += 2
                return value
            }
            var index = 1
            guard let count = length(at: &index), count <= maximumArguments else { return nil }
            var arguments: [[UInt8]] = []
            arguments.reserveCapacity(count)
            for _ in 0..<count {
                guard index < end, raw[index] == UInt8(ascii: "$") else { return nil }
                index += 1
                let size: Int
                if index + 2 < end, raw[index] == UInt8(ascii: "0"), raw[index + 1] == UInt8(ascii: "\r") {
                    size = 0
                    index += 3
                } else {
                    guard let parsed = length(at: &index), parsed <= maximumBulkLength else { return nil }
                    size = parsed
                }
                guard end - index >= size + 2 else { return nil }
                arguments.append(Array(UnsafeRawBufferPointer(rebasing: raw[index..<(index + size)])))
                index += size + 2
            }
            return (arguments, index)
        }
    }

    /// A `*N` or `$N` line: its bytes up to `\r` and the index after its `\n`.
    private func lengthLine(_ view: ByteBufferView, from start: Int) -> (digits: ByteBufferView, next: Int)? {
        guard let newline = view[start...].firstIndex(of: UInt8(ascii: "\r")), newline + 1 < view.endIndex else { return nil }
        return (view[start..<newline], newline + 2)
    }

    private mutating func decodeInline(_ buffer: inout ByteBuffer) -> Step {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            return view.count > Self.maximumInlineLength ? .request(.protocolError("Protocol error: too big inline request")) : .needMore
        }
        var end = newline
        if end > view.startIndex, view[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let words = InlineCommand.split(Array(view[view.startIndex..<end]))
        buffer.moveReaderIndex(forwardBy: newline + 1 - view.startIndex)
        guard let words else { return .request(.protocolError("Protocol error: unbalanced quotes in request")) }
        return words.isEmpty ? .skip : .request(.command(words))
    }

    /// redis-server's string2ll for a length: optional '-', digits, no sign '+', fits Int.
    static func integer(_ bytes: some Collection<UInt8>) -> Int? {
        guard let value = RedisInteger.parse(bytes) else { return nil }
        return Int(exactly: value)
    }
}
