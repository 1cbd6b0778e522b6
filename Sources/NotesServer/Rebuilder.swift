/// Rebuilds the site when the content folder changes, then tells open pages to reload, or why it could not.
/// Runs beside the server until cancelled.
public struct Rebuilder: Sendable {
    var watcher: ContentWatcher
    let liveReload: LiveReload
    /// Builds the site again; returns why no site was written (its errors), or nothing when a new one is in place.
    let rebuild: @Sendable () async -> [String]

    /// `watcher` is made before the first build, so an edit saved while it runs is not missed.
    public init(watcher: ContentWatcher, liveReload: LiveReload, rebuild: @escaping @Sendable () async -> [String]) {
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
            let problems = await rebuild()
            if problems.isEmpty { liveReload.siteChanged() } else { liveReload.buildFailed(problems) }
        }
    }
}
