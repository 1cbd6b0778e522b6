import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird

/// Answers every request of the preview server: site files, the live-reload poll, and errors.
struct SiteResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let site: URL
    let liveReload: LiveReload
    /// How long a reload poll is held open before it is answered with "no change".
    var pollTimeout: Duration = .seconds(20)
    let fileIO = FileIO()

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            return Self.text(.methodNotAllowed, "only GET and HEAD are served\n", headers: [.allow: "GET, HEAD"])
        }
        let path = request.uri.path
        if path == "/__notes/reload" {
            let since = request.uri.queryParameters["since"].flatMap { Int($0) } ?? liveReload.generation
            let generation = await liveReload.wait(since: since, timeout: pollTimeout)
            return Self.text(.ok, "\(generation)", headers: [.cacheControl: "no-store"])
        }
        switch SitePath.resolve(path, in: site) {
        case .badRequest:
            return Self.text(.badRequest, "bad request path\n")
        case .notFound:
            return Self.notFound(path)
        case .redirect(let location):
            return Response(status: .movedPermanently, headers: [.location: location, .contentLength: "0"])
        case .file(let url):
            return try await file(url, path: path, request: request, context: context)
        }
    }

    /// A site file with an ETag from its inode, size and modification time (a rebuild that leaves a page
    /// as it was links the same inode, so the browser keeps its copy). Pages get the live-reload script,
    /// so theirs names the live-reload generation too. Other files are streamed from disk in chunks.
    private func file(_ url: URL, path: String, request: Request, context: Context) async throws -> Response {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return Self.notFound(path) }
        let type = ContentType.of(url.lastPathComponent)
        let isPage = type.hasPrefix("text/html")
        #if os(Linux)
        let modified = info.st_mtim
        #else
        let modified = info.st_mtimespec
        #endif
        let eTag = "\"\(info.st_ino)-\(info.st_size)-\(modified.tv_sec).\(modified.tv_nsec)"
            + (isPage ? "-\(liveReload.generation)\"" : "\"")
        return try await request.ifNoneMatch(eTag: eTag, context: context) {
            var headers: HTTPFields = [.contentType: type, .cacheControl: "no-cache"]
            let body: ResponseBody
            if isPage {
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    return Self.notFound(path)
                }
                body = ResponseBody(byteBuffer: ByteBuffer(bytes: inject(into: data)))
            } else {
                body = try await fileIO.loadFile(path: url.path, context: context)
            }
            headers[.contentLength] = "\(body.contentLength ?? 0)"
            return Response(status: .ok, headers: headers, body: request.method == .head ? ResponseBody() : body)
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

    private static func notFound(_ path: String) -> Response {
        text(.notFound, "404: \(path) is not part of this site\n")
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/plain; charset=utf-8"
        fields[.contentLength] = "\(body.utf8.count)"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
