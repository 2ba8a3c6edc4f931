// update.cu: one gradient-descent step with scikit-learn's rule (_gradient_descent): a coordinate's gain grows by
// 0.2 when the gradient's sign opposes the last update, else shrinks by x0.8, never below min_gain; then
// update = momentum * update - learning_rate * gain * gradient; y += update. The exaggeration and momentum
// schedule is chosen by the host when it captures each phase's graph (api.cu).
#include "arith.cuh"
#include "stages.cuh"

namespace hav {
namespace {

__global__ void update_kernel(float2* __restrict__ y, float2* __restrict__ update, float2* __restrict__ gains,
                              const float2* __restrict__ gpart, const float2* __restrict__ rep,
                              const double* __restrict__ z_sum, int n, int snapshots, float lr, float momentum,
                              float min_gain) {
    std::size_t e = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (e >= static_cast<std::size_t>(n) * snapshots) return;
    const float inv_z = static_cast<float>(1.0 / z_sum[e / n]);
    const float2 a = gpart[e], r = rep[e];
    float2 u = update[e], g = gains[e], p = y[e];
    p.x += arith::gain_step(arith::gradient_of(a.x, r.x, inv_z), &u.x, &g.x, lr, momentum, min_gain);
    p.y += arith::gain_step(arith::gradient_of(a.y, r.y, inv_z), &u.y, &g.y, lr, momentum, min_gain);
    y[e] = p;
    update[e] = u;
    gains[e] = g;
}

__global__ void reset_kernel(float2* __restrict__ update, float2* __restrict__ gains, std::size_t count) {
    std::size_t e = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (e >= count) return;
    update[e] = make_float2(0.f, 0.f);
    gains[e] = make_float2(1.f, 1.f);
}

// One thread per point: both coordinates' tridiagonal solves over the snapshots, in place, arithmetic in double.
__global__ void proximal_kernel(float2* __restrict__ y, int n, int snapshots, const double* __restrict__ coeffs,
                                double c) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    arith::proximal_point(reinterpret_cast<float*>(y), static_cast<std::size_t>(n), i, snapshots, coeffs,
                          coeffs + snapshots, c);
}

}  // namespace

void proximal_coefficients(int snapshots, double c, double* denom, double* upper) {
    arith::proximal_coefficients(snapshots, c, denom, upper);
}

void proximal_coupling(float2* d_y, int n, int snapshots, const double* d_coeffs, double c, cudaStream_t stream) {
    proximal_kernel<<<blocks_for(n, 128), 128, 0, stream>>>(d_y, n, snapshots, d_coeffs, c);
    HAV_LAUNCHED("proximal_kernel");
}

void reset_optimizer(float2* d_update, float2* d_gains, std::size_t count, cudaStream_t stream) {
    reset_kernel<<<blocks_for(count, 256), 256, 0, stream>>>(d_update, d_gains, count);
    HAV_LAUNCHED("reset_kernel");
}

void gradient_update(float2* d_y, float2* d_update, float2* d_gains, const float2* d_gpart, const float2* d_rep,
                     const double* d_z_sum, int n, int snapshots, float learning_rate, float momentum,
                     float min_gain, cudaStream_t stream) {
    std::size_t total = static_cast<std::size_t>(n) * snapshots;
    update_kernel<<<blocks_for(total, 256), 256, 0, stream>>>(d_y, d_update, d_gains, d_gpart, d_rep, d_z_sum, n,
                                                              snapshots, learning_rate, momentum, min_gain);
    HAV_LAUNCHED("update_kernel");
}

}  // namespace hav
