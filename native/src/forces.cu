// forces.cu: the two halves of the t-SNE gradient (van der Maaten 2014); the per-pair arithmetic is arith.cuh's.
// Repulsion: each point walks the Barnes-Hut tree (threads in Morton order, so a warp walks alike), or, for small n,
// sums over all pairs in shared-memory tiles. Attraction: one warp per point over its row of the sparse P.
// Dynamic t-SNE's movement term is not a force here: update.cu applies it as a proximal step after each step.
#include <algorithm>
#include <cmath>

#include "arith.cuh"
#include "stages.cuh"

namespace hav {
namespace {

constexpr int kRepThreads = 128;

__global__ void __launch_bounds__(kRepThreads) repulsive_kernel(const int* __restrict__ child,
                                                                const float4* __restrict__ node,
                                                                const float2* __restrict__ leaf,
                                                                const int* __restrict__ order, int n, float theta2,
                                                                float2* __restrict__ rep, double* __restrict__ z_sum) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float z = 0.f;
    if (i < n) {
        float fx = 0.f, fy = 0.f;
        arith::barnes_hut_point(child, reinterpret_cast<const float*>(node), reinterpret_cast<const float*>(leaf), i,
                                theta2, &fx, &fy, &z);
        rep[order[i]] = make_float2(fx, fy);
    }
    // Block sum of z, one double atomic per block.
    __shared__ float partial[kRepThreads / 32];
    for (int o = 16; o > 0; o >>= 1) z += __shfl_down_sync(0xffffffffu, z, o);
    if ((threadIdx.x & 31) == 0) partial[threadIdx.x >> 5] = z;
    __syncthreads();
    if (threadIdx.x == 0) {
        double s = 0.0;
        for (int w = 0; w < kRepThreads / 32; ++w) s += partial[w];
        atomicAdd(z_sum, s);
    }
}

constexpr int kExactTile = 256;

// Block (x: 256 points i, y: one range of j): forces of that j range on each i, added atomically.
__global__ void __launch_bounds__(kExactTile) exact_repulsive_kernel(const float2* __restrict__ y, int n, int j_chunk,
                                                                     float2* __restrict__ rep,
                                                                     double* __restrict__ z_sum) {
    __shared__ float2 tile[kExactTile];
    __shared__ float partial[kExactTile / 32];
    const int i = blockIdx.x * kExactTile + threadIdx.x;
    const int j0 = blockIdx.y * j_chunk;
    const int j1 = min(n, j0 + j_chunk);
    const float2 p = i < n ? y[i] : make_float2(0.f, 0.f);
    float fx = 0.f, fy = 0.f, z = 0.f;
    for (int t0 = j0; t0 < j1; t0 += kExactTile) {
        const int j = t0 + threadIdx.x;
        tile[threadIdx.x] = j < j1 ? y[j] : make_float2(0.f, 0.f);
        __syncthreads();
        const int count = min(kExactTile, j1 - t0);
        for (int jj = 0; jj < count; ++jj) arith::exact_pair(p.x, p.y, tile[jj].x, tile[jj].y, &fx, &fy, &z);
        __syncthreads();
    }
    if (i < n) {
        if (i >= j0 && i < j1) z -= 1.f;  // the point itself: q = 1, no force
        atomicAdd(&rep[i].x, fx);
        atomicAdd(&rep[i].y, fy);
    } else {
        z = 0.f;
    }
    for (int o = 16; o > 0; o >>= 1) z += __shfl_down_sync(0xffffffffu, z, o);
    if ((threadIdx.x & 31) == 0) partial[threadIdx.x >> 5] = z;
    __syncthreads();
    if (threadIdx.x == 0) {
        double s = 0.0;
        for (int w = 0; w < kExactTile / 32; ++w) s += partial[w];
        atomicAdd(z_sum, s);
    }
}

__global__ void attractive_kernel(const int* __restrict__ row_ptr, const int* __restrict__ col,
                                  const float* __restrict__ val, const float2* __restrict__ y, int n, float four_exag,
                                  float2* __restrict__ gpart, float* __restrict__ kl_rows) {
    int i = static_cast<int>((static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x) >> 5);
    int lane = threadIdx.x & 31;
    if (i >= n) return;  // whole warps leave together
    const float2 p = y[i];
    float ax = 0.f, ay = 0.f, kl = 0.f;
    for (int e = row_ptr[i] + lane; e < row_ptr[i + 1]; e += 32) {
        const float2 o = y[col[e]];
        arith::attract_edge(val[e], p.x - o.x, p.y - o.y, kl_rows != nullptr, &ax, &ay, &kl);
    }
    for (int o = 16; o > 0; o >>= 1) {
        ax += __shfl_down_sync(0xffffffffu, ax, o);
        ay += __shfl_down_sync(0xffffffffu, ay, o);
        kl += __shfl_down_sync(0xffffffffu, kl, o);
    }
    if (lane == 0) {
        gpart[i] = make_float2(four_exag * ax, four_exag * ay);
        if (kl_rows) kl_rows[i] = kl;
    }
}

__global__ void __launch_bounds__(1024) kl_reduce_kernel(const float* __restrict__ kl_rows, int n, double plogp,
                                                         const double* __restrict__ z_sum, double* __restrict__ kl_out,
                                                         int* __restrict__ kl_count) {
    __shared__ double partial[32];
    double s = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) s += kl_rows[i];
    for (int o = 16; o > 0; o >>= 1) s += __shfl_down_sync(0xffffffffu, s, o);
    if ((threadIdx.x & 31) == 0) partial[threadIdx.x >> 5] = s;
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0.0;
        for (int w = 0; w < (blockDim.x >> 5); ++w) total += partial[w];
        kl_out[*kl_count] = arith::kl_total(plogp, total, *z_sum);
        *kl_count += 1;
    }
}

}  // namespace

