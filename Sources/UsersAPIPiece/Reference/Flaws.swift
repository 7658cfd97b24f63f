import Grading

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
    /// `POST /api/v1/users` refuses a body with members other than `name` and `email` (400),
    /// as Go's `DisallowUnknownFields` does, where the contract ignores them.
    public static let strictFields = Flaws(rawValue: 1 << 6)
    /// `POST /api/v1/users` counts the name's 100-character limit in UTF-8 bytes, as Go's
    /// `len` does, so a long name in Japanese is refused.
    public static let nameLengthInBytes = Flaws(rawValue: 1 << 7)
    /// `POST /api/v1/users` refuses an email with a `+` in it (`ada.lovelace+7@example.com`).
    public static let plusEmailRefused = Flaws(rawValue: 1 << 8)

    /// Every flaw: the option, its name, what it breaks and the stages that must catch it.
    /// The one table `course serve users-api --flaw NAME` and `course verify` read.
    public static let table: [(option: Flaws, flaw: Flaw)] = [
        (.idsFromCount, Flaw("ids-from-count", broken: "a new id is the number of users plus one (reused after a delete)",
                             caughtBy: ["concurrency"])),
        (.unlockedIDs, Flaw("unlocked-ids", broken: "choosing an id and storing the user are not under one lock",
                            caughtBy: ["concurrency"])),
        (.createdAs200, Flaw("created-as-200", broken: "POST answers 200 instead of 201", caughtBy: ["create"])),
        (.unsortedList, Flaw("unsorted-list", broken: "the list is newest first", caughtBy: ["create"])),
        (.caseSensitiveEmails, Flaw("case-sensitive-emails", broken: "the duplicate check compares emails exactly", caughtBy: ["create"])),
        (.plainTextErrors, Flaw("plain-text-errors", broken: "errors are text/plain sentences, not JSON", caughtBy: ["create"])),
        (.strictFields, Flaw("strict-fields", broken: "POST refuses fields other than name and email with 400", caughtBy: ["create"])),
        (.nameLengthInBytes, Flaw("name-length-in-bytes", broken: "POST counts the name's 100-character limit in bytes", caughtBy: ["create"])),
        (.plusEmailRefused, Flaw("plus-email-refused", broken: "POST refuses an email with a + in it", caughtBy: ["create"])),
    ]

    /// The flaw called `name`, nil for an unknown name.
    public static func named(_ name: String) -> Flaws? {
        table.first { $0.flaw.name == name }?.option
    }

    /// The flaws that live in the store, which only `MemoryUserStore` honours.
    public static let storeFlaws: Flaws = [.idsFromCount, .unlockedIDs, .caseSensitiveEmails]
}
