import NIOCore

/// Splits a byte stream into lines (LF, with an optional CR before it), each without its
/// ending. A line longer than `maximumLength` is an error: the connection is closed.
struct LineFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    let maximumLength: Int

    struct LineTooLong: Error {}

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maximumLength { throw LineTooLong() }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A last line without its newline is not a command.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}
