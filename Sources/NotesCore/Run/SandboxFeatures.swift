import Foundation

/// Which of the sandbox's protections this machine gives, so that notes can say once, before the first
/// run, which ones are missing (the README's threat model names the kernel feature behind each).
struct SandboxFeatures {
    /// The kernel's Landlock ABI version; 0 without Landlock.
    var landlock: Int
    /// notes runs as root, so each run gets a user of its own (and, where the kernel lets it, a cgroup
    /// and a tmpfs).
    var ownUser: Bool
    var cgroup: Bool
    /// As root, each run gets a network namespace of its own.
    var ownNetwork = true

    /// What the kernel gives comes from the launcher, which is what applies it.
    static func current(launcher: Launcher) -> SandboxFeatures {
        let probe = try? ChildProcess.run(launcher.path, [SandboxSetting.probe("kernel")], environment: [:],
                                          workingDirectory: "/", timeout: 10, outputLimit: 256)
        // `landlock=7 netns=1`
        let fields = Dictionary(String(decoding: probe?.output ?? [], as: UTF8.self).split(whereSeparator: \.isWhitespace)
            .compactMap { field -> (String, Int)? in
                let parts = field.split(separator: "=")
                return parts.count == 2 ? (String(parts[0]), Int(parts[1]) ?? 0) : nil
            }, uniquingKeysWith: { $1 })
        let ownUser = geteuid() == 0 && SandboxUser.pick() != nil
        return SandboxFeatures(landlock: fields["landlock"] ?? 0, ownUser: ownUser, cgroup: !RunBounds.hierarchies.isEmpty,
                               ownNetwork: fields["netns"] == 1)
    }

    /// One line per missing protection, to print once; empty on a machine that gives them all.
    var missing: [String] {
        var lines: [String] = []
        if landlock == 0 {
            lines.append("this kernel has no Landlock: snippets may read and write whatever \(ownUser ? "any user" : "your user") may")
        } else {
            if landlock < 3 { lines.append("Landlock ABI \(landlock) < 3: a snippet may truncate ThreadSanitizer's report") }
            if landlock < 4 { lines.append("Landlock ABI \(landlock) < 4: snippets may open TCP connections") }
            if landlock < 6 { lines.append("Landlock ABI \(landlock) < 6: snippets may signal your processes and reach abstract sockets") }
        }
        if !ownUser {
            lines.append("not root: snippets run as your user, and a daemon a snippet starts with setsid may outlive its run")
        } else {
            if !cgroup { lines.append("no cgroup for runs: memory and processes are bounded per process, not per run") }
            if !ownNetwork { lines.append("no network namespace for runs: snippets share this machine's network (UDP; TCP too without Landlock ABI 4)") }
        }
        return lines.map { "sandbox: " + $0 }
    }
}
