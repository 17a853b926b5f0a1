// The libFuzzer entry: PAPERBOY_FUZZ_TARGET names the harness (see Harness.swift), the rest of
// the command line is libFuzzer's own (corpus folders, -max_total_time=…).
import Foundation

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The harness chosen at start (a C callback cannot capture it).
nonisolated(unsafe) var selectedHarness = Harness.query

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = selectedHarness.run(bytes)
    return 0
}

let name = ProcessInfo.processInfo.environment["PAPERBOY_FUZZ_TARGET"] ?? ""
guard let harness = Harness(rawValue: name) else {
    let names = Harness.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("set PAPERBOY_FUZZ_TARGET to one of: \(names)\n".utf8))
    exit(2)
}
selectedHarness = harness
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
