import Foundation

/// The directory the backtracer writes crash reports into (`output-to=DIR`), and the moves
/// that make each report sent once.
///
/// A report is `NAME-PID-….json` directly in the directory. The backtracer writes it in
/// place, in pieces, as it symbolicates (it is not renamed into place when done), so a
/// report that does not parse may still be being written: it is left alone until it has not
/// changed for ``settleTime``, and only then counted as unreadable and moved to
/// `unreadable/`. A report that parses is complete: a JSON object read whole ends with its
/// last byte.
///
/// Before a report is sent it is claimed: renamed to `.NAME….json.sending-PID-START`, which
/// only one process (or thread) can do. It is removed once its record is written, or renamed
/// back if it could not be; a claim whose process is gone (it died while sending) is renamed
/// back by the next one that looks. A process is known by its id and its start time, since
/// a program restarted in a container is often process 1 again.
struct CrashReportDirectory: Sendable {
    /// The directory.
    let path: String

    /// How long a report that does not parse must have been left unchanged before it is
    /// taken as unreadable rather than still being written. The backtracer takes well under
    /// a second for most processes; this leaves a wide margin.
    static let settleTime: TimeInterval = 60

    /// Where reports that cannot be read are kept.
    var unreadablePath: String { path + "/unreadable" }

    /// The reports waiting, oldest first (by name when they were written the same second).
    func waiting() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let reports = names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        let dated = reports.map { ($0, modified(path + "/" + $0) ?? .distantPast) }
        return dated.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// When `file` was last written.
    func modified(_ file: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date
    }

    /// Whether a report that does not parse has been left unchanged for ``settleTime``.
    func hasSettled(_ name: String, now: Date = Date()) -> Bool {
        guard let modified = modified(path + "/" + name) else { return false }
        return now.timeIntervalSince(modified) >= Self.settleTime
    }

    /// Claims the report `name` for this process; `nil` when it is gone (another process
    /// claimed it first).
    func claim(_ name: String) -> Claim? {
        let claim = Claim(directory: path, name: name, owner: Self.currentProcess)
        guard rename(path + "/" + name, claim.path) else { return nil }
        return claim
    }

    /// A report claimed for sending.
    struct Claim: Sendable {
        var directory: String
        var name: String
        /// `PID-START`: the process's id and start time.
        var owner: String

        /// `.NAME.sending-PID-START`, which ``CrashReportDirectory/waiting()`` does not list.
        var path: String { "\(directory)/.\(name).sending-\(owner)" }
    }

    /// This process, as claims name it.
    static let currentProcess: String = {
        let pid = ProcessInfo.processInfo.processIdentifier
        return process(pid) ?? "\(pid)"
    }()

    /// `PID-START` for a running process (its start time in clock ticks since boot, field 22 of
    /// `/proc/PID/stat`); `nil` when there is no such process.
    static func process(_ pid: Int32) -> String? {
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              let text = String(data: stat, encoding: .utf8), let end = text.range(of: ")", options: .backwards)
        else { return nil }
        let fields = text[end.upperBound...].split(separator: " ")
        return fields.count > 19 ? "\(pid)-\(fields[19])" : nil  // fields from the state, field 3, on
    }

    /// Puts a claimed report back under its name, for a later try.
    func release(_ claim: Claim) -> Bool { rename(claim.path, path + "/" + claim.name) }

    /// Removes a claimed report whose record was written.
    func remove(_ claim: Claim) -> Bool { (try? FileManager.default.removeItem(atPath: claim.path)) != nil }

    /// Moves a claimed report that cannot be read to `unreadable/`; returns where it is now.
    func setAside(_ claim: Claim) -> String? {
        try? FileManager.default.createDirectory(atPath: unreadablePath, withIntermediateDirectories: true)
        let target = unreadablePath + "/" + claim.name
        return rename(claim.path, target) ? target : nil
    }

    /// Renames back the claims of processes that no longer exist (they died while sending).
    func releaseAbandonedClaims() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where name.hasPrefix(".") {
            guard let marker = name.range(of: ".sending-", options: .backwards) else { continue }
            let owner = String(name[marker.upperBound...])
            guard let pid = owner.split(separator: "-").first.flatMap({ Int32($0) }), Self.process(pid) != owner
            else { continue }
            let claim = Claim(directory: path, name: String(name[name.index(after: name.startIndex)..<marker.lowerBound]),
                              owner: owner)
            _ = release(claim)
        }
    }

    /// Renames `source` to `target` unless `target` exists; whether it was done.
    private func rename(_ source: String, _ target: String) -> Bool {
        (try? FileManager.default.moveItem(atPath: source, toPath: target)) != nil
    }
}
