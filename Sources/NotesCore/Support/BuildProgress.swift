import Synchronization

/// What a run of the pipeline is doing, for a live line on a terminal or a few plain lines in a log.
public enum BuildProgress: Sendable, Equatable {
    /// Counted work in a phase: reported at 0 when it starts, as items finish, and at `total`.
    case step(phase: String, done: Int, total: Int, unit: String)
    /// A line of its own: waiting for a lock, how much came from the cache.
    case note(String)

    /// `running 41/67 programs`; at the start of a phase, `running 67 programs`.
    public var text: String {
        switch self {
        case .step(let phase, let done, let total, let unit):
            done == 0 ? "\(phase) \(total) \(unit)" : "\(phase) \(done)/\(total) \(unit)"
        case .note(let line):
            line
        }
    }
}

/// Counts finished items of one phase from any thread and reports each count.
final class ProgressCounter: Sendable {
    private let done = Mutex(0)
    private let report: @Sendable (Int) -> Void

    init(phase: String, total: Int, unit: String, to progress: @escaping @Sendable (BuildProgress) -> Void) {
        report = { progress(.step(phase: phase, done: $0, total: total, unit: unit)) }
        report(0)
    }

    func finishedOne() {
        // Reported inside the lock so that counts arrive in order.
        done.withLock { count in
            count += 1
            report(count)
        }
    }
}
