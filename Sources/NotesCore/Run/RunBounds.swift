import Foundation
import Synchronization

/// Bounds on a whole run, beyond each process's rlimits, where the kernel lets notes set them (as root):
/// a cgroup holding every process of the run, so memory and processes are counted together (three
/// children cannot take 3 × the memory limit), and a tmpfs as the run's folder (and one as its logs
/// folder), so the bytes and files it writes are bounded too. Without root, each falls back to the per-process rlimits, and
/// `SandboxFeatures` says so once.
struct RunBounds {
    /// `cgroup.procs` files the launcher joins.
    var procsFiles: [String] = []
    private var groups: [String] = []
    private var mounted: [String] = []
    /// The run's folder, which names these bounds among those live.
    private var folder = ""

    /// Sets up the bounds for one run whose folder is `folder` and whose logs go to `logs` (both empty).
    static func make(folder: URL, logs: URL, user: uid_t, limits: SandboxLimits) -> RunBounds {
        var bounds = RunBounds()
        bounds.folder = folder.path
        let name = "notes-" + folder.lastPathComponent
        for hierarchy in hierarchies {
            let group = hierarchy.path + "/" + name
            guard mkdir(group, 0o755) == 0 else { continue }
            if hierarchy.setLimits(in: group, limits: limits) {
                bounds.groups.append(group)
                bounds.procsFiles.append(group + "/cgroup.procs")
            } else {
                rmdir(group)
            }
        }
        // The logs folder gets room for ThreadSanitizer's reports and a timeline, more than notes reads of them.
        for (path, bytes, files) in [(folder.path, limits.diskBytes, limits.files), (logs.path, 4 * BoundedFile.raceLogsLimit, 256)] {
            let options = "size=\(bytes),nr_inodes=\(files),mode=0700,uid=\(user),gid=\(user)"
            if mount("tmpfs", path, "tmpfs", UInt(MS_NOSUID | MS_NODEV), options) == 0 { bounds.mounted.append(path) }
        }
        live.withLock { $0[folder.path] = bounds }
        return bounds
    }

    /// Every run's bounds that are set up and not yet removed, by run folder, for an interrupted notes.
    private static let live = Mutex<[String: RunBounds]>([:])

    /// Removes every run's bounds at once: what Ctrl-C leaves, since `defer`s do not run then.
    static func removeAll() {
        for bounds in live.withLock({ Array($0.values) }) { bounds.remove() }
    }

    /// Where runs' cgroups go; empty when notes is not root or the kernel delegates none.
    static var hierarchies: [CgroupHierarchy] { CgroupHierarchy.available }

    var hasCgroup: Bool { !groups.isEmpty }

    /// Whether the kernel killed a process of the run for going over its memory.
    var ranOutOfMemory: Bool {
        groups.contains { group in
            let events = (try? String(contentsOfFile: group + "/memory.events", encoding: .utf8))
                ?? (try? String(contentsOfFile: group + "/memory.oom_control", encoding: .utf8)) ?? ""
            return events.split(separator: "\n").contains { line in
                let fields = line.split(separator: " ")
                return fields.count == 2 && (fields[0] == "oom_kill" || fields[0] == "oom") && (Int(fields[1]) ?? 0) > 0
            }
        }
    }

    /// Kills what is left in the cgroups, removes them, and unmounts the run's folder.
    func remove() {
        for group in groups {
            for _ in 0..<100 {
                let procs = (try? String(contentsOfFile: group + "/cgroup.procs", encoding: .utf8)) ?? ""
                for pid in procs.split(separator: "\n").compactMap({ pid_t($0) }) { kill(pid, SIGKILL) }
                if rmdir(group) == 0 || errno != EBUSY { break }
                usleep(10_000)
            }
        }
        for path in mounted { umount2(path, Int32(MNT_DETACH)) }
        RunBounds.live.withLock { _ = $0.removeValue(forKey: folder) }
    }
}

/// A cgroup hierarchy notes may make groups in: version 2 with the memory and pids controllers
/// delegated, or version 1's memory and pids hierarchies; read from /proc/self/mountinfo and
/// /proc/self/cgroup once.
struct CgroupHierarchy {
    var path: String
    var version2: Bool
    var controller: String

    static let available: [CgroupHierarchy] = {
        guard geteuid() == 0,
              let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8),
              let own = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return [] }
        // `hierarchy-id:controllers:path`; version 2's line is `0::path`.
        var ownPath: [String: String] = [:]
        for line in own.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            for controller in fields[1].split(separator: ",") { ownPath[String(controller)] = String(fields[2]) }
            if fields[1].isEmpty { ownPath[""] = String(fields[2]) }
        }
        var found: [CgroupHierarchy] = []
        for line in mounts.split(separator: "\n") {
            // `… mount-point options - fstype source super-options`
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let left = halves[0].split(separator: " "), right = halves[1].split(separator: " ")
            guard left.count >= 5, right.count >= 3 else { continue }
            let mountPoint = String(left[4]), type = right[0], options = right[2].split(separator: ",")
            if type == "cgroup2", let path = ownPath[""] {
                let base = mountPoint + (path == "/" ? "" : path)
                let delegated = (try? String(contentsOfFile: base + "/cgroup.subtree_control", encoding: .utf8)) ?? ""
                if delegated.contains("memory") && delegated.contains("pids") {
                    found.append(CgroupHierarchy(path: base, version2: true, controller: "memory+pids"))
                }
            } else if type == "cgroup" {
                for controller in ["memory", "pids"] where options.contains(Substring(controller)) {
                    guard let path = ownPath[controller] else { continue }
                    found.append(CgroupHierarchy(path: mountPoint + (path == "/" ? "" : path), version2: false, controller: controller))
                }
            }
        }
        // Version 2 holds both controllers at once; version 1 needs one group per controller.
        return found.contains(where: \.version2) ? found.filter(\.version2) : found
    }()

    func setLimits(in group: String, limits: SandboxLimits) -> Bool {
        func write(_ file: String, _ value: Int) -> Bool {
            (try? Data(String(value).utf8).write(to: URL(fileURLWithPath: group + "/" + file))) != nil
        }
        if version2 {
            guard write("memory.max", limits.memoryBytes), write("pids.max", limits.processes) else { return false }
            _ = write("memory.swap.max", 0)  // absent without swap accounting
            return true
        }
        if controller == "memory" {
            guard write("memory.limit_in_bytes", limits.memoryBytes) else { return false }
            _ = write("memory.memsw.limit_in_bytes", limits.memoryBytes)  // absent without swap accounting
            return true
        }
        return write("pids.max", limits.processes)
    }
}

/// What an interrupted notes must undo, since `defer`s do not run on Ctrl-C: every run's processes,
/// cgroups and tmpfs mounts, then the temporary folders.
public enum Runs {
    public static func stopAll() {
        ProcessGroups.shared.killAll()
        RunBounds.removeAll()
        TemporaryFolders.removeAll()
    }
}
