/* The C reference for `patchwork bench stencil`: the 3-D 7-point Jacobi sweep on an n^3 box of
 * doubles with one ghost cell, row-major (last index fastest), 64-byte aligned, summed in the same
 * order as Patchwork's Stencil.jacobi7. Usage: stencil7 N ITERATIONS REPEATS
 * Times every sweep; prints one line: {"GBps": best sweep, "checksum": sum of both arrays after the first ITERATIONS
 * sweeps} with bytes = 2 * 8 * n^3 per sweep. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void sweep(const double *src, double *dst, long n, double centre, double neighbour) {
    const long m = n + 2, sy = m, sz = m * m;
    for (long z = 1; z <= n; z++)
        for (long y = 1; y <= n; y++) {
            const double *s = src + z * sz + y * sy + 1;
            double *d = dst + z * sz + y * sy + 1;
            for (long i = 0; i < n; i++)
                d[i] = centre * s[i] + neighbour * (s[i - 1] + s[i + 1] + s[i - sy] + s[i + sy] + s[i - sz] + s[i + sz]);
        }
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 256;
    int iterations = argc > 2 ? atoi(argv[2]) : 10;
    int repeats = argc > 3 ? atoi(argv[3]) : 3;
    long m = n + 2, count = m * m * m;
    double *a = aligned_alloc(64, ((count * sizeof(double) + 63) / 64) * 64);
    double *b = aligned_alloc(64, ((count * sizeof(double) + 63) / 64) * 64);
    if (!a || !b) { fprintf(stderr, "out of memory\n"); return 1; }
    for (long i = 0; i < count; i++) { a[i] = (double)(i % 7) * 0.25; b[i] = 0.0; }
    double best = 0.0, checksum = 0.0;
    for (int r = 0; r < repeats; r++) {
        for (int k = 0; k < iterations; k++) {
            double t0 = now();
            if (k % 2 == 0) sweep(a, b, n, 0.0, 1.0 / 6.0); else sweep(b, a, n, 0.0, 1.0 / 6.0);
            double gbps = 2.0 * 8.0 * (double)(n * n * n) / (now() - t0) / 1e9;
            if (gbps > best) best = gbps;
        }
        if (r == 0)  /* after the first `iterations` sweeps from the initial data */
            for (long i = 0; i < count; i++) checksum += a[i] + b[i];
    }
    printf("{\"GBps\": %.4f, \"checksum\": %.17g}\n", best, checksum);
    free(a); free(b);
    return 0;
}
