// pca.cu: the PCA start on the device, the rule of projection.Initialisation.pca: subspace iteration on the centred
// sample of evenly spaced rows (the products S^T S Q by kernels, no cuBLAS), Rayleigh-Ritz and the sign rule on the
// host over the small d x k matrices (pca_host, host_stages.cpp), then every row projected, centred and scaled on
// the device. The per-element arithmetic is arith.cuh's, which the host launch runs too.
#include <algorithm>
#include <cmath>
#include <vector>

#include "arith.cuh"
#include "stage_launches.h"
#include "stages.cuh"

namespace hav {
namespace {

constexpr int kRowChunk = 256;  // sampled rows per block of the S^T W product (atomic double sums per chunk)

__global__ void sample_mean_kernel(const float* __restrict__ x, int n, int d, int sampled, double* __restrict__ mean) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= d) return;
    double s = 0.0;
    for (int r = 0; r < sampled; ++r) s += x[static_cast<std::size_t>(arith::sample_row(r, n, sampled)) * d + c];
    mean[c] = s / sampled;
}

// W = S Q: one thread per sampled row.
__global__ void rows_times_kernel(const float* __restrict__ x, int n, int d, int sampled, const double* __restrict__ mean,
                                  const double* __restrict__ q, int k, double* __restrict__ w) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= sampled) return;
    arith::row_times(x + static_cast<std::size_t>(arith::sample_row(r, n, sampled)) * d, mean, q, d, k,
                     w + static_cast<std::size_t>(r) * k);
}

// Z += S^T W over one chunk of sampled rows: one thread per column.
__global__ void columns_times_kernel(const float* __restrict__ x, int n, int d, int sampled,
                                     const double* __restrict__ mean, const double* __restrict__ w, int k,
                                     double* __restrict__ z) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= d) return;
    double acc[kPcaMaxK];
    for (int a = 0; a < k; ++a) acc[a] = 0.0;
    const int r0 = blockIdx.y * kRowChunk, r1 = min(sampled, r0 + kRowChunk);
    for (int r = r0; r < r1; ++r) {
        double s = arith::centred(x[static_cast<std::size_t>(arith::sample_row(r, n, sampled)) * d + c], mean[c]);
        for (int a = 0; a < k; ++a) acc[a] += s * w[static_cast<std::size_t>(r) * k + a];
    }
    for (int a = 0; a < k; ++a) atomicAdd(&z[c * k + a], acc[a]);
}

// Every row's projection on the two axes (double, n x 2).
__global__ void project_kernel(const float* __restrict__ x, int n, int d, const double* __restrict__ axes,
                               double offset0, double offset1, double* __restrict__ proj) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const float* row = x + static_cast<std::size_t>(i) * d;
    proj[2 * i] = arith::project_row(row, axes, d, 2, 0, offset0);
    proj[2 * i + 1] = arith::project_row(row, axes, d, 2, 1, offset1);
}

// One block: the projections' column means, then the first column's variance about its mean.
__global__ void __launch_bounds__(1024) projection_stats_kernel(const double* __restrict__ proj, int n,
                                                                double* __restrict__ stats) {
    __shared__ double part[3][32];
    double s0 = 0.0, s1 = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        s0 += proj[2 * i];
        s1 += proj[2 * i + 1];
    }
    for (int o = 16; o > 0; o >>= 1) {
        s0 += __shfl_down_sync(0xffffffffu, s0, o);
        s1 += __shfl_down_sync(0xffffffffu, s1, o);
    }
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    if (lane == 0) {
        part[0][warp] = s0;
        part[1][warp] = s1;
    }
    __syncthreads();
    double m0 = 0.0, m1 = 0.0;
    for (int w = 0; w < warps; ++w) {
        m0 += part[0][w];
        m1 += part[1][w];
    }
    m0 /= n;
    m1 /= n;
    double v = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) v += (proj[2 * i] - m0) * (proj[2 * i] - m0);
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    if (lane == 0) part[2][warp] = v;
    __syncthreads();
    if (threadIdx.x == 0) {
        double var = 0.0;
        for (int w = 0; w < warps; ++w) var += part[2][w];
        stats[0] = m0;
        stats[1] = m1;
        stats[2] = var / n;
    }
}

__global__ void scale_kernel(const double* __restrict__ proj, int n, double m0, double m1, double f,
                             float2* __restrict__ y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    y[i] = make_float2(static_cast<float>((proj[2 * i] - m0) * f), static_cast<float>((proj[2 * i + 1] - m1) * f));
}

}  // namespace

