/*
 * hav_stages.h: each stage of the CUDA t-SNE engine on its own, over given inputs, for the tests that hold the
 * engine's arithmetic to the CPU engine's (CudaKernelsOnHostTest). Java binds through JavaCPP
 * (org.hiddenactivity.projection.cuda.HavStagesNative).
 *
 * on_device = 0: the serial host launch of the stage, calling the same __host__ __device__ functions as its kernels
 * (native/src/arith.cuh); needs no GPU and works in a library built without nvcc (by g++ alone).
 * on_device = 1: the engine's kernels on device 0 (a library built with nvcc, a GPU and its driver); in a library
 * built without nvcc it returns HAV_ERR_NO_DRIVER.
 * Status codes and err as in hav_tsne.h. All arrays are host memory, row-major.
 */
#ifndef HAV_STAGES_H
#define HAV_STAGES_H

#include "hav_tsne.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when this library holds the kernels (built by nvcc), 0 when it is the host-only build. */
HAV_API int hav_stages_have_kernels(void);

/* Exact kNN of x (n x d): out_idx, out_sqdist n x k (each row's order unspecified; ties broken arbitrarily). */
HAV_API int hav_stage_knn(const float* x, int n, int d, int k, int on_device, int* out_idx, float* out_sqdist,
                          char* err, int errlen);

/* Conditional P (n x k) of n rows of k squared distances at this perplexity. */
HAV_API int hav_stage_conditional_p(const float* sqdist, int n, int k, float perplexity, int on_device, float* out_p,
                                    char* err, int errlen);

/* P = (P_cond + P_cond^T) / (2n) as CSR: out_row_ptr n + 1, out_col and out_val room for 2 n k entries;
 * *out_nnz entries written (columns ascending within a row), *out_plogp = sum p log p. */
HAV_API int hav_stage_symmetrize(const int* idx, const float* pcond, int n, int k, int on_device, int* out_row_ptr,
                                 int* out_col, float* out_val, int* out_nnz, double* out_plogp, char* err, int errlen);

/* The Barnes-Hut tree of y (n x 2): out_box (min x, min y, side), out_order (n: point at each Morton position),
 * out_child (2 (n - 1): >= 0 internal node, < 0 leaf ~position), out_node (4 (n - 1): com x, com y, mass,
 * squared side). */
HAV_API int hav_stage_tree(const float* y, int n, int on_device, float* out_box, int* out_order, int* out_child,
                           float* out_node, char* err, int errlen);

/* The two halves of the gradient at y (n x 2) for the CSR P: out_attr = exaggeration sum_j p_ij q_ij (y_i - y_j)
 * (without the factor 4), out_rep = sum_j q_ij^2 (y_i - y_j) (unnormalised), *out_z = sum_{i != j} q_ij,
 * *out_kl = plogp + sum p log(1 + d^2) + log Z. exact = 1: all pairs; 0: Barnes-Hut with theta. */
HAV_API int hav_stage_forces(const int* row_ptr, const int* col, const float* val, int n, double plogp,
                             const float* y, float exaggeration, float theta, int exact, int on_device, float* out_attr,
                             float* out_rep, double* out_z, double* out_kl, char* err, int errlen);

/* One gradient step in place over `snapshots` stacked snapshots of n points (y, update, gains: snapshots x n x 2):
 * gradient = 4 (attr - rep / z[t]) with attr already exaggerated, then gains, momentum, step. */
HAV_API int hav_stage_update(float* y, float* update, float* gains, const float* attr, const float* rep,
                             const double* z, int n, int snapshots, float learning_rate, float momentum,
                             float min_gain, int on_device, char* err, int errlen);

/* Dynamic t-SNE's proximal step in place: y (snapshots x n x 2), c = learning_rate lambda / n. */
HAV_API int hav_stage_proximal(float* y, int n, int snapshots, double c, int on_device, char* err, int errlen);

/* The PCA start of x (n x d, d >= 2): subspace iteration from q0 (d x k, row-major, k >= 2) on the centred sample of
 * min(n, sample_rows) evenly spaced rows, `iterations` products, Rayleigh-Ritz, sign rule, projection of every row,
 * centred, first coordinate scaled to standard deviation 1e-4; out_y n x 2. *out_no_variance = 1 (out_y untouched)
 * when the data have no variance. */
HAV_API int hav_stage_pca(const float* x, int n, int d, const double* q0, int k, int iterations, int sample_rows,
                          int on_device, float* out_y, int* out_no_variance, char* err, int errlen);

#ifdef __cplusplus
}
#endif

#endif /* HAV_STAGES_H */
