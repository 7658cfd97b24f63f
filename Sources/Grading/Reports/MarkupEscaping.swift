/// Escaping for text that learners' programs produced, on its way into XML or HTML.
///
/// Learners' programs print anything: ANSI colour codes, NUL bytes, stray `<script>` tags.
/// XML 1.0 cannot carry most control characters even as character references, so a
/// single forbidden character would make a whole JUnit report unreadable to CI. They are
/// replaced by a visible `\xNN` escape instead (which also tells the instructor that the
/// program printed, say, an ESC), and U+FFFE / U+FFFF, which XML forbids as well, by U+FFFD.
enum MarkupEscaping {
    /// Escapes element content: `<`, `>`, `&`, and carriage returns (which an XML parser
    /// would otherwise fold into line feeds).
    static func text(_ raw: String) -> String {
        escape(raw, inAttribute: false)
    }

    /// Escapes an attribute value in double quotes. Tabs and line breaks become character
    /// references, because a parser normalises literal ones to spaces inside attributes.
    static func attribute(_ raw: String) -> String {
        escape(raw, inAttribute: true)
    }

    private static func escape(_ raw: String, inAttribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(raw.utf8.count)
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where inAttribute: out += "&quot;"
            case "\r": out += "&#13;"
            case "\n" where inAttribute: out += "&#10;"
            case "\t" where inAttribute: out += "&#9;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                if isAllowedInXML(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x100 {
                    out += "\\x" + hex(scalar.value)
                } else {
                    out += "\u{FFFD}"
                }
            }
        }
        return out
    }

    /// The XML 1.0 `Char` production, less what HTML also rejects (C1 controls and DEL are
    /// legal XML but are parse errors in HTML, and invisible in either).
    private static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
    }
}
