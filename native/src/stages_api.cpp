// stages_api.cpp: the C interface of hav_stages.h. Checks arguments, then runs the host launch or, in a library built
// with nvcc (HAV_WITH_KERNELS), the device launch. Plain C++: the host-only library is this file, host_stages.cpp and
// no CUDA at all.
#include <cmath>
#include <string>

#include "errors.h"
#include "hav_stages.h"
#include "stage_launches.h"

namespace {

// The device launches, or the error a host-only library gives for them.
bool use_device(int on_device) {
    if (!on_device) return false;
#ifdef HAV_WITH_KERNELS
    return true;
#else
    throw hav::Error(HAV_ERR_NO_DRIVER, "this library was built without nvcc: only the host launches (on_device = 0)");
#endif
}

#ifdef HAV_WITH_KERNELS
#define HAV_RUN(stage, ...) (use_device(on_device) ? hav::device::stage(__VA_ARGS__) : hav::host::stage(__VA_ARGS__))
#else
#define HAV_RUN(stage, ...) (use_device(on_device), hav::host::stage(__VA_ARGS__))
#endif

void require_points(int n, int minimum) {
    hav::require(n >= minimum && n <= (1 << 24), "n must be in [" + std::to_string(minimum) + ", 2^24] for a stage, got " +
                                                     std::to_string(n));
}

}  // namespace

extern "C" {

int hav_stages_have_kernels(void) {
#ifdef HAV_WITH_KERNELS
    return 1;
#else
    return 0;
#endif
}

int hav_stage_knn(const float* x, int n, int d, int k, int on_device, int* out_idx, float* out_sqdist, char* err,
                  int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(x && out_idx && out_sqdist, "an array argument is NULL");
        require_points(n, 2);
        hav::require(d >= 1 && k >= 1 && k < n, "need d >= 1 and 1 <= k < n");
        HAV_RUN(knn, x, n, d, k, out_idx, out_sqdist);
    });
}

int hav_stage_conditional_p(const float* sqdist, int n, int k, float perplexity, int on_device, float* out_p,
                            char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(sqdist && out_p, "an array argument is NULL");
        require_points(n, 1);
        hav::require(k >= 1, "need k >= 1");
        hav::require(std::isfinite(perplexity) && perplexity > 0, "perplexity must be > 0");
        HAV_RUN(conditional_p, sqdist, n, k, perplexity, out_p);
    });
}

int hav_stage_symmetrize(const int* idx, const float* pcond, int n, int k, int on_device, int* out_row_ptr,
                         int* out_col, float* out_val, int* out_nnz, double* out_plogp, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(idx && pcond && out_row_ptr && out_col && out_val && out_nnz && out_plogp,
                     "an array argument is NULL");
        require_points(n, 2);
        hav::require(k >= 1 && k < n, "need 1 <= k < n");
        for (long long e = 0; e < static_cast<long long>(n) * k; ++e)
            hav::require(idx[e] >= 0 && idx[e] < n, "a neighbour index is outside [0, n)");
        HAV_RUN(symmetrize, idx, pcond, n, k, out_row_ptr, out_col, out_val, out_nnz, out_plogp);
    });
}

int hav_stage_tree(const float* y, int n, int on_device, float* out_box, int* out_order, int* out_child,
                   float* out_node, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(y && out_box && out_order && out_child && out_node, "an array argument is NULL");
        require_points(n, 2);
        HAV_RUN(tree, y, n, out_box, out_order, out_child, out_node);
    });
}

int hav_stage_forces(const int* row_ptr, const int* col, const float* val, int n, double plogp, const float* y,
                     float exaggeration, float theta, int exact, int on_device, float* out_attr, float* out_rep,
                     double* out_z, double* out_kl, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(row_ptr && col && val && y && out_attr && out_rep && out_z && out_kl, "an array argument is NULL");
        require_points(n, 2);
        hav::require(std::isfinite(theta) && theta >= 0 && theta < 1, "theta must be in [0, 1)");
        hav::require(row_ptr[0] == 0 && row_ptr[n] >= 0, "row_ptr must start at 0");
        for (int i = 0; i < n; ++i) hav::require(row_ptr[i] <= row_ptr[i + 1], "row_ptr must not decrease");
        for (int e = 0; e < row_ptr[n]; ++e) hav::require(col[e] >= 0 && col[e] < n, "a column is outside [0, n)");
        HAV_RUN(forces, row_ptr, col, val, n, plogp, y, exaggeration, theta, exact != 0, out_attr, out_rep, out_z,
                out_kl);
    });
}

int hav_stage_update(float* y, float* update, float* gains, const float* attr, const float* rep, const double* z,
                     int n, int snapshots, float learning_rate, float momentum, float min_gain, int on_device,
                     char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(y && update && gains && attr && rep && z, "an array argument is NULL");
        require_points(n, 1);
        hav::require(snapshots >= 1, "snapshots must be >= 1");
        HAV_RUN(update, y, update, gains, attr, rep, z, n, snapshots, learning_rate, momentum, min_gain);
    });
}

int hav_stage_proximal(float* y, int n, int snapshots, double c, int on_device, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(y != nullptr, "y is NULL");
        require_points(n, 1);
        hav::require(snapshots >= 1 && std::isfinite(c) && c >= 0, "need snapshots >= 1 and c >= 0");
        HAV_RUN(proximal, y, n, snapshots, c);
    });
}

int hav_stage_pca(const float* x, int n, int d, const double* q0, int k, int iterations, int sample_rows,
                  int on_device, float* out_y, int* out_no_variance, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(x && q0 && out_y && out_no_variance, "an array argument is NULL");
        require_points(n, 2);
        hav::require(d >= 2 && k >= 2 && k <= d && k <= 16, "need d >= 2 and 2 <= k <= min(d, 16)");
        hav::require(iterations >= 0 && sample_rows >= 2, "need iterations >= 0 and sample_rows >= 2");
        *out_no_variance = HAV_RUN(pca, x, n, d, q0, k, iterations, sample_rows, out_y) ? 0 : 1;
    });
}

}  // extern "C"
