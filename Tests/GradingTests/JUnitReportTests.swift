import Foundation
import Testing
@testable import Grading

/// The published JUnit schema the reports are validated against: `junit-10.xsd` of the
/// Jenkins xUnit plugin, as shipped in the source distribution of the PyPI package
/// `pytest` 8.3.5 (`testing/example_scripts/junit-10.xsd`, used there to validate pytest's
/// own `--junitxml`). `scripts/setup.sh --tests` installs it; `COURSE_JUNIT_XSD` overrides.
enum JUnitSchema {
    static let defaultPath = "/usr/local/share/course-test-data/pytest-8.3.5/junit-10.xsd"
    /// SHA-256 of the file as pytest 8.3.5 ships it: proves the schema is the published one,
    /// unedited.
    static let sha256 = "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6"

    static var path: String {
        ProcessInfo.processInfo.environment["COURSE_JUNIT_XSD"] ?? defaultPath
    }

    /// Runs `xmllint --schema` on `document`; nil when the tools are missing (already recorded).
    static func validate(_ document: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ExternalTool.Run? {
        guard ExternalTool.require("xmllint", sourceLocation: sourceLocation) else { return nil }
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("JUnit schema missing at \(path): run `bash scripts/setup.sh --tests`", sourceLocation: sourceLocation)
            return nil
        }
        let file = try ExternalTool.file(document, named: "junit.xml")
        return try ExternalTool.run(["xmllint", "--noout", "--schema", path, file])
    }
}

@Suite struct JUnitReportTests {
    let xml = JUnitReport.xml(ReportFixture.all, exercise: "users-api")

    @Test func theSchemaIsThePublishedFileUnchanged() throws {
        guard ExternalTool.require("sha256sum") else { return }
        let run = try ExternalTool.run(["sha256sum", JUnitSchema.path])
        #expect(run.output.hasPrefix(JUnitSchema.sha256), "\(run.output)")
    }

    @Test func theClassReportIsValidAgainstThePublishedSchema() throws {
        guard let run = try JUnitSchema.validate(xml) else { return }
        #expect(run.status == 0, "\(run.output)\n\(xml)")
        #expect(run.output.contains("validates"))
    }

    @Test func theSchemaCheckRejectsAnInvalidDocument() throws {
        // A testcase without its required name, and a testsuite time the schema's pattern
        // refuses: the validation step must be able to fail.
        let invalid = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites><testsuite name="ada" tests="1" failures="0" errors="0" time="1e-3">
        <testcase classname="users-api.list"/></testsuite></testsuites>
        """
        guard let run = try JUnitSchema.validate(invalid) else { return }
        #expect(run.status != 0)
        #expect(run.output.contains("fails to validate"), "\(run.output)")
        // And one the schema does not know at all.
        guard let unknown = try JUnitSchema.validate("<testsuites><testrun name=\"x\"/></testsuites>") else { return }
        #expect(unknown.status != 0)
    }

    @Test func eachSubmissionIsASuiteWithItsCounts() {
        #expect(xml.contains(#"<testsuites name="users-api" tests="27" failures="2" errors="1" time="37.037">"#))
        #expect(xml.contains(#"<testsuite name="ada" package="users-api" tests="9" failures="1" errors="0" skipped="4" time="12.346" timestamp="2025-03-01T09:30:00Z">"#))
        #expect(xml.contains(#"<testsuite name="bob" package="users-api" tests="9" failures="1" errors="0" skipped="2" time="12.346" timestamp="2025-03-01T09:30:00Z">"#))
        #expect(xml.contains(#"<testsuite name="carol" package="users-api" tests="9" failures="0" errors="1" skipped="8""#))
        #expect(xml.contains(#"<property name="seed" value="42"/>"#))
        #expect(xml.contains(#"<property name="version.go" value="1.19.8"/>"#))
    }

    @Test func aPassedCheckIsABareTestcase() {
        #expect(xml.contains(#"<testcase classname="users-api.list" name="List users one" time="0.013"/>"#))
        #expect(xml.contains(#"<testcase classname="users-api.setup" name="build and start" time="2.500"/>"#))
    }

    @Test func aFailedCheckCarriesItsFullDescriptionEscaped() {
        let expected = """
                <testcase classname="users-api.create" name="Create users two" time="0.250">
                  <failure message="expected status 201, got 200 &lt;b&gt;" type="failed">expected status 201, got 200 &lt;b&gt;
            sent:
                POST /api/v1/users
                {"name":"a, b","email":"x@y"}
            received:
                HTTP/1.1 200 OK
                &lt;script&gt;alert("r")&lt;/script&gt;
            expected:
                HTTP/1.1 201 Created &amp; a user
            hint: return 201 from the create handler</failure>
                </testcase>
            """
        #expect(xml.contains(expected), "\(xml)")
    }

    @Test func stagesThatDidNotRunAreSkippedWithTheReason() {
        #expect(xml.contains(#"<skipped message="not run: stage 2 'Create users' failed"/>"#))
        #expect(xml.contains(#"<skipped message="not run: the program did not build"/>"#))
    }

    @Test func aHiddenFailureShowsOnlyTheGenericMessage() {
        #expect(xml.contains(#"<failure message="\#(ReportFixture.hiddenMessage)" type="failed">\#(ReportFixture.hiddenMessage)</failure>"#))
    }

    @Test func aBuildFailureIsAnErrorTestcaseWithTheCompilerOutput() {
        let expected = """
                <testcase classname="users-api.setup" name="build and start" time="0.000">
                  <error message="the program did not build" type="error">main.go:3:1: syntax error: unexpected }
            </error>
                </testcase>
            """
        #expect(xml.contains(expected), "\(xml)")
    }

    @Test func theProgramOutputIsInSystemOutWithControlCharactersReplaced() throws {
        #expect(xml.contains("<system-out>listening on :8080\n&lt;script&gt;alert('x')&lt;/script&gt;\\x1B[31mred\\x00&#13;\nend\n[… 4900 bytes of output omitted …]\nbye &amp; done\n</system-out>"))
        // Well-formed XML 1.0 although the program printed NUL and ESC.
        guard ExternalTool.require("xmllint") else { return }
        let run = try ExternalTool.run(["xmllint", "--noout", try ExternalTool.file(xml, named: "junit.xml")])
        #expect(run.status == 0 && run.output.isEmpty, "\(run.output)")
    }

    @Test func anEmptyClassIsStillAValidReport() throws {
        let empty = JUnitReport.xml([], exercise: "users-api")
        #expect(empty == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"users-api\" tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\"/>\n")
        guard let run = try JUnitSchema.validate(empty) else { return }
        #expect(run.status == 0, "\(run.output)")
    }
}
