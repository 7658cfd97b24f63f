import CachePiece
import CounterPiece
import Foundation
import Grading
import PipelinePiece
import StdioPiece
import TCPEchoPiece
import UserRPCPiece
import UsersAPIPiece

/// Every piece, registered once: the only place the CLI names the pieces. A new piece adds
/// its module to Package.swift and one entry here.
enum Pieces {
    static let registry = PieceRegistry([
        StdioCases.piece,
        TCPEcho.piece,
        UsersAPI.piece,
        CounterFixture.piece,
        CachePiece.piece,
        UserRPC.piece,
        PipelinePiece.piece,
    ], executable: executable)

    /// This program, for references and mutants that run as `course serve …`.
    static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
}
