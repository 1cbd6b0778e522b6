import Foundation

/// `notes init DIR`: a small course that builds and verifies at once, to start from.
public enum StarterCourse {
    static let files: [String: String] = [
        CourseConfig.fileName: """
        title: My course
        author: Your name
        timeout: 10

        """,
        "index.md": """
        ---
        title: My course
        order: 0
        desc: What this course is about.
        ---
        # My course

        Welcome. Every Swift snippet on these pages is compiled and run when the site is built,
        and the output under it is what it really printed. Start with the first lesson below.

        """,
        "01-first-lesson.md": """
        ---
        title: A first lesson
        order: 1
        desc: One snippet, its recorded output, and a link.
        ---
        # A first lesson

        A `swift run` block is compiled and run; the `output` block after it is what it must print.

        ```swift run
        let squares = (1...5).map { $0 * $0 }
        print("squares:", squares)
        print("sum:", squares.reduce(0, +))
        ```

        ```output
        squares: [1, 4, 9, 16, 25]
        sum: 55
        ```

        Change the code, run `notes verify`, and see it fail; `notes verify --accept` records the new
        output. Back to [the start](index.md).

        """,
    ]

    /// Writes the starter into `directory`, which must not exist or be empty.
    public static func write(to directory: URL) throws {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: directory.path), !existing.isEmpty {
            throw Diagnostic(file: directory.path, "folder is not empty; notes init writes only into a new or empty folder")
        }
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
    }
}
