import Foundation
import GRDB

/// Text from a learner's program (its output, what a check received, compiler messages),
/// stored so that it reads back exactly.
///
/// GRDB binds and reads a `String` as a C string, so text holding a NUL byte would be cut
/// there, silently, and a report regenerated from the gradebook would differ from the one
/// written at grading time. Text without NUL (nearly all of it) is stored as TEXT, readable
/// in the `sqlite3` shell; text with NUL is stored as a BLOB of its UTF-8 bytes.
struct VerbatimText: Sendable, DatabaseValueConvertible, Equatable {
    var string: String

    init(_ string: String) {
        self.string = string
    }

    var databaseValue: DatabaseValue {
        string.utf8.contains(0) ? Data(string.utf8).databaseValue : string.databaseValue
    }

    static func fromDatabaseValue(_ value: DatabaseValue) -> VerbatimText? {
        switch value.storage {
        case .string(let string): return VerbatimText(string)
        case .blob(let data): return VerbatimText(String(decoding: data, as: UTF8.self))
        default: return nil
        }
    }
}
