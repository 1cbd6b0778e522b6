import ArgumentParser
import Foundation
import NotesCore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a starter course (config, index, one lesson with a verified snippet).")

    @Argument(help: "The folder to create.")
    var directory: String = "Content"

    func run() throws {
        do {
            try StarterCourse.write(to: URL(fileURLWithPath: directory))
        } catch let diagnostic as Diagnostic {
            Terminal.printError(diagnostic.description)
            throw ExitCode.failure
        }
        print("created a starter course in \(directory)/; build it with: notes build --content \(directory)")
    }
}
