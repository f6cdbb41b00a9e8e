// Load generator for the sensor benchmark: open+close one file COUNT times, as fast as possible or at RATE opens/s.
//   openclose COUNT [RATE]
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: openclose COUNT [RATE]\n");
        return 2;
    }
    long count = atol(argv[1]);
    double rate = argc > 2 ? atof(argv[2]) : 0;
    double start = now();
    for (long i = 0; i < count; i++) {
        int fd = open("/etc/hostname", O_RDONLY);
        if (fd >= 0) close(fd);
        // Pace in batches of 100 so the clock reads cost little.
        if (rate > 0 && i % 100 == 99) {
            double due = start + (i + 1) / rate;
            while (now() < due) {
                struct timespec pause = {0, 50000};
                nanosleep(&pause, NULL);
            }
        }
    }
    return 0;
}
