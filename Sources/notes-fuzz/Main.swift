import Foundation

/// Built normally, a reproducer: `notes-fuzz FILE...` sends each file through the fuzzed path and
/// says what became of it; it exits 1 when one of them shows a bug.
/// Built by `Fuzz/run.sh` (the `Fuzzing` trait), the libFuzzer target: the same path, fed by libFuzzer.
@main
enum NotesFuzz {
    static func main() {
        #if NOTES_FUZZ
        // SwiftPM makes this function the executable's `main`, so it starts libFuzzer's driver itself.
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
        #else
        let files = CommandLine.arguments.dropFirst()
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data("usage: notes-fuzz FILE...\n".utf8))
            exit(2)
        }
        var bugs = 0
        for name in files {
            guard let data = FileManager.default.contents(atPath: name) else {
                print("\(name): cannot read")
                bugs += 1
                continue
            }
            switch FuzzTarget.run([UInt8](data)) {
            case .page(let size): print("\(name): page, \(size) bytes of HTML")
            case .diagnostic(let diagnostic): print("\(name): \(diagnostic)")
            case .bug(let message): print("\(name): BUG: \(message)"); bugs += 1
            }
        }
        exit(bugs == 0 ? 0 : 1)
        #endif
    }
}

#if NOTES_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { [UInt8](UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if case .bug(let message) = FuzzTarget.run(bytes) { fatalError(message) }
    return 0
}

/// libFuzzer's entry point for programs that have their own `main`.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif
