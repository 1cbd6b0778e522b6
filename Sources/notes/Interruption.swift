import Dispatch
import Foundation
import NotesCore

/// Ctrl-C or SIGTERM: stop every snippet's process group before exiting, so nothing is left running.
/// Temporary folders, cgroups and mounts go with their `defer`s only on a normal exit, so the handler
/// removes those still registered (`Runs.stopAll`).
enum Interruption {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                Runs.stopAll()
                FileHandle.standardError.write(Data("notes: interrupted\n".utf8))
                // _exit, not exit: exit runs atexit handlers and static destructors while worker threads
                // still use what they tear down.
                _exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
