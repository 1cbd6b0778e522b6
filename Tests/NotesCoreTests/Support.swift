import Testing
@testable import NotesCore
