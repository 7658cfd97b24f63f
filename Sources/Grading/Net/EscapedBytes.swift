/// Bytes from the wire as text a person can read in a failure message, with nothing hidden:
/// a server that answers `\r\n` instead of `\n`, sends a NUL, or invalid UTF-8 must see that
/// in the message, not an invisible difference.
///
/// * `\r\n` and `\n` are shown as the escapes `\r\n` and `\n`, each followed by a line break
///   (unless it is the last thing), so lines stay lines;
/// * a backslash is shown as `\\`, so an escape is never ambiguous with the text itself;
/// * every other control byte (C0, DEL, C1) and every byte that is not part of valid UTF-8
///   is shown as `\xNN` (upper-case hex); valid UTF-8 text is shown as it is;
/// * beyond `limit` bytes the text is cut and ends with "… N bytes more".
public enum EscapedBytes {
    public static let defaultLimit = 2048

    public static func text<Bytes: Collection<UInt8>>(_ bytes: Bytes, limit: Int = defaultLimit) -> String {
        let bytes = Array(bytes)
        var text = ""
        var index = 0
        while index < bytes.count && index < limit {
            let byte = bytes[index]
            let length = validSequenceLength(bytes, at: index)
            if byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10 {
                text += "\\r\\n"
                index += 2
                if index < bytes.count && index < limit { text += "\n" }
            } else if byte == 10 {
                text += "\\n"
                index += 1
                if index < bytes.count && index < limit { text += "\n" }
            } else if byte == UInt8(ascii: "\\") {
                text += "\\\\"
                index += 1
            } else if length == 0 || byte < 0x20 || byte == 0x7F || (byte == 0xC2 && bytes[index + 1] < 0xA0) {
                // Not UTF-8, a C0 control or DEL, or a C1 control (U+0080…U+009F, C2 80…C2 9F).
                let shown = length == 0 ? 1 : length
                for offset in 0..<shown { text += hex(bytes[index + offset]) }
                index += shown
            } else {
                text += String(decoding: bytes[index..<(index + length)], as: UTF8.self)
                index += length
            }
        }
        if index < bytes.count {
            let more = bytes.count - index
            text += "… \(more) byte\(more == 1 ? "" : "s") more"
        }
        return text
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }

    /// The length of the valid UTF-8 sequence starting at `index` (1 to 4), or 0 when the
    /// bytes there are not valid UTF-8 (a stray continuation byte, an overlong form, a
    /// surrogate, a sequence cut short).
    static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: return 0
        }
        guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<max(2, length) where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }
}
