import Grading
import Testing

/// Lists in failure messages stay short: five items, then how many were left out.
@Suite struct BriefListTests {
    @Test func aShortListIsShownWhole() {
        #expect("\(BriefList(["ada@example.com", "grace@example.com"]))" == "ada@example.com, grace@example.com")
        #expect("\(BriefList(1...5))" == "1, 2, 3, 4, 5")
    }

    @Test func aLongListShowsFiveAndCountsTheRest() {
        let emails = (1...50).map { "user\($0)@example.com" }
        let text = "\(BriefList(emails))"
        #expect(text == "user1@example.com, user2@example.com, user3@example.com, user4@example.com, user5@example.com and 45 more")
        #expect(!text.contains("user6@"))
        #expect("\(BriefList(1...6))" == "1, 2, 3, 4, 5 and 1 more")
    }

    @Test func theLimitCanBeChosenButShowsAtLeastOne() {
        #expect("\(BriefList(1...4, limit: 2))" == "1, 2 and 2 more")
        #expect("\(BriefList(1...3, limit: 0))" == "1 and 2 more")
    }

    @Test func anEmptyListSaysSo() {
        #expect("\(BriefList([String]()))" == "(none)")
    }
}
