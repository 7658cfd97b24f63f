import CourseEngine

/// Styles of the check log and of verify's lines.
extension TextStyle {
    static let heading = TextStyle(bold: true)
    static let success = TextStyle(color: .green)
    static let failure = TextStyle(bold: true, color: .red)
    static let faint = TextStyle(dim: true)
}
