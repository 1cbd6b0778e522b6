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
        var generation = 0
        /// Sockets waiting for the next rebuild, each resumed once: by a rebuild, its timeout or its cancellation.
        var waiting: [UInt64: CheckedContinuation<Int, Never>] = [:]
        var nextID: UInt64 = 0
    }
    private let state = Mutex(State())

    /// This run of the server, apart from every other.
    private let instance = String(UInt64.random(in: 0...UInt64.max), radix: 36)

    public init() {}

    public var generation: Int { state.withLock { $0.generation } }

    /// What a page is told, and compares with the version it was served with.
    func version(_ generation: Int) -> String { "\(generation)@\(instance)" }

    /// Called after each rebuild has been swapped into place: every waiting socket hears at once.
    public func siteChanged() {
        let (generation, waiting) = state.withLock { state in
            state.generation += 1
            defer { state.waiting = [:] }
            return (state.generation, state.waiting)
        }
        for continuation in waiting.values { continuation.resume(returning: generation) }
    }

    /// Returns once the generation passes `since`, or after `timeout`, or when the waiting task is cancelled.
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
                    if state.generation > since || Task.isCancelled || ContinuousClock.now >= deadline { return state.generation }
                    state.waiting[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            answer(id)
        }
    }

    /// Resumes one waiting socket with the current generation, if it is still waiting.
    private func answer(_ id: UInt64) {
        let (generation, continuation) = state.withLock { ($0.generation, $0.waiting.removeValue(forKey: id)) }
        continuation?.resume(returning: generation)
    }

    /// Put before `</body>` of every served page (never into files on disk). It reloads the page when the
    /// site changes, and keeps the scroll position across the reload.
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
          const served = "\(version(generation))";
          function connect() {
            const socket = new WebSocket(location.origin.replace(/^http/, "ws") + "\(Self.path)");
            socket.onmessage = (event) => {
              // Another version: a rebuild, or another run of the server.
              if (event.data !== served) {
                sessionStorage.setItem(key, String(window.scrollY));
                location.reload();
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
