// Load generator for the recorder benchmark: WORKERS child processes open (and close) files picked from PATHS files
// in a temporary directory, RATE opens a second in all, COUNT opens in all; after PROBE seconds the parent opens
// /tmp/shrike-recorder-probe for writing once (bench/rules/recorder.yaml raises an alert on it, so an incident opens
// whose process tree is this generator and its workers: the recorder's worst case, every event joins the incident).
//   mixedload COUNT RATE PATHS WORKERS PROBE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pace(double start, long done, double rate) {
    if (rate <= 0 || done % 50 != 49) return;
    double due = start + (done + 1) / rate;
    while (now() < due) {
        struct timespec pause = {0, 50000};
        nanosleep(&pause, NULL);
    }
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: mixedload COUNT RATE PATHS WORKERS PROBE\n");
        return 2;
    }
    long count = atol(argv[1]);
    double rate = atof(argv[2]);
    int paths = atoi(argv[3]), workers = atoi(argv[4]);
    double probe = atof(argv[5]);
    if (paths < 1 || workers < 1) return 2;
    char dir[] = "/tmp/shrike-recorder-bench.XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[256];
    for (int i = 0; i < paths; i++) {
        snprintf(path, sizeof path, "%s/file-%d.dat", dir, i);
        int fd = open(path, O_CREAT | O_WRONLY, 0644);
        if (fd >= 0) close(fd);
    }
    pid_t children[256];
    if (workers > 256) workers = 256;
    double start = now();
    for (int w = 0; w < workers; w++) {
        pid_t child = fork();
        if (child == 0) {
            long mine = count / workers;
            int held[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
            for (long i = 0; i < mine; i++) {
                snprintf(path, sizeof path, "%s/file-%ld.dat", dir, (i * 7919 + w * 104729) % paths);
                // Keep a few files open so fd numbers vary, as in a real process.
                int slot = (int)(i % 8);
                if (held[slot] >= 0) close(held[slot]);
                held[slot] = open(path, O_RDONLY);
                pace(start, i, rate / workers);
            }
            _exit(0);
        }
        children[w] = child;
    }
    if (probe > 0) {
        while (now() < start + probe) {
            struct timespec pause = {0, 10000000};
            nanosleep(&pause, NULL);
        }
        int fd = open("/tmp/shrike-recorder-probe", O_CREAT | O_WRONLY | O_TRUNC, 0600);
        if (fd >= 0) close(fd);
    }
    for (int w = 0; w < workers; w++) waitpid(children[w], NULL, 0);
    unlink("/tmp/shrike-recorder-probe");
    for (int i = 0; i < paths; i++) {
        snprintf(path, sizeof path, "%s/file-%d.dat", dir, i);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}
