import Foundation

/// Reads a text file of the course, insisting on UTF-8 and saying where it is not.
public enum SourceFile {
    /// Returns the file's text, or a `CourseError` naming the file (and the line of the
    /// first invalid byte for bad UTF-8).
    public static func read(_ url: URL, displayPath: String? = nil) throws -> String {
        let shown = displayPath ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot be read (check its permissions)" : "does not exist"
            throw CourseError("file \(reason)", file: shown)
        }
        return try text(data, displayPath: shown)
    }

    /// `data` as UTF-8 text, or a `CourseError` naming `displayPath` and the line and offset
    /// of the first invalid byte (never the bytes themselves).
    public static func text(_ data: Data, displayPath shown: String) throws -> String {
        if let text = String(validating: data, as: UTF8.self) {
            return text
        }
        let (line, offset) = firstInvalidUTF8(data)
        throw CourseError("not valid UTF-8 (first bad byte at offset \(offset))", file: shown, line: line,
                          hint: "save the file as UTF-8 in your editor")
    }

    /// Line (1-based) and byte offset of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> (line: Int, offset: Int) {
        let bytes = [UInt8](data)
        var line = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (line, i)
            }
            if i + length > bytes.count { return (line, i) }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return (line, i) }
            // Overlong and surrogate forms.
            if length == 3 {
                let cp = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6)
                if cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) { return (line, i) }
            }
            if length == 4 {
                let cp = (UInt32(b & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
                if cp < 0x10000 || cp > 0x10FFFF { return (line, i) }
            }
            if b == 0x0A { line += 1 }
            i += length
        }
        return (line, bytes.count)
    }
}
