/// A list as a failure message shows it: at most `limit` items, then "and N more".
///
/// A message is read by a person at a terminal. Fifty colliding emails printed inline bury
/// the sentence that says what went wrong; five show the pattern, and the count says how
/// big it is. Every check that names many items in a message renders them through this.
///
///     "\(BriefList(["a", "b"]))"          // a, b
///     "\(BriefList(1...50))"              // 1, 2, 3, 4, 5 and 45 more
public struct BriefList: CustomStringConvertible, Sendable {
    /// How many items a message shows by default.
    public static let defaultLimit = 5

    public let items: [String]
    public let limit: Int

    /// `items` in their own order; `limit` below 1 counts as 1.
    public init<Items: Sequence>(_ items: Items, limit: Int = BriefList.defaultLimit) where Items.Element: CustomStringConvertible {
        self.items = items.map(\.description)
        self.limit = max(1, limit)
    }

    /// One item a line, then "… and N more" on a line of its own; "(none)" for no items.
    public var lines: String {
        guard !items.isEmpty else { return "(none)" }
        let shown = items.prefix(limit).joined(separator: "\n")
        return items.count > limit ? "\(shown)\n… and \(items.count - limit) more" : shown
    }

    /// "a, b, c", or "a, b, c, d, e and 45 more"; "(none)" for no items.
    public var description: String {
        guard !items.isEmpty else { return "(none)" }
        let shown = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? "\(shown) and \(items.count - limit) more" : shown
    }
}
