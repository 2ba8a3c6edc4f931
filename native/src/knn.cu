// knn.cu: exact k nearest neighbours in squared Euclidean distance.
// Distances of a block of rows against all points come from 128 x 128 shared-memory tiles (|a|^2 + |b|^2 - 2 a.b,
// each thread 8 x 8 outputs), then each row's k smallest are found by a 4-pass radix select on the float bits
// (non-negative floats order like their bit patterns), and the selected distances are recomputed exactly as
// sum (a - b)^2 so that the cancellation of the dot-product form never reaches the bandwidth search.
#include <cfloat>

#include "arith.cuh"
#include "stages.cuh"

namespace hav {
namespace {

constexpr int kTile = 128;    // output tile side
constexpr int kStep = 8;      // feature slice per shared-memory load
constexpr int kThreads = 16;  // 16 x 16 threads, each 8 x 8 outputs

__global__ void squared_norms_kernel(const float* __restrict__ x, int n, int d, float* __restrict__ norms) {
    int warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (warp >= n) return;
    const float* row = x + static_cast<std::size_t>(warp) * d;
    float s = 0.f;
    for (int c = lane; c < d; c += 32) s = fmaf(row[c], row[c], s);
    for (int o = 16; o > 0; o >>= 1) s += __shfl_down_sync(0xffffffffu, s, o);
    if (lane == 0) norms[warp] = s;
}

// dist[(r - row0) * n + j] for r in [row0, row0 + rows), j in [0, n); the diagonal is +inf (a point is not its own
// neighbour).
__global__ void __launch_bounds__(256) tile_distances_kernel(const float* __restrict__ x,
                                                             const float* __restrict__ norms, int n, int d,
                                                             int row0, int rows, float* __restrict__ dist) {
    __shared__ float a_tile[kStep][kTile + 4];
    __shared__ float b_tile[kStep][kTile + 4];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int tid = ty * kThreads + tx;
    const int a_base = row0 + blockIdx.y * kTile;  // query rows
    const int b_base = blockIdx.x * kTile;         // candidate rows
    float acc[8][8];
#pragma unroll
    for (int r = 0; r < 8; ++r)
#pragma unroll
        for (int c = 0; c < 8; ++c) acc[r][c] = 0.f;

    for (int k0 = 0; k0 < d; k0 += kStep) {
        // 128 rows x 8 features per tile: 4 loads per thread, 8 consecutive threads read one row's slice.
#pragma unroll
        for (int l = 0; l < 4; ++l) {
            int e = tid + l * 256;
            int rr = e / kStep, kk = e % kStep;
            int col = k0 + kk;
            int ar = a_base + rr, br = b_base + rr;
            a_tile[kk][rr] = (ar < row0 + rows && ar < n && col < d) ? x[static_cast<std::size_t>(ar) * d + col] : 0.f;
            b_tile[kk][rr] = (br < n && col < d) ? x[static_cast<std::size_t>(br) * d + col] : 0.f;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < kStep; ++kk) {
            float a[8], b[8];
#pragma unroll
            for (int r = 0; r < 8; ++r) a[r] = a_tile[kk][ty + kThreads * r];
#pragma unroll
            for (int c = 0; c < 8; ++c) b[c] = b_tile[kk][tx + kThreads * c];
#pragma unroll
            for (int r = 0; r < 8; ++r)
#pragma unroll
                for (int c = 0; c < 8; ++c) acc[r][c] = fmaf(a[r], b[c], acc[r][c]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int r = 0; r < 8; ++r) {
        int i = a_base + ty + kThreads * r;
        if (i >= row0 + rows || i >= n) continue;
        float ni = norms[i];
        float* out = dist + static_cast<std::size_t>(i - row0) * n;
#pragma unroll
        for (int c = 0; c < 8; ++c) {
            int j = b_base + tx + kThreads * c;
            if (j >= n) continue;
            out[j] = arith::tile_distance(ni, norms[j], acc[r][c], i == j);
        }
    }
}

// One block per row: the k smallest of `n` non-negative floats by radix select on their bits (8 bits per pass,
// most significant first), then a compaction of everything below the threshold and enough ties.
__global__ void __launch_bounds__(256) select_k_kernel(const float* __restrict__ dist, int n, int k, int row0,
                                                       int* __restrict__ out_idx) {
    __shared__ unsigned hist[256];
    __shared__ unsigned s_prefix, s_mask, s_remaining;
    __shared__ unsigned s_less, s_equal;
    const unsigned* keys = reinterpret_cast<const unsigned*>(dist + static_cast<std::size_t>(blockIdx.x) * n);
    const int lane = threadIdx.x & 31;
    if (threadIdx.x == 0) {
        s_prefix = 0u;
        s_mask = 0u;
        s_remaining = static_cast<unsigned>(k);
        s_less = 0u;
        s_equal = 0u;
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
        for (int b = threadIdx.x; b < 256; b += blockDim.x) hist[b] = 0u;
        __syncthreads();
        const unsigned prefix = s_prefix, mask = s_mask;
        for (int j0 = 0; j0 < n; j0 += blockDim.x) {
            int j = j0 + threadIdx.x;
            bool take = false;
            unsigned bin = 0;
            if (j < n) {
                unsigned key = keys[j];
                take = arith::radix_matches(key, mask, prefix);
                bin = arith::radix_bin(key, shift);
            }
            // Warp-aggregated increments: many keys share a bin (same exponent), so one atomic per distinct bin.
            unsigned active = __ballot_sync(0xffffffffu, take);
            if (take) {
                unsigned peers = __match_any_sync(active, bin);
                int leader = __ffs(peers) - 1;
                if (lane == leader) atomicAdd(&hist[bin], static_cast<unsigned>(__popc(peers)));
            }
        }
        __syncthreads();
        if (threadIdx.x == 0) {
            unsigned before = 0;
            const int b = arith::radix_choose(hist, s_remaining, &before);
            s_remaining -= before;
            s_prefix = prefix | (static_cast<unsigned>(b) << shift);
            s_mask = mask | (255u << shift);
        }
        __syncthreads();
    }
    // s_prefix is now the k-th smallest key; k - s_remaining keys are strictly smaller.
    const unsigned threshold = s_prefix, ties = s_remaining;
    const unsigned below = static_cast<unsigned>(k) - ties;
    int* out = out_idx + static_cast<std::size_t>(row0 + blockIdx.x) * k;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        unsigned key = keys[j];
        if (key < threshold) {
            unsigned pos = atomicAdd(&s_less, 1u);
            out[pos] = j;
        } else if (key == threshold) {
            unsigned pos = atomicAdd(&s_equal, 1u);
            if (pos < ties) out[below + pos] = j;
        }
    }
}

// Exact squared distance of each selected pair, one warp per pair.
__global__ void exact_pairs_kernel(const float* __restrict__ x, int n, int d, int k, const int* __restrict__ idx,
                                   float* __restrict__ sqdist) {
    std::size_t warp = (static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (warp >= static_cast<std::size_t>(n) * k) return;
    std::size_t i = warp / k;
    int j = idx[warp];
    const float* a = x + i * d;
    const float* b = x + static_cast<std::size_t>(j) * d;
    float s = 0.f;
    for (int c = lane; c < d; c += 32) s = arith::add_squared_difference(a[c], b[c], s);
    for (int o = 16; o > 0; o >>= 1) s += __shfl_down_sync(0xffffffffu, s, o);
    if (lane == 0) sqdist[warp] = s;
}

}  // namespace

std::size_t knn_block_rows(int n, std::size_t budget_bytes) {
    std::size_t per_row = static_cast<std::size_t>(n) * sizeof(float);
    std::size_t rows = budget_bytes / per_row;
    rows = (rows / kTile) * kTile;
    if (rows < kTile) rows = kTile;
    if (rows > static_cast<std::size_t>(n)) rows = static_cast<std::size_t>(n);
    return rows;
}

std::size_t knn_scratch_bytes(int n, int /*d*/, int /*k*/, std::size_t block_rows) {
    return block_rows * static_cast<std::size_t>(n) * sizeof(float) + static_cast<std::size_t>(n) * sizeof(float);
}

void knn_exact(const float* d_x, int n, int d, int k, std::size_t block_rows, int* d_idx, float* d_sqdist,
               cudaStream_t stream) {
    DeviceBuffer<float> norms(static_cast<std::size_t>(n));
    DeviceBuffer<float> dist(block_rows * static_cast<std::size_t>(n));
    squared_norms_kernel<<<blocks_for(static_cast<std::size_t>(n) * 32, 256), 256, 0, stream>>>(d_x, n, d, norms.get());
    HAV_LAUNCHED("squared_norms_kernel");
    for (int row0 = 0; row0 < n; row0 += static_cast<int>(block_rows)) {
        int rows = static_cast<int>(std::min<std::size_t>(block_rows, static_cast<std::size_t>(n - row0)));
        dim3 grid(blocks_for(n, kTile), blocks_for(rows, kTile));
        tile_distances_kernel<<<grid, dim3(kThreads, kThreads), 0, stream>>>(d_x, norms.get(), n, d, row0, rows,
                                                                            dist.get());
        HAV_LAUNCHED("tile_distances_kernel");
        select_k_kernel<<<rows, 256, 0, stream>>>(dist.get(), n, k, row0, d_idx);
        HAV_LAUNCHED("select_k_kernel");
    }
    exact_pairs_kernel<<<blocks_for(static_cast<std::size_t>(n) * k * 32, 256), 256, 0, stream>>>(d_x, n, d, k, d_idx,
                                                                                                 d_sqdist);
    HAV_LAUNCHED("exact_pairs_kernel");
    // The scratch buffers are freed when this function returns, so the work must be finished first.
    HAV_CUDA(cudaStreamSynchronize(stream));
}

}  // namespace hav
