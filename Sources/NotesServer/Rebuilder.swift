/// Rebuilds the site when the content folder changes, then tells open pages to reload.
/// Runs beside the server until cancelled.
public struct Rebuilder: Sendable {
    var watcher: ContentWatcher
    let liveReload: LiveReload
    let rebuild: @Sendable () async -> Void

    /// `watcher` is made before the first build, so an edit saved while it runs is not missed.
    public init(watcher: ContentWatcher, liveReload: LiveReload, rebuild: @escaping @Sendable () async -> Void) {
        self.watcher = watcher
        self.liveReload = liveReload
        self.rebuild = rebuild
    }

    public func run() async throws {
        var watcher = watcher
        while true {
            try await Task.sleep(for: .milliseconds(300))
            guard watcher.changed() else { continue }
            // Editors save in several steps; wait until the folder is quiet before rebuilding.
            repeat { try await Task.sleep(for: .milliseconds(100)) } while watcher.changed()
            await rebuild()
            liveReload.siteChanged()
        }
    }
}
