import Synchronization

/// Counts site rebuilds so open pages can tell they are out of date.
/// Pages ask by long polling (`/__notes/reload?since=N` waits until the count passes N),
/// which needs nothing but `fetch` in the page and survives the server restarting.
public final class LiveReload: Sendable {
    private let count = Mutex(0)

    public init() {}

    public var generation: Int { count.withLock { $0 } }

    /// Called after each rebuild has been swapped into place.
    public func siteChanged() { count.withLock { $0 += 1 } }

    /// Returns once the generation passes `since`, or after `timeout`; polling every 100 ms keeps this
    /// free of continuations to cancel, and costs nothing next to a rebuild.
    func wait(since: Int, timeout: Duration) async -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = generation
            if current > since { return current }
            try? await Task.sleep(for: .milliseconds(100))
            if Task.isCancelled { break }
        }
        return generation
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
