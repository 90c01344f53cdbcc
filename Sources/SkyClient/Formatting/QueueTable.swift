/// The table of `skyctl queues`.
public enum QueueTable {
    /// One row per queue: counts by state, the oldest queued job's age, paused or not.
    public static func render(_ queues: [Queue], style: TerminalStyle) -> String {
        var table = TextTable(headers: ["QUEUE", "WAITING", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "OLDEST QUEUED", "STATUS"],
                              rightAligned: [1, 2, 3, 4, 5, 6])
        for queue in queues {
            let counts = queue.counts
            table.append([
                queue.name, String(counts.waiting), String(counts.queued), String(counts.running), String(counts.succeeded),
                String(counts.failed), String(counts.cancelled), TimeText.duration(queue.oldestQueuedAgeSeconds),
                queue.paused ? style.paint("PAUSED", .yellow) : "ACTIVE",
            ])
        }
        return table.render()
    }
}
