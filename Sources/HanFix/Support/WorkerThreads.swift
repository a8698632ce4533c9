#if canImport(Glibc)
import Glibc
#endif

/// A small fork–join pool of persistent threads.
///
/// `run(parts:_:)` calls the body for part 0 on the calling thread and for the other parts
/// on the pool's threads, and returns when all are done. The threads are created once and
/// sleep on a condition variable between jobs, so a job costs two context switches, not a
/// thread creation. (libdispatch's concurrentPerform ran its iterations serially on the
/// Linux machines HanFix is measured on, hence plain pthreads.)
final class WorkerThreads: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `mutex`.
    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()
    private var done = pthread_cond_t()
    private var job: ((Int) -> Void)?
    private var generation = 0
    private var pending = 0
    private var stopping = false
    private var threads: [pthread_t] = []

    /// The number of parts a job can run at once, the caller's thread included.
    let width: Int

    init(width: Int) {
        self.width = max(1, width)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
        pthread_cond_init(&done, nil)
        for index in 1..<self.width {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(ThreadContext(pool: self, index: index)).toOpaque()
            pthread_create(&thread, nil, { raw in
                let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.serve(index: context.index)
                return nil
            }, context)
            threads.append(thread)
        }
    }

    deinit {
        pthread_mutex_lock(&mutex)
        stopping = true
        pthread_cond_broadcast(&wake)
        pthread_mutex_unlock(&mutex)
        for thread in threads { pthread_join(thread, nil) }
        pthread_cond_destroy(&wake)
        pthread_cond_destroy(&done)
        pthread_mutex_destroy(&mutex)
    }

    /// Runs `body(0)`…`body(parts - 1)` concurrently; `parts` must not exceed `width`.
    func run(parts: Int, _ body: @escaping (Int) -> Void) {
        precondition(parts >= 1 && parts <= width)
        guard parts > 1 else { body(0); return }
        pthread_mutex_lock(&mutex)
        job = { index in if index < parts { body(index) } }
        pending = width - 1
        generation += 1
        pthread_cond_broadcast(&wake)
        pthread_mutex_unlock(&mutex)
        body(0)
        pthread_mutex_lock(&mutex)
        while pending > 0 { pthread_cond_wait(&done, &mutex) }
        job = nil
        pthread_mutex_unlock(&mutex)
    }

    private func serve(index: Int) {
        var seen = 0
        pthread_mutex_lock(&mutex)
        while true {
            while generation == seen && !stopping { pthread_cond_wait(&wake, &mutex) }
            if stopping { break }
            seen = generation
            let body = job!
            pthread_mutex_unlock(&mutex)
            body(index)
            pthread_mutex_lock(&mutex)
            pending -= 1
            if pending == 0 { pthread_cond_signal(&done) }
        }
        pthread_mutex_unlock(&mutex)
    }

    private final class ThreadContext {
        let pool: WorkerThreads
        let index: Int
        init(pool: WorkerThreads, index: Int) {
            self.pool = pool
            self.index = index
        }
    }
}
