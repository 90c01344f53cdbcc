/// One event of a `text/event-stream`.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field, `message` when absent.
    public var event: String
    /// The `data:` lines joined with newlines.
    public var data: String
    /// The `id:` field of this event, if it had one.
    public var id: String?

    /// Creates an event.
    public init(event: String = "message", data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// Turns the bytes of an event stream, in chunks of any size, into events (the WHATWG parsing rules).
public struct ServerSentEventParser: Sendable {
    /// The last `id:` seen; a reconnecting client sends it as `Last-Event-ID`.
    public private(set) var lastEventID: String?
    /// The reconnection delay the server asked for with `retry:`, in milliseconds.
    public private(set) var retryMilliseconds: Int?

    private var partialLine: [UInt8] = []
    private var sawCarriageReturn = false
    private var eventType = ""
    private var dataLines: [String] = []
    private var eventID: String?
    private var hasFields = false

    /// An empty parser.
    public init() {}

    mutating func restore(lastEventID: String?, retryMilliseconds: Int?) {
        self.lastEventID = lastEventID
        self.retryMilliseconds = retryMilliseconds
    }

    /// Feeds `bytes`; returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            // CR, LF and CRLF all end a line; the LF of a CRLF must not end a second, empty one.
            if sawCarriageReturn {
                sawCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                sawCarriageReturn = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            default:
                partialLine.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        let line = String(decoding: partialLine, as: UTF8.self)
        partialLine.removeAll(keepingCapacity: true)
        if line.isEmpty { return dispatch() }
        if line.hasPrefix(":") { return nil }
        var field = line
        var value = ""
        if let colon = line.firstIndex(of: ":") {
            field = String(line[..<colon])
            value = String(line[line.index(after: colon)...])
            if value.hasPrefix(" ") { value.removeFirst() }
        }
        switch field {
        case "event": eventType = value; hasFields = true
        case "data": dataLines.append(value); hasFields = true
        case "id" where !value.contains("\0"): eventID = value; lastEventID = value; hasFields = true
        case "retry": if let milliseconds = Int(value), value.allSatisfy(\.isASCII) { retryMilliseconds = milliseconds }
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventType = ""
            dataLines = []
            eventID = nil
            hasFields = false
        }
        guard hasFields, !dataLines.isEmpty || !eventType.isEmpty else { return nil }
        return ServerSentEvent(event: eventType.isEmpty ? "message" : eventType, data: dataLines.joined(separator: "\n"), id: eventID)
    }
}
