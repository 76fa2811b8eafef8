extension Message {
    /// The timestamp as RFC 3339 UTC text with nanoseconds: `2014-05-13T16:53:20.012000000Z`,
    /// as the JSON-lines form writes it.
    public var timeText: String { RFC3339.format(nanoseconds: timestamp) }
}
