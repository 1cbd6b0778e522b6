import Foundation
import NotesCore
#if canImport(Glibc)
import Glibc
#endif

/// Answers every request of the preview server: site files, the live-reload WebSocket's handshake, and errors.
struct SiteResponder: Sendable {
    let site: URL
    let liveReload: LiveReload
    let authority: Authority

    func respond(to request: RequestHead) async -> Response {
        // DNS rebinding (see `Authority`); HTTP/1.0 does not require a Host, and is no browser's.
        guard request.headers["host"].map(authority.allows(host:)) ?? (request.version == "HTTP/1.0") else {
            return .text(421, "Misdirected Request", "this is notes serve; ask for it by 127.0.0.1 or localhost and its port\n")
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return .text(405, "Method Not Allowed", "only GET and HEAD are served\n", headers: [("Allow", "GET, HEAD")])
        }
        let path = request.path
        // A 101 here hands the connection to a `ReloadSocket`.
        if path == LiveReload.path { return WebSocket.handshake(for: request, authority: authority) }
        switch SitePath.resolve(path, in: site) {
        case .badRequest:
            return .text(400, "Bad Request", "bad request path\n")
        case .notFound:
            return notFound(path)
        case .redirect(let location):
            return Response(status: 301, reason: "Moved Permanently", headers: [("Location", location)])
        case .file(let url):
            return file(url, path: path, ifNoneMatch: request.headers["if-none-match"])
        }
    }

    /// A site file with an ETag from its inode, size and modification time (a rebuild that leaves a page
    /// as it was links the same inode, so the browser keeps its copy). Pages get the live-reload script,
    /// so theirs names the live-reload version too. Other files are sent from a handle opened now.
    private func file(_ url: URL, path: String, ifNoneMatch: String?) -> Response {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return notFound(path) }
        let type = ContentType.of(url.lastPathComponent)
        let isPage = type.hasPrefix("text/html")
        #if os(Linux)
        let modified = info.st_mtim
        #else
        let modified = info.st_mtimespec
        #endif
        let eTag = "\"\(info.st_ino)-\(info.st_size)-\(modified.tv_sec).\(modified.tv_nsec)"
            + (isPage ? "-\(liveReload.version)\"" : "\"")
        let headers = [(name: "ETag", value: eTag), (name: "Cache-Control", value: "no-cache")]
        if Self.matches(ifNoneMatch, eTag: eTag) {
            return Response(status: 304, reason: "Not Modified", headers: headers)
        }
        let body: Response.Body
        if isPage {
            guard let data = FileManager.default.contents(atPath: url.path) else { return notFound(path) }
            body = .bytes(inject(into: data))
        } else {
            guard let opened = OpenFile(url) else { return notFound(path) }
            body = .file(opened)
        }
        return Response(status: 200, reason: "OK", headers: headers + [("Content-Type", type)], body: body)
    }

    /// `If-None-Match`: a list of ETags, or `*`.
    private static func matches(_ ifNoneMatch: String?, eTag: String) -> Bool {
        guard let ifNoneMatch else { return false }
        return ifNoneMatch.split(separator: ",").contains { tag in
            let tag = tag.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == eTag || tag == "W/" + eTag
        }
    }

    /// The live-reload script goes before `</body>`, or at the end of a page without one.
    private func inject(into page: Data) -> Data {
        let script = Data(liveReload.script().utf8)
        guard let end = page.range(of: Data("</body>".utf8), options: .backwards) else { return page + script }
        var out = page
        out.insert(contentsOf: script, at: end.lowerBound)
        return out
    }

    /// A page, so that it carries the live-reload script: a tab left on a missing page (a note not
    /// written yet, or a first build that wrote no site) reloads when the site changes, and shows why
    /// a rebuild wrote none.
    private func notFound(_ path: String) -> Response {
        let page = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Not found</title></head>\n"
            + "<body>\n<p>404: \(HTML.escape(path)) is not part of this site.</p>\n</body>\n</html>\n"
        return Response(status: 404, reason: "Not Found",
                         headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
                         body: .bytes(inject(into: Data(page.utf8))))
    }
}
