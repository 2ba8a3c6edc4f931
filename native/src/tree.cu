// tree.cu: the Barnes-Hut tree of one 2-D embedding, rebuilt every iteration without locks:
// bounding box (one block) -> 32-bit Morton codes in the square box -> CUB radix sort (which is also the sort of
// Burtscher & Pingali that makes neighbouring threads traverse alike) -> binary radix tree (Karras, HPG 2012) ->
// bottom-up centre-of-mass summary (atomic arrival counters). A node whose keys share an L-bit prefix is the
// quadtree cell (L even) or half-cell (L odd) of that prefix; its side is box / 2^floor(L/2), which is what the
// Barnes-Hut opening test uses, as a quadtree would.
#include <cfloat>

#include <cub/device/device_radix_sort.cuh>

#include "stages.cuh"

namespace hav {
namespace {

constexpr int kBoxThreads = 1024;

__global__ void __launch_bounds__(kBoxThreads) bounding_box_kernel(const float2* __restrict__ y, int n,
                                                                    float4* __restrict__ box,
                                                                    double* __restrict__ z_sum) {
    __shared__ float s[4][kBoxThreads / 32];
    float lo_x = FLT_MAX, lo_y = FLT_MAX, hi_x = -FLT_MAX, hi_y = -FLT_MAX;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        float2 p = y[i];
        lo_x = fminf(lo_x, p.x);
        lo_y = fminf(lo_y, p.y);
        hi_x = fmaxf(hi_x, p.x);
        hi_y = fmaxf(hi_y, p.y);
    }
    for (int o = 16; o > 0; o >>= 1) {
        lo_x = fminf(lo_x, __shfl_down_sync(0xffffffffu, lo_x, o));
        lo_y = fminf(lo_y, __shfl_down_sync(0xffffffffu, lo_y, o));
        hi_x = fmaxf(hi_x, __shfl_down_sync(0xffffffffu, hi_x, o));
        hi_y = fmaxf(hi_y, __shfl_down_sync(0xffffffffu, hi_y, o));
    }
    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    if (lane == 0) {
        s[0][warp] = lo_x;
        s[1][warp] = lo_y;
        s[2][warp] = hi_x;
        s[3][warp] = hi_y;
    }
    __syncthreads();
    if (warp == 0) {
        int warps = blockDim.x >> 5;
        lo_x = lane < warps ? s[0][lane] : FLT_MAX;
        lo_y = lane < warps ? s[1][lane] : FLT_MAX;
        hi_x = lane < warps ? s[2][lane] : -FLT_MAX;
        hi_y = lane < warps ? s[3][lane] : -FLT_MAX;
        for (int o = 16; o > 0; o >>= 1) {
            lo_x = fminf(lo_x, __shfl_down_sync(0xffffffffu, lo_x, o));
            lo_y = fminf(lo_y, __shfl_down_sync(0xffffffffu, lo_y, o));
            hi_x = fmaxf(hi_x, __shfl_down_sync(0xffffffffu, hi_x, o));
            hi_y = fmaxf(hi_y, __shfl_down_sync(0xffffffffu, hi_y, o));
        }
        if (lane == 0) {
            float side = fmaxf(hi_x - lo_x, hi_y - lo_y);
            // A tiny margin keeps the maximum inside the last cell; a zero-size box (all points equal) gets side 1.
            side = side > 0.f ? side * (1.f + 1e-5f) + 1e-30f : 1.f;
            *box = make_float4(lo_x, lo_y, side, 0.f);
            *z_sum = 0.0;  // this kernel runs first in each iteration: reset the repulsion normaliser
        }
    }
}

__device__ __forceinline__ unsigned spread_bits(unsigned v) {  // 16 bits -> even positions of 32
    v &= 0x0000ffffu;
    v = (v | (v << 8)) & 0x00ff00ffu;
    v = (v | (v << 4)) & 0x0f0f0f0fu;
    v = (v | (v << 2)) & 0x33333333u;
    v = (v | (v << 1)) & 0x55555555u;
    return v;
}

__global__ void morton_kernel(const float2* __restrict__ y, int n, const float4* __restrict__ box,
                              unsigned* __restrict__ keys, int* __restrict__ order) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float4 b = *box;
    float2 p = y[i];
    float scale = 65536.f / b.z;
    unsigned qx = static_cast<unsigned>(fminf(fmaxf((p.x - b.x) * scale, 0.f), 65535.f));
    unsigned qy = static_cast<unsigned>(fminf(fmaxf((p.y - b.y) * scale, 0.f), 65535.f));
    keys[i] = (spread_bits(qx) << 1) | spread_bits(qy);  // x bits are the more significant of each pair
    order[i] = i;
}

// Length of the common prefix of the keys at sorted positions i and j (ties broken by position), -1 outside.
__device__ __forceinline__ int common_prefix(const unsigned* __restrict__ keys, int n, int i, int j) {
    if (j < 0 || j >= n) return -1;
    unsigned a = keys[i], b = keys[j];
    if (a == b) return 32 + __clz(static_cast<unsigned>(i ^ j));
    return __clz(a ^ b);
}

