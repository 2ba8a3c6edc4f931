// stage_launches.h: each stage over host arrays, twice: hav::host (serial loops over the arith.cuh functions,
// host_stages.cpp, plain C++) and hav::device (the engine's kernels with copies in and out, device_stages.cu, nvcc
// only). Both throw hav::Error. stages_api.cpp exposes them through hav_stages.h.
#pragma once

#include <cstddef>

namespace hav {

// One stage's arguments are the same for both launches; see hav_stages.h for their meaning.
#define HAV_STAGE_DECLARATIONS                                                                                        \
    void knn(const float* x, int n, int d, int k, int* idx, float* sqdist);                                          \
    void conditional_p(const float* sqdist, int n, int k, float perplexity, float* p);                               \
    void symmetrize(const int* idx, const float* pcond, int n, int k, int* row_ptr, int* col, float* val, int* nnz,  \
                    double* plogp);                                                                                   \
    void tree(const float* y, int n, float* box, int* order, int* child, float* node);                               \
    void forces(const int* row_ptr, const int* col, const float* val, int n, double plogp, const float* y,           \
                float exaggeration, float theta, bool exact, float* attr, float* rep, double* z, double* kl);        \
    void update(float* y, float* update, float* gains, const float* attr, const float* rep, const double* z, int n,  \
                int snapshots, float learning_rate, float momentum, float min_gain);                                 \
    void proximal(float* y, int n, int snapshots, double c);                                                         \
    bool pca(const float* x, int n, int d, const double* q0, int k, int iterations, int sample_rows, float* y);

namespace host {
HAV_STAGE_DECLARATIONS
}  // namespace host

namespace device {
HAV_STAGE_DECLARATIONS
}  // namespace device

// The host half of the PCA start shared by both launches (small d x k work between the products).
namespace pca_host {
// Gram-Schmidt (twice) on the k columns of q (d x k row-major); a vanishing column becomes a unit vector.
void orthonormalise(double* q, int d, int k);
// Axes (d x m) of the Rayleigh-Ritz step: t = q^T z (k x k) with z = C q, top m eigenvectors, sign rule applied.
void axes(const double* q, const double* z, int d, int k, int m, double* axes);
}  // namespace pca_host

}  // namespace hav
