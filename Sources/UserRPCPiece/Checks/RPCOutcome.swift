import Foundation
import GRPCCore

/// How one call ended, as a check judges it: the answer, a status other than OK, or no end
/// at all within the time the check gave it.
enum RPCOutcome<Answer: Sendable>: Sendable {
    case answer(Answer)
    case status(RPCError.Code, String)
    case noAnswer(seconds: Double)

    func map<Other: Sendable>(_ transform: (Answer) -> Other) -> RPCOutcome<Other> {
        switch self {
        case .answer(let answer): return .answer(transform(answer))
        case .status(let code, let message): return .status(code, message)
        case .noAnswer(let seconds): return .noAnswer(seconds: seconds)
        }
    }

    /// What came back, for a failure message: the message in protobuf text, or the status.
    func described(_ answerText: (Answer) -> String) -> String {
        switch self {
        case .answer(let answer): return answerText(answer)
        case .status(let code, let message): return "status \(RPCOutcome.name(code))" + (message.isEmpty ? "" : ": \(message)")
        case .noAnswer(let seconds): return "no answer within \(seconds.formatted1) s"
        }
    }

    /// The status's name as gRPC spells it in every language: `NOT_FOUND`.
    static func name(_ code: RPCError.Code) -> String {
        switch code {
        case .cancelled: return "CANCELLED"
        case .unknown: return "UNKNOWN"
        case .invalidArgument: return "INVALID_ARGUMENT"
        case .deadlineExceeded: return "DEADLINE_EXCEEDED"
        case .notFound: return "NOT_FOUND"
        case .alreadyExists: return "ALREADY_EXISTS"
        case .permissionDenied: return "PERMISSION_DENIED"
        case .resourceExhausted: return "RESOURCE_EXHAUSTED"
        case .failedPrecondition: return "FAILED_PRECONDITION"
        case .aborted: return "ABORTED"
        case .outOfRange: return "OUT_OF_RANGE"
        case .unimplemented: return "UNIMPLEMENTED"
        case .internalError: return "INTERNAL"
        case .unavailable: return "UNAVAILABLE"
        case .dataLoss: return "DATA_LOSS"
        case .unauthenticated: return "UNAUTHENTICATED"
        default: return String(describing: code)
        }
    }
}

extension Double {
    var formatted1: String { String(format: "%.1f", self) }
}
