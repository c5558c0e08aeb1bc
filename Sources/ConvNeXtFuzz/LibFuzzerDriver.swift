#if CONVNEXT_LIBFUZZER
import Foundation

// libFuzzer's entry, used when the package is built with `-sanitize=fuzzer` and
// `-DCONVNEXT_LIBFUZZER` (scripts/fuzz.sh). SwiftPM links an executable's `main` to
// `<module>_main`, so this module defines that symbol and hands control to libFuzzer's
// driver; the target comes from the environment variable `CONVNEXT_FUZZ_TARGET`.

@_silgen_name("LLVMFuzzerRunDriver")
private func runLibFuzzer(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The target and scratch folder of this process; libFuzzer calls back on one thread.
nonisolated(unsafe) private var fuzzState: (target: FuzzTarget, scratch: FuzzScratchFolder)?

@_cdecl("ConvNeXtFuzz_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let name = ProcessInfo.processInfo.environment["CONVNEXT_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("set CONVNEXT_FUZZ_TARGET to one of: \(names)\n".utf8))
        return 2
    }
    do {
        fuzzState = (target, try FuzzScratchFolder())
    } catch {
        FileHandle.standardError.write(Data("cannot create a scratch folder: \(error)\n".utf8))
        return 1
    }
    var count = argc
    var arguments = argv
    return runLibFuzzer(&count, &arguments) { bytes, size in
        guard let state = fuzzState else { return 0 }
        let data = bytes.map { Data(bytes: $0, count: size) } ?? Data()
        _ = state.target.run(data, scratch: state.scratch)
        return 0
    }
}
#endif
