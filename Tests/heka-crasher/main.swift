// A program that crashes on purpose, for the crash-report tests: they run it under Swift's
// backtracer and check the report that `heka` makes of it.
//
//     heka-crasher MODE [COUNTER_FILE CRASHES]
//
// MODE: `index` (an array index out of range), `fatal` (fatalError), `nil` (a force unwrap
// of nil), `null` (a write through a null pointer: SIGSEGV), `overflow` (an integer overflow
// trapped by the compiler's check), `exit:N` (exits with status N),
// `wait` (prints "ready" and waits, for a signal to end it). With COUNTER_FILE, the number
// in the file (0 when missing) is raised by one, and once it was CRASHES or more the program
// exits 0 instead: a program that crashes CRASHES times, then starts.
import Foundation

/// A second thread, running before the program crashes, so that reports have two threads.
let workerRunning = DispatchSemaphore(value: 0)
/// Never signalled: what the worker, and the `wait` mode, block on until the process ends.
let forever = DispatchSemaphore(value: 0)
let worker = Thread {
    workerRunning.signal()
    forever.wait()
}
worker.name = "crasher-worker"
worker.start()
workerRunning.wait()

@inline(never)
func element(_ values: [Int], at index: Int) -> Int {
    values[index]
}

@inline(never)
func unwrapped(_ value: String?) -> String {
    value!
}

@inline(never)
func store(_ value: Int, at address: Int) {
    UnsafeMutablePointer<Int>(bitPattern: address)!.pointee = value
}

@inline(never)
func sum(_ a: Int, _ b: Int) -> Int {
    a + b
}

@inline(never)
func crash(_ mode: String) -> Never {
    let arguments = CommandLine.arguments
    switch mode {
    case "index": print(element([1, 2, 3], at: arguments.count + 3))
    case "fatal": fatalError("heka-crasher was told to stop")
    case "nil": print(unwrapped(arguments.count > 100 ? "many" : nil))
    case "null": store(42, at: arguments.count * 8 - 8)
    case "overflow": print(sum(Int.max, arguments.count))
    case "wait":
        FileHandle.standardOutput.write(Data("ready\n".utf8))
        forever.wait()
        exit(0)  // unreachable: a signal ends the process
    default:
        if mode.hasPrefix("exit:"), let status = Int32(mode.dropFirst(5)) { exit(status) }
    }
    FileHandle.standardError.write(Data("heka-crasher: unknown mode \(mode)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: heka-crasher MODE [COUNTER_FILE CRASHES]\n".utf8))
    exit(2)
}
if arguments.count >= 4, let crashes = Int(arguments[3]) {
    let counter = URL(fileURLWithPath: arguments[2])
    let runs = (try? String(contentsOf: counter, encoding: .utf8)).flatMap { Int($0) } ?? 0
    try String(runs + 1).write(to: counter, atomically: true, encoding: .utf8)
    if runs >= crashes { exit(0) }
}
crash(arguments[1])
