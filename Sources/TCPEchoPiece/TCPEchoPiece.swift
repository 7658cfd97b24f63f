import Grading

extension TCPEcho {
    /// The piece as the CLI registers it: the echo-server checks, with its in-process
    /// reference and mutant. It owns no service and no variable beyond `PORT`.
    public static let piece = Piece(id: "tcp-echo", suites: [suite])
}
