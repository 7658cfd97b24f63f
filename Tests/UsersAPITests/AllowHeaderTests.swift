import Grading
import Testing
@testable import UsersAPIPiece

/// The `Allow` of a 405 is read the way servers write it: any order, any letter case, one
/// line or several, `HEAD` and `OPTIONS` added or not. Only a missing header, a served
/// method left out, or the refused method listed fails.
struct AllowHeaderTests {
    static func response(_ lines: [(String, String)]) -> HTTPResponse {
        HTTPResponse(status: 405, headers: lines.map { (name: $0.0, value: $0.1) })
    }

    @Test(arguments: [
        [("Allow", "GET, POST")],
        [("Allow", "POST,GET")],
        [("allow", "post"), ("allow", "get")],
        [("ALLOW", "get, head, post, options")],
        [("Allow", "GET, HEAD, POST"), ("Content-Type", "application/json")],
    ])
    func readingsThatNameTheServedMethodsPass(lines: [(String, String)]) {
        #expect(AllowHeader(Self.response(lines)).problem(served: ["GET", "POST"], refused: "PATCH") == nil)
    }

    @Test func aMissingHeaderAMissingMethodAndTheRefusedMethodFail() {
        let none = AllowHeader(Self.response([("Content-Type", "application/json")]))
        #expect(none.problem(served: ["GET", "POST"], refused: "PATCH") == "the 405 response has no Allow header")
        let empty = AllowHeader(Self.response([("Allow", "")]))
        #expect(empty.problem(served: ["GET"], refused: "POST") == "the 405 response has no Allow header")
        let partial = AllowHeader(Self.response([("Allow", "GET")]))
        #expect(partial.problem(served: ["GET", "POST"], refused: "PATCH")?.contains("does not name POST") == true)
        let listsRefused = AllowHeader(Self.response([("Allow", "GET, POST, PATCH")]))
        #expect(listsRefused.problem(served: ["GET", "POST"], refused: "PATCH")?.contains("names PATCH") == true)
    }
}
