/// An inline command line split into arguments as redis-server's `sdssplitargs` does:
/// words separated by spaces, tabs or line breaks; "double quotes" with \n \r \t \b \a \\ \"
/// and \xHH escapes; 'single quotes' with \' only. A closing quote must be followed by a
/// space or the end. nil when the quotes are unbalanced (a protocol error).
enum InlineCommand {
    static func split(_ line: [UInt8]) -> [[UInt8]]? {
        var words: [[UInt8]] = []
        var index = 0
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 11 || byte == 12 }
        while true {
            while index < line.count, isSpace(line[index]) { index += 1 }
            if index >= line.count { return words }
            var word: [UInt8] = []
            var inDouble = false, inSingle = false
            while true {
                if inDouble {
                    guard index < line.count else { return nil }
                    let byte = line[index]
                    if byte == UInt8(ascii: "\\"), index + 3 < line.count, line[index + 1] == UInt8(ascii: "x"),
                       let high = hex(line[index + 2]), let low = hex(line[index + 3]) {
                        word.append(high << 4 | low)
                        index += 3
                    } else if byte == UInt8(ascii: "\\"), index + 1 < line.count {
                        index += 1
                        switch line[index] {
                        case UInt8(ascii: "n"): word.append(10)
                        case UInt8(ascii: "r"): word.append(13)
                        case UInt8(ascii: "t"): word.append(9)
                        case UInt8(ascii: "b"): word.append(8)
                        case UInt8(ascii: "a"): word.append(7)
                        default: word.append(line[index])
                        }
                    } else if byte == UInt8(ascii: "\"") {
                        // The closing quote must be followed by a space or the end.
                        if index + 1 < line.count, !isSpace(line[index + 1]) { return nil }
                        index += 1
                        break
                    } else {
                        word.append(byte)
                    }
                } else if inSingle {
                    guard index < line.count else { return nil }
                    let byte = line[index]
                    if byte == UInt8(ascii: "\\"), index + 1 < line.count, line[index + 1] == UInt8(ascii: "'") {
                        word.append(UInt8(ascii: "'"))
                        index += 1
                    } else if byte == UInt8(ascii: "'") {
                        if index + 1 < line.count, !isSpace(line[index + 1]) { return nil }
                        index += 1
                        break
                    } else {
                        word.append(byte)
                    }
                } else {
                    guard index < line.count else { break }
                    let byte = line[index]
                    if isSpace(byte) { break }
                    if byte == UInt8(ascii: "\"") {
                        inDouble = true
                    } else if byte == UInt8(ascii: "'") {
                        inSingle = true
                    } else {
                        word.append(byte)
                    }
                }
                index += 1
            }
            words.append(word)
        }
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
