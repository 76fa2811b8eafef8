import HekaClient

/// What an input found: a message, or bytes that are not one.
public enum InputEvent: Sendable {
    /// A decoded message; `verified` when its HMAC was checked and matched.
    case message(Message, verified: Bool)
    /// Bytes that are not a message (corrupt, cut off, unverifiable), with where they are.
    case problem(String)
}

/// Where an input delivers what it reads: `heka cat`'s printer, the relay's queue, or an
/// application's own handler. Inputs call it from the thread that runs them.
public protocol InputSink: AnyObject {
    /// Handles one event; false to stop reading (a limit reached, a shutdown).
    func handle(_ event: InputEvent) -> Bool
    /// Whether the sink wants no more events: the input stops at its next chance.
    var isDone: Bool { get }
    /// Called after each batch read, before the input waits for more.
    func flush()
    /// Something about the input itself that is worth a line (a rotation followed, a
    /// connection limit reached); not a problem in the data.
    func notice(_ text: String)
    /// The kernel's running count of UDP datagrams dropped before they were read.
    var kernelDrops: Int? { get set }
}

/// Why an input could not be opened or read (for the CLI: exit status 2).
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// What failed, naming the file or address.
    public var description: String

    /// An error saying `description`.
    public init(description: String) {
        self.description = description
    }
}