void repulsive_forces(const Tree& t, float theta, float2* d_rep, double* d_z_sum, cudaStream_t stream) {
    repulsive_kernel<<<blocks_for(t.n, kRepThreads), kRepThreads, 0, stream>>>(
        t.child.get(), t.node.get(), t.leaf.get(), t.order_sorted.get(), t.n, theta * theta, d_rep, d_z_sum);
    HAV_LAUNCHED("repulsive_kernel");
}

int exact_repulsion_splits(int n, int multiprocessors) {
    int i_tiles = static_cast<int>(blocks_for(n, kExactTile));
    int j_tiles = i_tiles;
    int want = static_cast<int>(blocks_for(static_cast<std::size_t>(4) * multiprocessors, i_tiles));
    return std::max(1, std::min(j_tiles, want));
}

void exact_repulsive_forces(const float2* d_y, int n, int splits, float2* d_rep, double* d_z_sum, cudaStream_t stream) {
    HAV_CUDA(cudaMemsetAsync(d_rep, 0, static_cast<std::size_t>(n) * sizeof(float2), stream));
    HAV_CUDA(cudaMemsetAsync(d_z_sum, 0, sizeof(double), stream));
    int j_tiles = static_cast<int>(blocks_for(n, kExactTile));
    int tiles_per_split = (j_tiles + splits - 1) / splits;
    int j_chunk = tiles_per_split * kExactTile;
    int used_splits = static_cast<int>(blocks_for(n, j_chunk));
    dim3 grid(blocks_for(n, kExactTile), used_splits);
    exact_repulsive_kernel<<<grid, kExactTile, 0, stream>>>(d_y, n, j_chunk, d_rep, d_z_sum);
    HAV_LAUNCHED("exact_repulsive_kernel");
}

void attractive_forces(const SparseP& p, const float2* d_y, int n, float exaggeration, float2* d_gpart,
                       float* d_kl_rows, cudaStream_t stream) {
    attractive_kernel<<<blocks_for(static_cast<std::size_t>(n) * 32, 256), 256, 0, stream>>>(
        p.row_ptr.get(), p.col.get(), p.val.get(), d_y, n, 4.f * exaggeration, d_gpart, d_kl_rows);
    HAV_LAUNCHED("attractive_kernel");
}

void kl_reduce(const float* d_kl_rows, int n, double plogp, const double* d_z_sum, double* d_kl_out, int* d_kl_count,
               cudaStream_t stream) {
    kl_reduce_kernel<<<1, 1024, 0, stream>>>(d_kl_rows, n, plogp, d_z_sum, d_kl_out, d_kl_count);
    HAV_LAUNCHED("kl_reduce_kernel");
}

}  // namespace hav
