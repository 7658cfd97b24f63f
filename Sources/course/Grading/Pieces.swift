import Grading
import StdioPiece
import TCPEchoPiece

/// Every piece's checks, registered once: the only place the CLI names the pieces.
enum Pieces {
    static let registry = SuiteRegistry([StdioCases.suite, TCPEcho.suite])
}

import CourseEngine

/// Styles of the check log.
extension TextStyle {
    static let heading = TextStyle(bold: true)
    static let success = TextStyle(color: .green)
    static let failure = TextStyle(bold: true, color: .red)
    static let faint = TextStyle(dim: true)
}
