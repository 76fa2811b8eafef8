#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// A program run by a supervisor (`heka run`), which passes the signals it receives on to
/// it and reports how it ended.
///
/// Neither Foundation's `Process` (it reaps children from a SIGCHLD handler of its own) nor
/// a shell gives the exact status and the signals through, so this is the few calls it takes:
/// the supervisor blocks the signals it forwards (``blockSignals()``, before it starts any
/// thread, so that every thread inherits the mask), the child starts with the default mask
/// and dispositions (`posix_spawnp`), and ``wait()`` takes the blocked signals one at a
/// time with `sigwaitinfo`: SIGCHLD reaps the child, any other is sent on to it.
public final class ChildProcess: Sendable {
    /// How a child ended.
    public enum Termination: Sendable, Hashable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal killed it (`core`: it dumped core).
        case signalled(Int32, core: Bool)

        /// The status a shell gives for it: the exit status, or 128 + the signal's number.
        public var shellStatus: Int32 {
            switch self {
            case .exited(let status): status
            case .signalled(let signal, _): 128 + signal
            }
        }

        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal, let core):
                "killed by \(ChildProcess.signalName(signal))\(core ? " (core dumped)" : "")"
            }
        }
    }

    /// The signals passed on to the child: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2.
    public static let forwardedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2]

    /// The child's process id.
    public let processID: Int32

    /// Blocks ``forwardedSignals`` and SIGCHLD in the calling thread, and so in every thread
    /// it starts afterwards. Call it first, before any thread is started: a thread with the
    /// signals unblocked would take one with its default action (ending the supervisor).
    public static func blockSignals() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Starts `program` (looked up in `PATH` when it has no slash) with `arguments` (without
    /// the program's name) and `environment` (`NAME=value` entries), with the default signal
    /// mask and dispositions; standard input, output and error are the supervisor's.
    /// - Throws: the `errno` of the failed start: `ENOENT` when there is no such program,
    ///   `EACCES` when it may not be run.
    public init(program: String, arguments: [String], environment: [String]) throws(Errno) {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = Self.signalSet()
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, program, nil, &attributes, argv, envp)
        guard rc == 0 else { throw Errno(rawValue: rc) }
        processID = pid
    }

    /// Waits for the child to end, passing each of ``forwardedSignals`` that a process sends
    /// the supervisor on to it. A signal that the kernel sent (Ctrl-C at a terminal, a hang-up)
    /// reached the child's process group, the child included, already: it is not sent twice.
    /// Needs ``blockSignals()`` to have run.
    public func wait() -> Termination {
        var set = Self.signalSet()
        while true {
            var info = siginfo_t()
            let signal = (try? syscall { sigwaitinfo(&set, &info) }) ?? SIGCHLD
            if signal == SIGCHLD {
                if let ended = reap() { return ended }
            } else if info.si_code <= 0 {  // SI_USER, SI_QUEUE, SI_TKILL: sent by a process
                kill(processID, signal)
            }
        }
    }

    /// The child's termination, if it has ended (`waitpid` without blocking).
    private func reap() -> Termination? {
        var status: Int32 = 0
        guard let pid = try? syscall({ waitpid(processID, &status, WNOHANG) }), pid == processID else { return nil }
        // The macros of <sys/wait.h>, which Swift does not import.
        let signal = status & 0x7F
        if signal == 0 { return .exited((status >> 8) & 0xFF) }
        return .signalled(signal, core: status & 0x80 != 0)
    }

    /// ``forwardedSignals`` and SIGCHLD.
    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in forwardedSignals + [SIGCHLD] { sigaddset(&set, signal) }
        return set
    }

    /// `SIGSEGV` for 11; `signal N` for one without a name here.
    public static func signalName(_ signal: Int32) -> String {
        signalNames[signal].map { "SIG" + $0 } ?? "signal \(signal)"
    }

    private static let signalNames: [Int32: String] = [
        SIGHUP: "HUP", SIGINT: "INT", SIGQUIT: "QUIT", SIGILL: "ILL", SIGTRAP: "TRAP", SIGABRT: "ABRT",
        SIGBUS: "BUS", SIGFPE: "FPE", SIGKILL: "KILL", SIGUSR1: "USR1", SIGSEGV: "SEGV", SIGUSR2: "USR2",
        SIGPIPE: "PIPE", SIGALRM: "ALRM", SIGTERM: "TERM",
    ]
}
