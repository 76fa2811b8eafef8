/// libFuzzer's driver, which the fuzzer runtime linked by `-sanitize=fuzzer` exports.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The body being fuzzed. Set once, before libFuzzer starts, and only read after.
nonisolated(unsafe) private var body: ([UInt8]) -> Void = { _ in }

/// Runs libFuzzer with the command line's arguments, calling `test` with each input.
///
/// SwiftPM links an executable target with its entry point renamed to `<Target>_main`, so
/// libFuzzer's own `main` is never used: each target defines that symbol and calls this.
/// `test` returns normally for an input that is handled; it stops the process (a
/// `fatalError`, a trap) for one that shows a bug, which libFuzzer then saves.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ test: @escaping ([UInt8]) -> Void) -> CInt {
    body = test
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        body(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}

/// ``runFuzzer(_:_:_:)`` for a test of text: the input read as UTF-8, bad bytes replaced.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ test: @escaping (String) -> Void) -> CInt {
    runFuzzer(argc, argv) { test(String(decoding: $0, as: UTF8.self)) }
}
