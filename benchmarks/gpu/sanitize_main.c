/* sanitize_main.c: a small t-SNE through the C API alone, for compute-sanitizer (memcheck, racecheck) on the GPU
 * machine without a JVM in the way. Seeded Gaussian blobs, n points x d features, max_iter iterations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "hav_tsne.h"

static double gauss(unsigned* s) {
    double u1 = (rand_r(s) + 1.0) / (RAND_MAX + 2.0), u2 = (rand_r(s) + 1.0) / (RAND_MAX + 2.0);
    return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
}

int main(int argc, char** argv) {
    int n = argc > 1 ? atoi(argv[1]) : 500, d = 20, iters = argc > 2 ? atoi(argv[2]) : 100;
    unsigned seed = 1;
    float* x = malloc(sizeof(float) * n * d);
    float* init = malloc(sizeof(float) * n * 2);
    float* y = malloc(sizeof(float) * n * 2 * 2);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < d; ++j) x[i * d + j] = (float)(5.0 * (i % 4 == j % 4) + gauss(&seed));
    for (int i = 0; i < 2 * n; ++i) init[i] = (float)(1e-4 * gauss(&seed));
    hav_tsne_params p = {90, 30.f, 12.f, iters / 4, iters, (float)(n / 48.0 > 50 ? n / 48.0 : 50), 0.5f, 0.5f, 0.8f,
                         0.01f, iters >= 10 ? iters / 10 : 0, 0.f, 0};
    double kl[2], hist[64], sec[4];
    char err[2048];
    int rc = hav_tsne_run(x, n, d, &p, init, y, kl, hist, sec, err, sizeof err);
    printf("hav_tsne_run rc=%d kl=%g err=%s\n", rc, kl[0], err);
    if (rc != 0) return 1;
    /* Dynamic, two snapshots of the same data. */
    float* x2 = malloc(sizeof(float) * n * d * 2);
    float* init2 = malloc(sizeof(float) * n * 4);
    for (int i = 0; i < n * d; ++i) x2[i] = x2[n * d + i] = x[i];
    for (int i = 0; i < 2 * n; ++i) init2[i] = init2[2 * n + i] = init[i];
    int dims[2] = {d, d};
    p.lambda = 1.f;
    p.exact_repulsion_max_n = 1 << 30; /* the first run used Barnes-Hut, this one the exact repulsion */
    rc = hav_tsne_run_dynamic(x2, 2, n, dims, &p, init2, y, kl, hist, sec, err, sizeof err);
    printf("hav_tsne_run_dynamic rc=%d kl=%g %g err=%s\n", rc, kl[0], kl[1], err);
    /* A request that cannot fit must fail cleanly with HAV_ERR_MEMORY. */
    size_t bytes = 0;
    int big_dims[1] = {100000};
    rc = hav_tsne_memory_estimate(1 << 26, big_dims, 1, &p, &bytes, err, sizeof err);
    printf("estimate for 2^26 x 100000: rc=%d %.1f GiB\n", rc, bytes / 1073741824.0);
    free(x); free(init); free(y); free(x2); free(init2);
    return rc;
}