// Internal node i of the binary radix tree (Karras 2012, Fig. 4), plus leaf i's position in Morton order.
__global__ void build_kernel(const unsigned* __restrict__ keys, const int* __restrict__ order,
                             const float2* __restrict__ y, const float4* __restrict__ box, int n,
                             int* __restrict__ child, int* __restrict__ parent, int* __restrict__ arrivals,
                             float4* __restrict__ node, float2* __restrict__ leaf) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) leaf[i] = y[order[i]];
    if (i >= n - 1) return;
    int dir = (common_prefix(keys, n, i, i + 1) - common_prefix(keys, n, i, i - 1)) >= 0 ? 1 : -1;
    int delta_min = common_prefix(keys, n, i, i - dir);
    int l_max = 2;
    while (common_prefix(keys, n, i, i + l_max * dir) > delta_min) l_max *= 2;
    int l = 0;
    for (int t = l_max / 2; t >= 1; t /= 2)
        if (common_prefix(keys, n, i, i + (l + t) * dir) > delta_min) l += t;
    int j = i + l * dir;
    int delta_node = common_prefix(keys, n, i, j);
    int s = 0;
    int t = l;
    do {
        t = (t + 1) >> 1;
        if (common_prefix(keys, n, i, i + (s + t) * dir) > delta_node) s += t;
    } while (t > 1);
    int gamma = i + s * dir + min(dir, 0);
    int left = (min(i, j) == gamma) ? ~gamma : gamma;
    int right = (max(i, j) == gamma + 1) ? ~(gamma + 1) : gamma + 1;
    child[2 * i] = left;
    child[2 * i + 1] = right;
    // Parents: internal nodes at [0, n-1), leaves at [n-1, 2n-1).
    parent[left >= 0 ? left : (n - 1) + ~left] = i;
    parent[right >= 0 ? right : (n - 1) + ~right] = i;
    if (i == 0) parent[0] = -1;
    arrivals[i] = 0;
    int halvings = min(delta_node, 32) >> 1;
    float side = box->z / static_cast<float>(1u << halvings);
    node[i].w = side * side;
}

// Bottom-up: the second child to arrive at a node sums both children and walks on to the parent.
__global__ void summarise_kernel(const int* __restrict__ child, const int* __restrict__ parent,
                                 int* __restrict__ arrivals, float4* node, const float2* __restrict__ leaf, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int current = parent[(n - 1) + i];
    while (current >= 0) {
        __threadfence();
        if (atomicAdd(&arrivals[current], 1) == 0) return;  // the sibling's subtree is not finished yet
        float mass = 0.f, cx = 0.f, cy = 0.f;
#pragma unroll
        for (int side = 0; side < 2; ++side) {
            int c = child[2 * current + side];
            if (c < 0) {
                float2 p = leaf[~c];
                mass += 1.f;
                cx += p.x;
                cy += p.y;
            } else {
                float4 v = __ldcg(&node[c]);  // written by another thread of this kernel: bypass L1
                mass += v.z;
                cx += v.x * v.z;
                cy += v.y * v.z;
            }
        }
        float4 w = __ldcg(&node[current]);
        node[current] = make_float4(cx / mass, cy / mass, mass, w.w);
        current = parent[current];
    }
}

}  // namespace

std::size_t tree_bytes(int n) {
    std::size_t m = static_cast<std::size_t>(n);
    std::size_t sort_bytes = 0;
    HAV_CUDA(cub::DeviceRadixSort::SortPairs(nullptr, sort_bytes, static_cast<const unsigned*>(nullptr),
                                             static_cast<unsigned*>(nullptr), static_cast<const int*>(nullptr),
                                             static_cast<int*>(nullptr), m));
    return sizeof(float4) + m * (4 * sizeof(unsigned) + 2 * sizeof(int) + 2 * sizeof(int) + sizeof(int) +
                                 sizeof(int) + sizeof(float4) + sizeof(float2)) +
           sort_bytes;
}

void tree_allocate(Tree& t, int n) {
    std::size_t m = static_cast<std::size_t>(n);
    t.n = n;
    t.bbox.allocate(1);
    t.keys.allocate(m);
    t.keys_sorted.allocate(m);
    t.order.allocate(m);
    t.order_sorted.allocate(m);
    t.child.allocate(2 * (m - 1));
    t.parent.allocate(2 * m - 1);
    t.arrivals.allocate(m - 1);
    t.node.allocate(m - 1);
    t.leaf.allocate(m);
    t.sort_tmp_bytes = 0;
    HAV_CUDA(cub::DeviceRadixSort::SortPairs(nullptr, t.sort_tmp_bytes, t.keys.get(), t.keys_sorted.get(),
                                             t.order.get(), t.order_sorted.get(), m));
    t.sort_tmp.allocate(t.sort_tmp_bytes);
}

void tree_build(Tree& t, const float2* d_y, double* d_z_sum, cudaStream_t stream) {
    const int n = t.n;
    bounding_box_kernel<<<1, kBoxThreads, 0, stream>>>(d_y, n, t.bbox.get(), d_z_sum);
    HAV_LAUNCHED("bounding_box_kernel");
    morton_kernel<<<blocks_for(n, 256), 256, 0, stream>>>(d_y, n, t.bbox.get(), t.keys.get(), t.order.get());
    HAV_LAUNCHED("morton_kernel");
    std::size_t bytes = t.sort_tmp_bytes;
    HAV_CUDA(cub::DeviceRadixSort::SortPairs(t.sort_tmp.get(), bytes, t.keys.get(), t.keys_sorted.get(),
                                             t.order.get(), t.order_sorted.get(), static_cast<std::size_t>(n), 0, 32,
                                             stream));
    HAV_LAUNCHED("cub::DeviceRadixSort::SortPairs (Morton)");
    build_kernel<<<blocks_for(n, 256), 256, 0, stream>>>(t.keys_sorted.get(), t.order_sorted.get(), d_y,
                                                         t.bbox.get(), n, t.child.get(), t.parent.get(),
                                                         t.arrivals.get(), t.node.get(), t.leaf.get());
    HAV_LAUNCHED("build_kernel");
    summarise_kernel<<<blocks_for(n, 256), 256, 0, stream>>>(t.child.get(), t.parent.get(), t.arrivals.get(),
                                                             t.node.get(), t.leaf.get(), n);
    HAV_LAUNCHED("summarise_kernel");
}

}  // namespace hav
