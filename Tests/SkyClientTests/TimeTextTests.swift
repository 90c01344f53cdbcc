import Foundation
import SkyClient
import Testing

@Suite struct TimeTextTests {
    @Test(arguments: [
        (nil, "-"), (0, "0s"), (42.9, "42s"), (60, "1m"), (185, "3m 5s"), (3600, "1h"), (7_620, "2h 7m"),
        (86_400, "1d"), (273_600, "3d 4h"), (-3, "0s"),
    ] as [(Double?, String)])
    func durationsAreShortAndRoundDown(seconds: Double?, expected: String) {
        #expect(TimeText.duration(seconds) == expected)
    }

    @Test(arguments: [
        (2, "just now"), (40, "40 s ago"), (180, "3 min ago"), (3599, "59 min ago"), (7200, "2 h ago"),
        (86_400, "1 day ago"), (5 * 86_400, "5 days ago"), (-180, "in 3 min"),
    ] as [(Double, String)])
    func relativeTimesCountBackFromNow(secondsAgo: Double, expected: String) {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(TimeText.relative(now.addingTimeInterval(-secondsAgo), now: now) == expected)
    }

    @Test func timestampsAreInTheGivenZone() {
        let date = Date(timeIntervalSince1970: 0)
        #expect(TimeText.timestamp(date, timeZone: TimeZone(identifier: "UTC")!) == "1970-01-01 00:00:00")
        #expect(TimeText.timestamp(date, timeZone: TimeZone(secondsFromGMT: 3600)!) == "1970-01-01 01:00:00")
        #expect(TimeText.timestamp(nil) == "-")
    }
}
