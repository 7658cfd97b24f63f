/// Text that came out of a learner's file (a `course.yaml` key, a file name), made fit to
/// quote in a message that the learner, the instructor and a terminal all see.
///
/// A message about a file the grader could not parse must never carry the file itself: the
/// file may be a link to something only root can read, or hold escape sequences that rewrite
/// a terminal. So a quote is short, and every character that is not plain text is written
/// as an escape.
enum LearnerText {
    /// The longest excerpt of a learner's file a message quotes.
    static let excerptLimit = 40

    /// At most `limit` characters of `text`, control and formatting characters escaped
    /// (`\n`, `\u{1B}`, `\u{202E}`), and `…` when it was cut.
    static func excerpt(_ text: String, limit: Int = excerptLimit) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            let piece = escaped(scalar)
            if count + piece.count > limit { return out + "…" }
            out += piece
            count += piece.count
        }
        return out
    }

    /// A path inside a submission, escaped the same way but cut only when absurdly long
    /// (a name can be 255 bytes, a path thousands).
    static func path(_ text: String) -> String {
        excerpt(text, limit: 300)
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\\": return "\\\\"
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                return String(scalar)
            }
        }
    }
}
