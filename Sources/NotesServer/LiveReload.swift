import Foundation
import Synchronization

/// Counts site rebuilds so open pages can tell they are out of date. Each served page opens a WebSocket
/// to `path` (see `ReloadSocket`) and reloads when the version it hears (`3@k1x9…`: the count, and
/// which run of the server counted) differs from the one it was served with; a page that outlived a
/// restart of `notes serve` reloads too, since the course may have changed while it was stopped.
///
/// A WebSocket, not a long poll: Chrome allows six HTTP connections to a host, and a poll held open
/// by every page in the back-forward cache or in another tab stalled the seventh page until a poll
/// ran out. WebSockets are not counted against those six.
public final class LiveReload: Sendable {
    static let path = "/__notes/reload"

    private struct State {
        /// Sites swapped into place.
        var generation = 0
        /// Why the last rebuild wrote no site (its errors, compiler style); empty when it did.
        var problems: [String] = []
        /// Changes of either: what sockets wait on.
        var changes = 0
        /// Sockets waiting for the next change, each resumed once: by the change, its timeout or its cancellation.
        var waiting: [UInt64: CheckedContinuation<Int, Never>] = [:]
        var nextID: UInt64 = 0
    }
    private let state = Mutex(State())

    /// This run of the server, apart from every other.
    private let instance = String(UInt64.random(in: 0...UInt64.max), radix: 36)

    public init() {}

    public var generation: Int { state.withLock { $0.generation } }

    var changes: Int { state.withLock { $0.changes } }

    /// The site's version now: what a page is served with, and compares with the version it hears.
    var version: String { version(of: generation) }

    private func version(of generation: Int) -> String { "\(generation)@\(instance)" }

    /// What open pages are told, as JSON: `{"version":"3@k1x9…","problems":[…]}`. A few problems, each
    /// cut short, are plenty to show in a page; the terminal has them all.
    func message() -> String {
        struct Message: Encodable { var version: String, problems: [String] }
        let (generation, problems) = state.withLock { ($0.generation, $0.problems) }
        let shown = problems.prefix(20).map { $0.count > 400 ? $0.prefix(399) + "…" : $0 }
        let json = try? JSONEncoder().encode(Message(version: version(of: generation), problems: shown))
        return json.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Called after each rebuild has been swapped into place: every waiting socket hears at once.
    public func siteChanged() {
        change { state in
            state.generation += 1
            state.problems = []
        }
    }

    /// Called when a rebuild wrote no site (a note could not be read): open pages show why.
    public func buildFailed(_ problems: [String]) {
        change { $0.problems = problems.isEmpty ? ["the site was not written"] : problems }
    }

    private func change(_ update: (inout State) -> Void) {
        let (changes, waiting) = state.withLock { state in
            update(&state)
            state.changes += 1
            defer { state.waiting = [:] }
            return (state.changes, state.waiting)
        }
        for continuation in waiting.values { continuation.resume(returning: changes) }
    }

    /// Returns the count of changes once it passes `since`, or after `timeout`, or when the waiting task is cancelled.
    func wait(since: Int, timeout: Duration) async -> Int {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        let deadline = ContinuousClock.now + timeout
        let timer = Task {
            try? await Task.sleep(until: deadline)
            self.answer(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now: Int? = state.withLock { state in
                    if state.changes > since || Task.isCancelled || ContinuousClock.now >= deadline { return state.changes }
                    state.waiting[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            answer(id)
        }
    }

    /// Resumes one waiting socket with the current count of changes, if it is still waiting.
    private func answer(_ id: UInt64) {
        let (changes, continuation) = state.withLock { ($0.changes, $0.waiting.removeValue(forKey: id)) }
        continuation?.resume(returning: changes)
    }

    /// Put before `</body>` of every served page (never into files on disk). It reloads the page when the
    /// site changes, keeping the scroll position, and shows why when a rebuild wrote no site.
    func script() -> String {
        """
        <script>
        (() => {
          const key = "notes-scroll:" + location.pathname;
          const saved = sessionStorage.getItem(key);
          if (saved !== null) {
            const restore = () => window.scrollTo(0, Number(saved));
            restore();
            window.addEventListener("load", () => { restore(); sessionStorage.removeItem(key); });
          }
          const served = "\(version)";
          let panel = null;
          // Why the last rebuild wrote no site, over the page as it was, until a rebuild succeeds.
          function show(problems) {
            if (!panel) {
              panel = document.createElement("div");
              panel.className = "notes-build-problems";
              panel.setAttribute("role", "alert");
              panel.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:1000;max-height:40vh;overflow:auto;"
                + "margin:0;padding:0.75em 1em;background:#fff1f0;color:#5c0000;border-top:3px solid #c62828;"
                + "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap";
              document.body.appendChild(panel);
            }
            panel.textContent = "notes serve: the last rebuild wrote no site, so this page is as it was.\\n\\n"
              + problems.join("\\n");
          }
          function connect() {
            const socket = new WebSocket(location.origin.replace(/^http/, "ws") + "\(Self.path)");
            socket.onmessage = (event) => {
              const site = JSON.parse(event.data);
              if (site.problems.length > 0) {
                show(site.problems);
              } else if (site.version !== served) {
                // A rebuild, or another run of the server.
                sessionStorage.setItem(key, String(window.scrollY));
                location.reload();
              } else if (panel) {
                panel.remove();
                panel = null;
              }
            };
            // The server stopped or restarted, or the page slept in the back-forward cache: ask again.
            socket.onclose = () => setTimeout(connect, 1000);
          }
          connect();
        })();
        </script>

        """
    }
}
