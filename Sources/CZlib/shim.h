#include <zlib.h>
#include <time.h>

/// The CPU time the calling thread has used, in nanoseconds (the search engine's time budget
/// counts CPU, not wall-clock time, so a busy machine does not cut ordinary queries short).
static inline long long paperboy_thread_cpu_nanoseconds(void) {
    struct timespec time;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time);
    return (long long)time.tv_sec * 1000000000LL + time.tv_nsec;
}
