import CourseEngine
import Foundation
import Grading
import Testing
@testable import UsersAPIPiece

private func bytes(hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        result.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return result
}

@Suite struct HMACSHA256Tests {
    /// RFC 4231 §4.2–4.8 (test case 5 truncates its output and is left out).
    @Test(arguments: [
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (String(repeating: "aa", count: 20), String(repeating: "dd", count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819", String(repeating: "cd", count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (String(repeating: "aa", count: 131),
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (String(repeating: "aa", count: 131),
         "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func rfc4231(key: String, data: String, mac: String) {
        #expect(SHA256.hex(HMACSHA256.authenticationCode(for: bytes(hex: data), key: bytes(hex: key))) == mac)
    }

    @Test("agrees with Python's hmac module on keys and messages of every length around the block size")
    func agreesWithPython() async throws {
        var cases: [(key: [UInt8], message: [UInt8])] = []
        for length in [0, 1, 31, 32, 63, 64, 65, 127, 128, 200] {
            cases.append((key: (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) },
                          message: (0..<(length * 3)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }))
        }
        let script = """
            import hmac, hashlib, sys
            for line in sys.stdin.read().split("\\n"):
                key, message = (bytes.fromhex(part) for part in line.split(" "))
                print(hmac.new(key, message, hashlib.sha256).hexdigest())
            """
        let raw = cases.map { hex($0.key) + " " + hex($0.message) }.joined(separator: "\n")
        let output = try await Python.run(script, input: raw)
        let expected = cases.map { SHA256.hex(HMACSHA256.authenticationCode(for: $0.message, key: $0.key)) }
        #expect(output.split(separator: "\n").map(String.init) == expected)
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

@Suite struct HS256TokenTests {
    let secret = Array("a secret of some length, 32+ bytes".utf8)

    @Test("a signed token verifies and yields its subject")
    func roundTrip() throws {
        let token = try HS256Token.sign(claims: ["sub": "42", "exp": Date().timeIntervalSince1970 + 60], secret: secret)
        #expect(try HS256Token.verify(token, secret: secret) == 42)
    }

    @Test("refusals: alg none, other algorithms, bad signature, expiry, nbf, subject, shape")
    func refusals() throws {
        let now = Date()
        func expectRejection(_ token: String, _ expected: HS256Token.Rejection, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: expected, sourceLocation: sourceLocation) { try HS256Token.verify(token, secret: secret, now: now) }
        }
        func segment(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }
        let payload = segment(#"{"sub":"1"}"#)
        expectRejection("\(segment(#"{"alg":"none"}"#)).\(payload).", .unsupportedAlgorithm("none"))
        expectRejection("\(segment(#"{"alg":"HS512"}"#)).\(payload).AAAA", .unsupportedAlgorithm("HS512"))
        expectRejection("\(segment(#"{"alg":"RS256"}"#)).\(payload).AAAA", .unsupportedAlgorithm("RS256"))
        let good = try HS256Token.sign(claims: ["sub": "1"], secret: secret)
        #expect(throws: HS256Token.Rejection.badSignature) { try HS256Token.verify(good, secret: Array("other".utf8)) }
        expectRejection(try HS256Token.sign(claims: ["sub": "1", "exp": now.timeIntervalSince1970 - 1], secret: secret), .expired)
        expectRejection(try HS256Token.sign(claims: ["sub": "1", "exp": now.timeIntervalSince1970], secret: secret), .expired)
        let later = now.timeIntervalSince1970 + 3600
        expectRejection(try HS256Token.sign(claims: ["sub": "1"], secret: secret), .noExpiry)
        expectRejection(try HS256Token.sign(claims: ["sub": "1", "exp": later, "nbf": now.timeIntervalSince1970 + 60], secret: secret), .notYetValid)
        expectRejection(try HS256Token.sign(claims: ["name": "x", "exp": later], secret: secret), .noSubject)
        expectRejection(try HS256Token.sign(claims: ["sub": "abc", "exp": later], secret: secret), .noSubject)
        expectRejection(try HS256Token.sign(claims: ["sub": "-1", "exp": later], secret: secret), .noSubject)
        #expect(throws: HS256Token.Rejection.self) { try HS256Token.verify(try HS256Token.sign(claims: ["sub": "1", "exp": true], secret: secret), secret: secret) }
        for shape in ["", "a", "a.b", "a.b.c.d", "....", "%%%.e30.AA"] {
            #expect(throws: HS256Token.Rejection.self) { try HS256Token.verify(shape, secret: secret) }
        }
        // Padding is not base64url.
        let parts = good.split(separator: ".")
        #expect(throws: HS256Token.Rejection.self) { try HS256Token.verify("\(parts[0]).\(parts[1]).\(parts[2])=", secret: secret) }
    }

    @Test("tokens from PyJWT verify here, and PyJWT verifies ours")
    func crossCheckWithPyJWT() async throws {
        guard Python.canImport("jwt") else {
            Issue.record("PyJWT is not installed: run scripts/setup.sh --tests (pip install PyJWT)")
            return
        }
        let secretText = String(decoding: secret, as: UTF8.self)
        let theirs = try await Python.run("""
            import jwt, time
            key = \(pythonString(secretText))
            print(jwt.encode({"sub": "7", "exp": int(time.time()) + 600}, key, algorithm="HS256"))
            print(jwt.encode({"sub": "7", "exp": int(time.time()) - 600}, key, algorithm="HS256"))
            print(jwt.encode({"sub": "7"}, "wrong key, also long enough to not warn", algorithm="HS256"))
            print(jwt.encode({"sub": "7"}, key, algorithm="HS384"))
            """, input: "").split(separator: "\n").map(String.init)
        try #require(theirs.count == 4)
        #expect(try HS256Token.verify(theirs[0], secret: secret) == 7)
        #expect(throws: HS256Token.Rejection.expired) { try HS256Token.verify(theirs[1], secret: secret) }
        #expect(throws: HS256Token.Rejection.badSignature) { try HS256Token.verify(theirs[2], secret: secret) }
        #expect(throws: HS256Token.Rejection.unsupportedAlgorithm("HS384")) { try HS256Token.verify(theirs[3], secret: secret) }

        let ours = try HS256Token.sign(claims: ["sub": "9", "exp": Date().timeIntervalSince1970 + 600], secret: secret)
        let decoded = try await Python.run("""
            import jwt, sys
            claims = jwt.decode(sys.stdin.read().strip(), \(pythonString(secretText)), algorithms=["HS256"])
            print(claims["sub"])
            """, input: ours)
        #expect(decoded.trimmingCharacters(in: .whitespacesAndNewlines) == "9")
    }

    private func pythonString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
