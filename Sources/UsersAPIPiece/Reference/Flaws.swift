/// Deliberate bugs the reference server can be built with, one small branch each, so the
/// checks can be proven to catch real mistakes (a mutant is the reference with one flaw).
/// The default, `[]`, is the correct server.
public struct Flaws: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// A new id is the number of users plus one: reused after a delete (and colliding with
    /// a live user). In-memory store only.
    public static let idsFromCount = Flaws(rawValue: 1 << 0)
    /// Choosing the id and storing the user are two steps with a gap between them, as if
    /// the lock were missing: concurrent creates get the same id and one user is lost.
    /// In-memory store only.
    public static let unlockedIDs = Flaws(rawValue: 1 << 1)
    /// `POST /api/v1/users` answers 200 instead of 201.
    public static let createdAs200 = Flaws(rawValue: 1 << 2)
    /// `GET /api/v1/users` lists newest first instead of by ascending id.
    public static let unsortedList = Flaws(rawValue: 1 << 3)
    /// The duplicate-email check compares emails exactly, so `Ada@x.org` and `ada@x.org`
    /// both get in. In-memory store only.
    public static let caseSensitiveEmails = Flaws(rawValue: 1 << 4)
    /// Errors are `text/plain` sentences instead of `{"error": …}` JSON.
    public static let plainTextErrors = Flaws(rawValue: 1 << 5)

    /// Every flaw with a stable name, for mutant lists and test arguments.
    public static let named: [(name: String, flaw: Flaws)] = [
        ("ids-from-count", .idsFromCount),
        ("unlocked-ids", .unlockedIDs),
        ("created-as-200", .createdAs200),
        ("unsorted-list", .unsortedList),
        ("case-sensitive-emails", .caseSensitiveEmails),
        ("plain-text-errors", .plainTextErrors),
    ]

    /// The flaws that live in the store, which only `MemoryUserStore` honours.
    public static let storeFlaws: Flaws = [.idsFromCount, .unlockedIDs, .caseSensitiveEmails]
}
