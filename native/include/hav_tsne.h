/*
 * hav_tsne.h: the only interface of the CUDA t-SNE engine (libhav_tsne.so). Java binds to this header
 * through JavaCPP (org.hiddenactivity.projection.cuda.HavTsneNative); nothing else is exported.
 *
 * Every function returns HAV_OK (0) or an error code, and on error writes a NUL-terminated message into
 * err (at most errlen bytes). No function exits, asserts or throws across this boundary.
 * All arrays are host memory, row-major, float32 unless stated.
 */
#ifndef HAV_TSNE_H
#define HAV_TSNE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define HAV_API __attribute__((visibility("default")))
#else
#define HAV_API
#endif

#define HAV_OK 0
#define HAV_ERR_ARGUMENT 1   /* a parameter or array size is invalid */
#define HAV_ERR_CUDA 2       /* a CUDA call failed; the message names it and the CUDA error */
#define HAV_ERR_MEMORY 3     /* not enough GPU memory (estimated before allocating, or an allocation failed) */
#define HAV_ERR_NO_DEVICE 4  /* the driver works but sees no CUDA device */
#define HAV_ERR_NO_DRIVER 5  /* no usable NVIDIA driver (cudaErrorInsufficientDriver = 35, or none loaded) */
#define HAV_ERR_INTERNAL 6   /* anything else (a bug): the message says what */

/* Every t-SNE parameter, resolved by the caller (Java passes each one explicitly; nothing is defaulted here). */
typedef struct hav_tsne_params {
    int n_neighbors;              /* k of the exact kNN, 1 <= k < n (Java: min(n - 1, floor(3 perplexity))) */
    float perplexity;             /* target perplexity of each conditional P row */
    float early_exaggeration;     /* factor on P during the first early_exaggeration_iter iterations */
    int early_exaggeration_iter;  /* 0 <= early_exaggeration_iter <= max_iter */
    int max_iter;                 /* total iterations, >= 1 */
    float learning_rate;          /* > 0, already resolved from "auto" */
    float theta;                  /* Barnes-Hut opening angle, 0 = exact repulsion */
    float initial_momentum;       /* momentum while exaggerating */
    float final_momentum;         /* momentum afterwards */
    float min_gain;               /* lower bound of the per-coordinate gains */
    int kl_every;                 /* record the KL divergence every kl_every iterations (0 = never) */
    float lambda;                 /* dynamic t-SNE movement weight (hav_tsne_run_dynamic, hav_tsne_run_pca) */
    int exact_repulsion_max_n;    /* n <= this: exact O(n^2) repulsion (faster on a GPU than a tree for small n,
                                     and exact); larger n: Barnes-Hut with theta. 0 = always Barnes-Hut */
} hav_tsne_params;

/* Number of CUDA devices. HAV_ERR_NO_DRIVER when the driver is missing or too old, HAV_ERR_NO_DEVICE when none. */
HAV_API int hav_cuda_device_count(int* count, char* err, int errlen);

/* Name, total memory and compute capability of device 0; driver and runtime versions as CUDA encodes them. */
HAV_API int hav_cuda_device_info(char* name, int namelen, size_t* total_bytes, size_t* free_bytes, int* cc_major,
                         int* cc_minor, int* driver_version, int* runtime_version, char* err, int errlen);

/* Peak GPU memory (bytes) hav_tsne_run_dynamic would allocate for `snapshots` snapshots of n points of
 * dims[t] features (hav_tsne_run: snapshots = 1). Needs the driver (it asks CUB for its scratch sizes). */
HAV_API int hav_tsne_memory_estimate(int n, const int* dims, int snapshots, const hav_tsne_params* p, size_t* bytes,
                             char* err, int errlen);

/*
 * One Barnes-Hut t-SNE in 2-D of x (n x d) starting from init (n x 2), result in out_y (n x 2).
 * out_kl: KL(P||Q) of the final embedding (Barnes-Hut Z). out_kl_history: max_iter / kl_every values (may be NULL).
 * out_seconds (may be NULL): 4 values, kNN, affinities (P), optimisation, total; measured on the host.
 */
HAV_API int hav_tsne_run(const float* x, int n, int d, const hav_tsne_params* p, const float* init, float* out_y,
                 double* out_kl, double* out_kl_history, double* out_seconds, char* err, int errlen);

/*
 * Dynamic t-SNE: `snapshots` matrices of the same n points, snapshot t having dims[t] features, stored one after
 * the other in x. Minimises sum_t KL(P_t||Q_t) + lambda/(2n) sum_t sum_i ||y_i^t - y_i^(t+1)||^2 jointly; the movement
 * term is applied as a proximal step after each gradient step (stable for any lambda), as the CPU engine does.
 * init and out_y: snapshots x n x 2. out_kl: snapshots values; out_kl_history: snapshots x (max_iter / kl_every).
 */
HAV_API int hav_tsne_run_dynamic(const float* x, int snapshots, int n, const int* dims, const hav_tsne_params* p,
                         const float* init, float* out_y, double* out_kl, double* out_kl_history,
                         double* out_seconds, char* err, int errlen);

/*
 * hav_tsne_run_dynamic (snapshots >= 1) starting from the PCA start of snapshot 0 computed on the device, from the
 * same input copy the kNN uses (the rule of hav_stages.h's hav_stage_pca: directions pca_q0, d0 x pca_k, row-major;
 * pca_iterations products; axes from min(n, pca_sample_rows) evenly spaced rows). Every snapshot starts there.
 * out_start (may be NULL): that start, n x 2. *out_no_variance = 1 and nothing else done when the data have no
 * variance (the caller then starts from random points). out_seconds (may be NULL): 6 values, kNN, affinities (P),
 * optimisation, total, PCA start, input copy to the device.
 * x is best pinned host memory (hav_host_buffer_allocate): its copy then runs at the bus's full speed.
 */
HAV_API int hav_tsne_run_pca(const float* x, int snapshots, int n, const int* dims, const hav_tsne_params* p,
                             const double* pca_q0, int pca_k, int pca_iterations, int pca_sample_rows,
                             float* out_start, int* out_no_variance, float* out_y, double* out_kl,
                             double* out_kl_history, double* out_seconds, char* err, int errlen);

/* Pinned (page-locked) host memory of `bytes` bytes for inputs the caller reuses across runs; free with
 * hav_host_buffer_free. Needs the driver. */
HAV_API int hav_host_buffer_allocate(size_t bytes, void** out, char* err, int errlen);
HAV_API int hav_host_buffer_free(void* buffer, char* err, int errlen);

/* For tests, no GPU needed: writes every field of p as the library reads it, "name=value;..." in the order of the
 * struct (floats with 9 significant digits), into out (at most outlen bytes). Calls no CUDA function. */
HAV_API int hav_tsne_params_describe(const hav_tsne_params* p, char* out, int outlen, char* err, int errlen);

/* For tests: the conditional P of n rows of k squared distances (row-major) at this perplexity, as the engine computes
 * it, into out_p (n x k). on_device = 1: the engine's kernel (needs a GPU); 0: the same row function on the host. */
HAV_API int hav_tsne_conditional_p(const float* sqdist, int n, int k, float perplexity, int on_device, float* out_p,
                                   char* err, int errlen);

#ifdef __cplusplus
}
#endif

#endif /* HAV_TSNE_H */
