import Foundation
import Testing
@testable import Grading

@Suite struct JSONReportTests {
    @Test func aClassReportHoldsTheWholeModelAndReadsBack() throws {
        let json = try JSONReport.json(ReportFixture.all, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        let decoded = try JSONReport.decoder().decode(JSONReport.ClassReport.self, from: Data(json.utf8))
        #expect(decoded == JSONReport.ClassReport(exercise: "users-api", generatedAt: ReportFixture.startedAt, submissions: ReportFixture.all))
    }

    @Test func datesAreISO8601KeysSortedAndThePagePrettyPrinted() throws {
        let json = try JSONReport.json(ReportFixture.all, exercise: "users-api", generatedAt: ReportFixture.startedAt)
        #expect(json.hasPrefix("{\n  \"exercise\" : \"users-api\",\n  \"generatedAt\" : \"2025-03-01T09:30:00Z\",\n  \"submissions\" : ["))
        #expect(json.contains("\"startedAt\" : \"2025-03-01T09:30:00Z\""))
        let ada = try JSONReport.json(ReportFixture.ada)
        let keys = ada.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == ["build", "contentHash", "durationSeconds", "exerciseID", "learner", "mode", "path", "programOutput",
                         "sandbox", "seed", "stages", "startedAt", "versions"])
    }

    @Test func aFailureKeepsWhatWasSentReceivedAndExpected() throws {
        let ada = try JSONReport.json(ReportFixture.ada)
        #expect(ada.contains(#""hint" : "return 201 from the create handler""#))
        #expect(ada.contains(#""received" : "HTTP/1.1 200 OK\n<script>alert(\"r\")</script>""#))
        #expect(ada.contains("\"build\" : {\n    \"built\" : {\n      \"seconds\" : 2.5\n    }\n  }"))
        let carol = try JSONReport.json(ReportFixture.carol)
        #expect(carol.contains(#""reason" : "main.go:3:1: syntax error: unexpected }\n""#))
    }
}
