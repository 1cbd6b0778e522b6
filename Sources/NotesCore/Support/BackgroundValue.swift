import Dispatch

/// A value computed on another thread while the caller goes on; `value` waits for it.
final class BackgroundValue<T: Sendable>: @unchecked Sendable {
    // Written once on the worker before it leaves `group`; read only after `group.wait()`.
    private var result: T?
    private let group = DispatchGroup()

    init(_ work: @escaping @Sendable () -> T) {
        group.enter()
        DispatchQueue.global().async {
            self.result = work()
            self.group.leave()
        }
    }

    var value: T {
        group.wait()
        return result!
    }
}
