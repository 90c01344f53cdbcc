public import Foundation

/// Short human forms of durations and moments, as `skyctl status` shows them.
public enum TimeText {
    /// `42s`, `3m 5s`, `2h 7m`, `3d 4h`; `-` for nil.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        let total = Int(max(0, seconds).rounded(.down))
        let (days, hours, minutes, secs) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60, total % 60)
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        if hours > 0 { return minutes > 0 ? "\(hours)h \(minutes)m" : "\(hours)h" }
        if minutes > 0 { return secs > 0 ? "\(minutes)m \(secs)s" : "\(minutes)m" }
        return "\(secs)s"
    }

    /// `just now`, `40 s ago`, `3 min ago`, `2 h ago`, `5 days ago`; `in 3 min` for the future.
    public static func relative(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        let magnitude = abs(seconds)
        if magnitude < 5 { return "just now" }
        let amount: String
        switch magnitude {
        case ..<60: amount = "\(Int(magnitude)) s"
        case ..<3600: amount = "\(Int(magnitude / 60)) min"
        case ..<86_400: amount = "\(Int(magnitude / 3600)) h"
        default:
            let days = Int(magnitude / 86_400)
            amount = days == 1 ? "1 day" : "\(days) days"
        }
        return seconds >= 0 ? "\(amount) ago" : "in \(amount)"
    }

    /// Local wall-clock time, `2026-11-21 21:40:05`, for absolute columns.
    public static func timestamp(_ date: Date?, timeZone: TimeZone = .current) -> String {
        guard let date else { return "-" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
