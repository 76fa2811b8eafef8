import HekaClient

/// What names one metric: its label and its dimensions, in the order given.
///
/// The same label with other dimensions (or the same dimensions in another order) is another
/// metric. The dimensions become the message's fields once, here, so that sending a metric
/// does not convert them again.
struct MetricIdentity: Sendable, Hashable {
    /// The metric's label: the `name` field of its messages.
    let label: String
    /// The dimensions as `(name, value)` pairs, flattened to `[name, value, name, value…]`
    /// so that the key is `Hashable`.
    let flattenedDimensions: [String]

    init(label: String, dimensions: [(String, String)]) {
        self.label = label
        flattenedDimensions = dimensions.flatMap { [$0.0, $0.1] }
    }

    /// The dimensions as STRING fields, in order; heka-py puts them before `rate` and `name`.
    var fields: Fields {
        Fields(stride(from: 0, to: flattenedDimensions.count, by: 2).map { index in
            Field(name: flattenedDimensions[index], value: FieldValue(flattenedDimensions[index + 1]))
        })
    }
}
