import Synchronization

/// Counts site rebuilds so open pages can tell they are out of date.
/// Pages ask by long polling (`/__notes/reload?since=N` waits until the count passes N),
/// which needs nothing but `fetch` in the page and survives the server restarting.
public final class LiveReload: Sendable {
    private struct State {
        var generation = 0
        /// Polls waiting for the next rebuild, each resumed once: by a rebuild, its timeout or its cancellation.
        var waiting: [UInt64: CheckedContinuation<Int, Never>] = [:]
        var nextID: UInt64 = 0
    }
    private let state = Mutex(State())

    public init() {}

    public var generation: Int { state.withLock { $0.generation } }

    /// Called after each rebuild has been swapped into place: every waiting poll is answered at once.
    public func siteChanged() {
        let (generation, waiting) = state.withLock { state in
            state.generation += 1
            defer { state.waiting = [:] }
            return (state.generation, state.waiting)
        }
        for continuation in waiting.values { continuation.resume(returning: generation) }
    }

    /// Returns once the generation passes `since`, or after `timeout`, or when the request goes away.
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

    /// Resumes one waiting poll with the current generation, if it is still waiting.
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
          let since = \(generation);
          async function poll() {
            try {
              const response = await fetch("/__notes/reload?since=" + since, { cache: "no-store" });
              const next = Number(await response.text());
              // Any other number means a rebuild, or a restarted server that counts from 0 again.
              if (next !== since) {
                sessionStorage.setItem(key, String(window.scrollY));
                location.reload();
                return;
              }
              setTimeout(poll, 0);
            } catch (error) {
              setTimeout(poll, 1000);
            }
          }
          poll();
        })();
        </script>

        """
    }
}
