/* The OpenMP peer of `patchwork bench dataflow`: per-task cost of OpenMP tasks (libgomp), without
 * dependencies and with `depend` clauses on a 1-D stencil pattern, and the minimum effective task
 * granularity at 50 % efficiency (METG) on that pattern with busy-wait kernels.
 *
 * Pattern: a row of W = 64 cells over time steps, two rows used in turn; task (t, i) reads cells
 * i-1, i, i+1 of step t-1 and writes cell i of step t (3 in + 1 out). One thread submits (omp
 * single), the team runs the tasks.
 *
 * Build: gcc -O2 -fopenmp omp_depend_overhead.c -o omp_depend_overhead
 * Run:   OMP_NUM_THREADS=2 ./omp_depend_overhead NTASKS [GRAIN_US ...]
 * Prints one JSON object.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

enum { W = 64 };

static void spin_for(double seconds) {
    double end = omp_get_wtime() + seconds;
    while (omp_get_wtime() < end) { }
}

/* Runs `steps` steps of the stencil pattern; each task computes its cell and, when grain > 0,
 * also spins for `grain` seconds. Returns the wall time. */
static double stencil(double *cells, long steps, double grain) {
    double t0 = omp_get_wtime();
    #pragma omp parallel
    #pragma omp single
    for (long t = 0; t < steps; t++) {
        double *prev = cells + (t % 2) * W, *next = cells + ((t + 1) % 2) * W;
        for (int i = 0; i < W; i++) {
            int l = i > 0 ? i - 1 : i, r = i < W - 1 ? i + 1 : i;
            #pragma omp task depend(in: prev[l], prev[i], prev[r]) depend(out: next[i]) firstprivate(i, l, r, prev, next)
            {
                if (grain > 0) spin_for(grain);
                next[i] = (prev[l] + prev[i] + prev[r]) / 3.0;
            }
        }
    }
    return omp_get_wtime() - t0;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    int threads = omp_get_max_threads();
    double *sink = calloc((size_t)n, sizeof(double));
    double *cells = calloc(2 * W, sizeof(double));
    for (int i = 0; i < W; i++) cells[i] = i;

    double t0 = omp_get_wtime();
    #pragma omp parallel
    #pragma omp single
    for (long i = 0; i < n; i++) {
        #pragma omp task firstprivate(i)
        { sink[i] = 1.0; }
    }
    double nodeps = omp_get_wtime() - t0;

    long steps = n / W;
    double dep = stencil(cells, steps, 0);

    printf("{\"threads\": %d, \"tasks\": %ld, \"us_per_task_nodeps\": %.4f, \"us_per_task_stencil_4deps\": %.4f, \"check\": %.6g, \"metg\": [",
           threads, n, nodeps / n * 1e6, dep / (steps * W) * 1e6, cells[0] + sink[n - 1]);
    for (int k = 2; k < argc; k++) {
        double grain = atof(argv[k]) * 1e-6;
        long tasks = (long)(0.05 * threads / grain);
        if (tasks < 4 * W) tasks = 4 * W;
        long s = (tasks + W - 1) / W;
        double wall = stencil(cells, s, grain);
        printf("%s{\"grain_us\": %g, \"tasks\": %ld, \"wall_s\": %.6f}", k > 2 ? ", " : "", grain * 1e6, s * W, wall);
    }
    printf("]}\n");
    free(sink);
    free(cells);
    return 0;
}
