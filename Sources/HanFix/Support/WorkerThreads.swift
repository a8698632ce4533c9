#if canImport(Glibc)
import Glibc
#endif

/// A small fork–join pool of persistent threads.
///
/// `run(parts:_:)` calls the body for part 0 on the calling thread and for the other parts
/// on the pool's threads, and returns when all are done. The threads are created by the first
/// job that has more than one part, so that a short input never pays for them, and then sleep
/// on a condition variable between jobs: a job costs two context switches, not a thread
/// creation. They stop when the pool is released. (libdispatch's concurrentPerform ran its
/// iterations serially on the Linux machines HanFix is measured on, hence pthreads.)
///
/// `run` must be called from one thread at a time: the pool belongs to one pipeline.
final class WorkerThreads: @unchecked Sendable {
    // @unchecked: the pool's state is guarded by its own mutex; `threads` is touched only by
    // `run`, from one thread at a time, and by deinit.
    private let state: State
    private var threads: [pthread_t] = []
    private var started = false

    /// The number of parts a job can run at once, the caller's thread included.
    let width: Int

    init(width: Int) {
        state = State()
        self.width = max(1, width)
    }

    deinit {
        state.stop()
        for thread in threads { pthread_join(thread, nil) }
    }

    /// Runs `body(0)`…`body(parts - 1)` concurrently; `parts` must not exceed `width`. Parts
    /// for which the system refused a thread run on the calling thread, after part 0.
    func run(parts: Int, _ body: @escaping (Int) -> Void) {
        precondition(parts >= 1 && parts <= width)
        guard parts > 1 else { body(0); return }
        startThreads()
        state.start(workers: threads.count) { index in if index < parts { body(index) } }
        body(0)
        for index in min(parts, threads.count + 1)..<parts { body(index) }
        state.waitForWorkers()
    }

    private func startThreads() {
        guard !started else { return }
        started = true
        for index in 1..<width {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(ThreadContext(state: state, index: index)).toOpaque()
            guard pthread_create(&thread, nil, { raw in
                let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                context.state.serve(index: context.index)
                return nil
            }, context) == 0 else {
                Unmanaged<ThreadContext>.fromOpaque(context).release()
                break
            }
            threads.append(thread)
        }
    }

    /// What the threads share with the pool; the threads hold this, not the pool, so that
    /// releasing the pool stops them.
    private final class State: @unchecked Sendable {
        // @unchecked: every field is guarded by `mutex`.
        private var mutex = pthread_mutex_t()
        private var wake = pthread_cond_t()
        private var done = pthread_cond_t()
        private var job: ((Int) -> Void)?
        private var generation = 0
        private var pending = 0
        private var stopping = false

        init() {
            pthread_mutex_init(&mutex, nil)
            pthread_cond_init(&wake, nil)
            pthread_cond_init(&done, nil)
        }

        deinit {
            pthread_cond_destroy(&wake)
            pthread_cond_destroy(&done)
            pthread_mutex_destroy(&mutex)
        }

        func start(workers: Int, _ body: @escaping (Int) -> Void) {
            pthread_mutex_lock(&mutex)
            job = body
            pending = workers
            generation += 1
            pthread_cond_broadcast(&wake)
            pthread_mutex_unlock(&mutex)
        }

        func waitForWorkers() {
            pthread_mutex_lock(&mutex)
            while pending > 0 { pthread_cond_wait(&done, &mutex) }
            job = nil
            pthread_mutex_unlock(&mutex)
        }

        func stop() {
            pthread_mutex_lock(&mutex)
            stopping = true
            pthread_cond_broadcast(&wake)
            pthread_mutex_unlock(&mutex)
        }

        func serve(index: Int) {
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
    }

    private final class ThreadContext {
        let state: State
        let index: Int
        init(state: State, index: Int) {
            self.state = state
            self.index = index
        }
    }
}