bool pca_start(const float* d_x, int n, int d, const double* q0, int k, int iterations, int sample_rows,
               float2* d_y, cudaStream_t stream) {
    if (k > kPcaMaxK || k < 2 || d < 2) throw Error(HAV_ERR_ARGUMENT, "pca_start needs d >= 2 and 2 <= k <= 16");
    const int sampled = std::min(n, sample_rows);
    const std::size_t dk = static_cast<std::size_t>(d) * k;
    DeviceBuffer<double> mean(static_cast<std::size_t>(d)), dq(dk), w(static_cast<std::size_t>(sampled) * k), dz(dk);
    DeviceBuffer<double> daxes(2 * static_cast<std::size_t>(d)), proj(2 * static_cast<std::size_t>(n)), stats(3);
    sample_mean_kernel<<<blocks_for(d, 128), 128, 0, stream>>>(d_x, n, d, sampled, mean.get());
    HAV_LAUNCHED("sample_mean_kernel");
    std::vector<double> q(q0, q0 + dk), z(dk);
    pca_host::orthonormalise(q.data(), d, k);
    const dim3 columns_grid(blocks_for(d, 128), blocks_for(sampled, kRowChunk));
    for (int it = 0; it <= iterations; ++it) {  // the last product is Rayleigh-Ritz's C Q
        HAV_CUDA(cudaMemcpyAsync(dq.get(), q.data(), dk * sizeof(double), cudaMemcpyHostToDevice, stream));
        rows_times_kernel<<<blocks_for(sampled, 128), 128, 0, stream>>>(d_x, n, d, sampled, mean.get(), dq.get(), k,
                                                                        w.get());
        HAV_LAUNCHED("rows_times_kernel");
        HAV_CUDA(cudaMemsetAsync(dz.get(), 0, dk * sizeof(double), stream));
        columns_times_kernel<<<columns_grid, 128, 0, stream>>>(d_x, n, d, sampled, mean.get(), w.get(), k, dz.get());
        HAV_LAUNCHED("columns_times_kernel");
        HAV_CUDA(cudaMemcpyAsync(z.data(), dz.get(), dk * sizeof(double), cudaMemcpyDeviceToHost, stream));
        HAV_CUDA(cudaStreamSynchronize(stream));
        if (it < iterations) {
            q = z;
            pca_host::orthonormalise(q.data(), d, k);
        }
    }
    std::vector<double> axes(2 * static_cast<std::size_t>(d)), host_mean(static_cast<std::size_t>(d));
    pca_host::axes(q.data(), z.data(), d, k, 2, axes.data());
    HAV_CUDA(cudaMemcpyAsync(host_mean.data(), mean.get(), mean.bytes(), cudaMemcpyDeviceToHost, stream));
    HAV_CUDA(cudaMemcpyAsync(daxes.get(), axes.data(), daxes.bytes(), cudaMemcpyHostToDevice, stream));
    HAV_CUDA(cudaStreamSynchronize(stream));
    double offset[2] = {0.0, 0.0};
    for (int c = 0; c < d; ++c)
        for (int a = 0; a < 2; ++a) offset[a] += host_mean[c] * axes[2 * c + a];
    project_kernel<<<blocks_for(n, 128), 128, 0, stream>>>(d_x, n, d, daxes.get(), offset[0], offset[1], proj.get());
    HAV_LAUNCHED("project_kernel");
    projection_stats_kernel<<<1, 1024, 0, stream>>>(proj.get(), n, stats.get());
    HAV_LAUNCHED("projection_stats_kernel");
    double s[3];
    HAV_CUDA(cudaMemcpyAsync(s, stats.get(), sizeof s, cudaMemcpyDeviceToHost, stream));
    HAV_CUDA(cudaStreamSynchronize(stream));
    const double std_dev = std::sqrt(s[2]);
    if (!(std_dev > 1e-12) || !std::isfinite(std_dev)) return false;
    scale_kernel<<<blocks_for(n, 256), 256, 0, stream>>>(proj.get(), n, s[0], s[1], 1e-4 / std_dev, d_y);
    HAV_LAUNCHED("scale_kernel");
    HAV_CUDA(cudaStreamSynchronize(stream));  // the scratch buffers are freed on return
    return true;
}

}  // namespace hav
