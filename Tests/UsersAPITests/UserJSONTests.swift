import Foundation
import Testing
@testable import UsersAPIPiece

/// The hand-written user JSON is the text `JSONEncoder` (sorted keys, slashes unescaped)
/// gives, byte for byte, for names that need escaping and names that must not be escaped.
@Suite struct UserJSONTests {
    static let users = [
        User(id: 1, name: "Ada Lovelace", email: "ada@example.com"),
        User(id: 42, name: #"Quote " and back\slash / slash"#, email: "q+tag@sub.example.org"),
        User(id: 7, name: "Zoë 渡辺 😀 Ngũgĩ", email: "zoe@example.com"),
        User(id: 9_007_199_254_740_993, name: "tab\there\nnew line\r\u{8}\u{C}\u{1}\u{1F}", email: "x@y.zz"),
    ]

    @Test func oneUserMatchesJSONEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for user in Self.users {
            let ours = UserJSON.bytes(user)
            #expect(String(decoding: ours, as: UTF8.self) == String(decoding: try encoder.encode(user), as: UTF8.self))
            #expect(try JSONDecoder().decode(User.self, from: Data(ours)) == user)
        }
    }

    @Test func theListReadsBackAsTheUsers() throws {
        struct List: Decodable { let users: [User] }
        #expect(try JSONDecoder().decode(List.self, from: Data(UserJSON.bytes(list: Self.users))).users == Self.users)
        #expect(String(decoding: UserJSON.bytes(list: []), as: UTF8.self) == #"{"users":[]}"#)
    }
}
