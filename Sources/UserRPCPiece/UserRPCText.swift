import Foundation
import SwiftProtobuf

/// Messages as people read them in logs and failure messages: protobuf text format on one
/// line (`id: 3 name: "Ada"`), `{}` for a message with every field at its default.
enum UserRPCText {
    static func line(_ message: some SwiftProtobuf.Message) -> String {
        let text = message.textFormatString()
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return text.isEmpty ? "{}" : "{ \(text) }"
    }
}
