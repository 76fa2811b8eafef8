import Foundation
import HekaClient
import HekaPlatform
import Streams

/// Whether a UDP destination took what a command sent.
///
/// A connected UDP socket hears a destination's ICMP "port unreachable" only as the error
/// of its next send (see `UdpStream`), and after a command's last message nothing follows.
/// So the check waits briefly for the report to come back, then has the stream probe its
/// destinations (`UdpStream.probeDestinations()`: an empty datagram that carries no record,
/// which hekad and `heka cat` read as nothing).
enum UdpDeliveryCheck {
    /// How long the report has to come back. On loopback it is back within microseconds; a
    /// host that answers slower than this is not heard from.
    static let wait: Duration = .milliseconds(50)

    /// When the client sends over UDP: flushes it, and returns the line to print if the
    /// destination reported that datagrams were not delivered (`nil` otherwise). `what`
    /// names what was sent (`the message`).
    static func problem(client: HekaClient, failures: FailureLog, what: String) -> String? {
        guard let stream = client.stream as? UdpStream else { return nil }
        client.flush()
        if stream.unreachableReports == 0 {
            Thread.sleep(forTimeInterval: wait.seconds)  // the ICMP report's time to come back
            stream.probeDestinations()
        }
        guard stream.unreachableReports > 0 else { return nil }
        let code = failures.unreachable?.errno
        let reason = code.map { "it answered \"\(systemErrorMessage($0))\"" } ?? "it reported it lost"
        let hint = code == ECONNREFUSED ? " (nothing listens on that port)" : ""
        return "\(failures.prefix): \(stream.description) did not receive \(what): \(reason)\(hint)"
    }
}
