import Foundation

/// The one way reports write instants: ISO 8601 in UTC with seconds ("2025-03-01T09:30:00Z"),
/// which spreadsheets, JUnit consumers and `JSONDecoder`'s `.iso8601` all read back.
enum ReportDates {
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}
