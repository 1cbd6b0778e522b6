import Foundation
import Testing
@testable import NotesServer

/// The preview server's path rules, on a real folder with symlinks that lead out of it.
@Suite("Serve: request paths stay inside the site")
struct SitePathTests {
    /// `<tmp>/Site` with pages, and `<tmp>/secret.txt` beside it, reachable only through symlinks.
    static func site() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("notes-sitepath")
        try folder.write("Site/index.html", "<p>home</p>")
        try folder.write("Site/lessons/index.html", "<p>lessons</p>")
        try folder.write("Site/lessons/01 intro#1.html", "<p>intro</p>")
        try folder.write("Site/.notes-site", "marker")
        try folder.write("secret.txt", "secret")
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: folder.path("Site/leak.txt").path, withDestinationPath: folder.path("secret.txt").path)
        try fm.createSymbolicLink(atPath: folder.path("Site/outside").path, withDestinationPath: folder.url.path)
        try fm.createSymbolicLink(atPath: folder.path("Site/same.html").path, withDestinationPath: "index.html")
        return folder
    }

    @Test func servesFilesFoldersAndEscapedNames() throws {
        let folder = try Self.site()
        defer { folder.remove() }
        let site = folder.path("Site")
        let real = site.resolvingSymlinksInPath()
        #expect(SitePath.resolve("/", in: site) == .file(real.appendingPathComponent("index.html")))
        #expect(SitePath.resolve("/lessons/", in: site) == .file(real.appendingPathComponent("lessons/index.html")))
        #expect(SitePath.resolve("/lessons", in: site) == .redirect("/lessons/"))
        #expect(SitePath.resolve("/lessons/01%20intro%231.html", in: site)
                == .file(real.appendingPathComponent("lessons/01 intro#1.html")))
        #expect(SitePath.resolve("/./lessons//index.html", in: site) == .file(real.appendingPathComponent("lessons/index.html")))
        // A symlink that stays inside the site is followed.
        #expect(SitePath.resolve("/same.html", in: site) == .file(real.appendingPathComponent("index.html")))
        #expect(SitePath.resolve("/missing.html", in: site) == .notFound)
    }

    @Test(arguments: [
        "/../secret.txt", "/lessons/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt", "/lessons/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/index.html%00.png", "secret.txt",
    ])
    func refusesTraversal(_ path: String) throws {
        let folder = try Self.site()
        defer { folder.remove() }
        #expect(SitePath.resolve(path, in: folder.path("Site")) == .badRequest)
    }

    @Test(arguments: [
        "/leak.txt", "/outside/secret.txt", "//etc/passwd", "/etc/passwd",
        "/%252e%252e/secret.txt", "/.notes-site", "/lessons/.hidden",
    ])
    func neverReturnsAFileOutsideTheSite(_ path: String) throws {
        let folder = try Self.site()
        defer { folder.remove() }
        let resolved = SitePath.resolve(path, in: folder.path("Site"))
        #expect(resolved == .notFound, "\(path) resolved to \(resolved)")
    }

    @Test func refusesVeryLongPaths() throws {
        let folder = try Self.site()
        defer { folder.remove() }
        let long = "/" + String(repeating: "a/", count: 5000) + "index.html"
        #expect(SitePath.resolve(long, in: folder.path("Site")) == .badRequest)
    }
}
