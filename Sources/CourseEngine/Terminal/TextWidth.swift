/// Columns a string occupies in a terminal: wide East Asian characters and emoji take two,
/// combining marks and zero-width characters none. ANSI escapes must be stripped first.
public enum TextWidth {
    public static func of(_ string: some StringProtocol) -> Int {
        // Fast path: printable ASCII is one column a byte (most of any lesson).
        var ascii = true
        for byte in string.utf8 where byte < 0x20 || byte >= 0x7F {
            ascii = false
            break
        }
        if ascii { return string.utf8.count }
        // Per scalar, not per Character: grapheme breaking is the slow part, and a
        // cluster's extra scalars (combining marks, joiners) are zero-width anyway.
        // U+FE0F asks for emoji presentation, which widens the character before it.
        var total = 0
        var last = 0
        for scalar in string.unicodeScalars {
            if scalar.value == 0xFE0F {
                if last == 1 { total += 1; last = 2 }
                continue
            }
            last = of(scalar)
            total += last
        }
        return total
    }

    public static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return of(first)
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
             0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1F680...0x1F6FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Removes ANSI SGR sequences and OSC 8 hyperlinks, leaving the visible text.
    public static func stripANSI(_ string: String) -> String {
        var out = ""
        var scalars = string.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let s = pending ?? scalars.next() {
            pending = nil
            guard s == "\u{1B}" else {
                out.unicodeScalars.append(s)
                continue
            }
            guard let kind = scalars.next() else { break }
            if kind == "[" {
                while let c = scalars.next(), !(c.value >= 0x40 && c.value <= 0x7E) {}
            } else if kind == "]" {
                // OSC: ends with BEL or ESC \
                while let c = scalars.next() {
                    if c == "\u{07}" { break }
                    if c == "\u{1B}" { _ = scalars.next(); break }
                }
            } else {
                pending = kind
            }
        }
        return out
    }

    /// Visible width of a string that may contain ANSI escapes.
    public static func visible(_ string: String) -> Int {
        string.contains("\u{1B}") ? of(stripANSI(string)) : of(string)
    }
}
