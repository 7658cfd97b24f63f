import Grading
import StdioPiece

/// Every piece's checks, registered once: the only place the CLI names the pieces.
enum Pieces {
    static let registry = SuiteRegistry([StdioCases.suite])
}
