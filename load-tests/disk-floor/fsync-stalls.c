/*
 * The disk's own floor, without SQLite or .NET: write 4 KB and flush it (fdatasync, fsync, or no flush), `per`
 * times in a row per tick, at `rate` ticks per second for `seconds`, open loop (each tick's latency runs from the
 * moment it was due). Prints p50 / p99 / p99.9 / max and, on standard error, every tick over 5 ms as
 * "second:latency-ms", so periodic stalls show their period. docs/benchmarks-routing.md has the figures.
 *
 *   cc -O2 -o /tmp/fsync-stalls load-tests/disk-floor/fsync-stalls.c
 *   /tmp/fsync-stalls <dir> prealloc|append fdatasync|fsync|none <rate> <seconds> <per>
 *   /tmp/fsync-stalls /tmp prealloc fdatasync 500 20 1
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 7 || (strcmp(argv[2], "prealloc") && strcmp(argv[2], "append"))
        || (strcmp(argv[3], "fdatasync") && strcmp(argv[3], "fsync") && strcmp(argv[3], "none"))) {
        fprintf(stderr, "usage: %s <dir> prealloc|append fdatasync|fsync|none <rate> <seconds> <per>\n", argv[0]);
        return 2;
    }
    int rate = atoi(argv[4]), seconds = atoi(argv[5]), per = atoi(argv[6]);
    if (rate <= 0 || seconds <= 0 || per <= 0) {
        fprintf(stderr, "rate, seconds and per must be positive whole numbers\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/fsync-stalls-%d.bin", argv[1], (int)getpid());
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    char block[4096];
    memset(block, 'x', sizeof block);
    long ticks = (long)rate * seconds;
    if (!strcmp(argv[2], "prealloc")) { /* every block written and flushed once: later writes change no metadata */
        for (long offset = 0; offset < ticks * per * 4096L; offset += 4096) pwrite(fd, block, 4096, offset);
        fsync(fd);
    }
    double *latency = malloc(sizeof(double) * ticks);
    double start = now_ms();
    long offset = 0;
    for (long i = 0; i < ticks; i++) {
        double due = start + i * 1000.0 / rate;
        while (now_ms() < due) {
            double left = due - now_ms();
            if (left > 0.2) usleep((useconds_t)((left - 0.1) * 1000));
        }
        for (int k = 0; k < per; k++) {
            pwrite(fd, block, 4096, offset);
            offset += 4096;
            if (!strcmp(argv[3], "fdatasync")) fdatasync(fd);
            else if (!strcmp(argv[3], "fsync")) fsync(fd);
        }
        latency[i] = now_ms() - due;
        if (latency[i] > 5) fprintf(stderr, "%.1f:%.1f ", (due - start) / 1000, latency[i]);
    }
    fprintf(stderr, "\n");
    qsort(latency, ticks, sizeof(double), by_value);
    long over = 0;
    for (long i = 0; i < ticks; i++) over += latency[i] > 5;
    printf("%s %s, %d/s x %d s, %d write(s) per tick: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.2f ms, %ld of %ld ticks over 5 ms\n",
           argv[2], argv[3], rate, seconds, per, latency[ticks / 2], latency[ticks * 99 / 100], latency[ticks * 999 / 1000],
           latency[ticks - 1], over, ticks);
    close(fd);
    unlink(path);
    free(latency);
    return 0;
}
