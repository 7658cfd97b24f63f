import Grading

/// Names and emails for the checks, from the check's seeded generator: the same seed sends
/// the same users. Emails carry a random tag so that checks sharing one server never
/// collide; some names are not ASCII, since a users API must keep any name as sent.
struct SampleUsers {
    var random: SeededRandom

    init(_ context: CheckContext) {
        random = context.random()
    }

    static let people: [(name: String, handle: String)] = [
        ("Ada Lovelace", "ada"), ("Grace Hopper", "grace"), ("Alan Turing", "alan"), ("Katherine Johnson", "katherine"),
        ("Edsger Dijkstra", "edsger"), ("Barbara Liskov", "barbara"), ("Ken Thompson", "ken"), ("Radia Perlman", "radia"),
        ("Zoë Ferreira", "zoe"), ("渡辺 美咲", "misaki"), ("Ngũgĩ Kamau", "ngugi"), ("Anaïs Dubois", "anais"),
        ("Søren Madsen", "soren"), ("Priya Raman", "priya"), ("Olúwaseun Adé", "seun"), ("Łukasz Nowak", "lukasz"),
    ]

    mutating func tag() -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return String((0..<6).map { _ in letters[Int(random.next() % UInt64(letters.count))] })
    }

    /// A fresh person with an email no other check uses.
    mutating func next() -> (name: String, email: String) {
        let person = Self.people[Int(random.next() % UInt64(Self.people.count))]
        return (person.name, "\(person.handle).\(tag())@example.com")
    }

    /// An email that differs from `email` only in letter case.
    static func recased(_ email: String) -> String {
        let at = email.firstIndex(of: "@")!
        return email[..<at].prefix(1).uppercased() + email[email.index(after: email.startIndex)..<at] + email[at...].uppercased()
    }
}
