@testable import Grading
import Testing

/// Bytes from the wire as failure messages show them: line ends as escapes and line breaks,
/// every other control byte and every byte that is not UTF-8 as `\xNN`, long text cut.
@Suite struct EscapedBytesTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func lineEndsStayLinesAndControlBytesAreNamed() {
        let wire = Self.bytes("+OK\r\nA") + [0] + Self.bytes("B\tC\r") + Self.bytes("\nnext\nlast\r\n")
        #expect(EscapedBytes.text(wire) == "+OK\\r\\n\nA\\x00B\\x09C\\r\\n\nnext\\n\nlast\\r\\n")
        #expect(EscapedBytes.text(Self.bytes("lone\rreturn\u{7F}")) == "lone\\x0Dreturn\\x7F")
        #expect(EscapedBytes.text(Self.bytes(#"a\x00 is text"#)) == #"a\\x00 is text"#, "a backslash in the data is escaped itself")
    }

    @Test func validUTF8IsShownAndEverythingElseByByte() {
        #expect(EscapedBytes.text(Self.bytes("Zoë 😀 日本")) == "Zoë 😀 日本")
        #expect(EscapedBytes.text([0x61, 0xFF, 0x62]) == "a\\xFFb")
        #expect(EscapedBytes.text([0xC3, 0x28]) == "\\xC3(", "a lead byte without its continuation")
        #expect(EscapedBytes.text([0xE0, 0x80, 0x80]) == "\\xE0\\x80\\x80", "an overlong form")
        #expect(EscapedBytes.text([0xED, 0xA0, 0x80]) == "\\xED\\xA0\\x80", "a UTF-16 surrogate")
        #expect(EscapedBytes.text([0x6F, 0x6B, 0xE2, 0x82]) == "ok\\xE2\\x82", "a sequence cut short at the end")
        #expect(EscapedBytes.text([0xC2, 0x85, 0xC2, 0xA0]) == "\\xC2\\x85\u{A0}", "a C1 control is escaped, a no-break space is not")
    }

    @Test func longTextIsCutWithTheCountOfWhatIsLeft() {
        #expect(EscapedBytes.text(Array(repeating: UInt8(ascii: "a"), count: 15), limit: 10) == "aaaaaaaaaa… 5 bytes more")
        #expect(EscapedBytes.text(Self.bytes("abc\n\n"), limit: 4) == "abc\\n… 1 byte more")
        #expect(EscapedBytes.text([], limit: 4) == "")
    }

    @Test func aTranscriptShowsEachSideAndTheClose() {
        var transcript = ByteTranscript()
        #expect(transcript.sentText() == "(nothing)" && transcript.receivedText() == "(nothing)")
        transcript.record(.sent, Self.bytes("PING\r\n"))
        transcript.record(.received, Self.bytes("+PO"))
        transcript.record(.received, Self.bytes("NG\r\n"))
        transcript.record(.sent, Self.bytes("QUIT\r\n"))
        transcript.peerClosed = true
        #expect(transcript.turns.map(\.direction) == [.sent, .received, .sent])
        #expect(transcript.sentText() == "PING\\r\\n\nQUIT\\r\\n")
        #expect(transcript.receivedText() == "+PONG\\r\\n\n(then the server closed the connection)")
    }
}
