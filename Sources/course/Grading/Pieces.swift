import Grading
import StdioPiece
import Foundation
import TCPEchoPiece
import UsersAPIPiece

/// Every piece's checks, registered once: the only place the CLI names the pieces.
enum Pieces {
    static let registry = SuiteRegistry([StdioCases.suite, TCPEcho.suite, UsersAPI.suite(courseExecutable: executable)])

    /// This program, for pieces whose reference `course verify` runs as `course serve …`.
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
}

import CourseEngine

/// Styles of the check log.
extension TextStyle {
    static let heading = TextStyle(bold: true)
    static let success = TextStyle(color: .green)
    static let failure = TextStyle(bold: true, color: .red)
    static let faint = TextStyle(dim: true)
}
