// tree.cu: the Barnes-Hut tree of one 2-D embedding, rebuilt every iteration without locks:
// bounding box (one block) -> 32-bit Morton codes in the square box -> CUB radix sort (which is also the sort of
// Burtscher & Pingali that makes neighbouring threads traverse alike) -> binary radix tree (Karras, HPG 2012) ->
// bottom-up centre-of-mass summary (atomic arrival counters). A node whose keys share an L-bit prefix is the
// quadtree cell (L even) or half-cell (L odd) of that prefix; its side is box / 2^floor(L/2), which is what the
// Barnes-Hut opening test uses, as a quadtree would.
#include <cfloat>

#include <cub/device/device_radix_sort.cuh>

#include "arith.cuh"
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
            *box = make_float4(lo_x, lo_y, arith::box_side(lo_x, lo_y, hi_x, hi_y), 0.f);
            *z_sum = 0.0;  // this kernel runs first in each iteration: reset the repulsion normaliser
        }
    }
}

__global__ void morton_kernel(const float2* __restrict__ y, int n, const float4* __restrict__ box,
                              unsigned* __restrict__ keys, int* __restrict__ order) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float4 b = *box;
    float2 p = y[i];
    keys[i] = arith::morton_key(p.x, p.y, b.x, b.y, b.z);
    order[i] = i;
}

// Internal node i of the binary radix tree (Karras 2012, Fig. 4), plus leaf i's position in Morton order.
__global__ void build_kernel(const unsigned* __restrict__ keys, const int* __restrict__ order,
                             const float2* __restrict__ y, const float4* __restrict__ box, int n,
                             int* __restrict__ child, int* __restrict__ parent, int* __restrict__ arrivals,
                             float4* __restrict__ node, float2* __restrict__ leaf) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) leaf[i] = y[order[i]];
    if (i >= n - 1) return;
    int left = 0, right = 0;
    float side2 = 0.f;
    arith::radix_node(keys, n, i, box->z, &left, &right, &side2);
    child[2 * i] = left;
    child[2 * i + 1] = right;
    // Parents: internal nodes at [0, n-1), leaves at [n-1, 2n-1).
    parent[left >= 0 ? left : (n - 1) + ~left] = i;
    parent[right >= 0 ? right : (n - 1) + ~right] = i;
    if (i == 0) parent[0] = -1;
    arrivals[i] = 0;
    node[i].w = side2;
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
        // children written by another thread of this kernel: read past L1
        float4 s[2];
        for (int side = 0; side < 2; ++side) {
            int c = child[2 * current + side];
            s[side] = c >= 0 ? __ldcg(&node[c]) : make_float4(0.f, 0.f, 0.f, 0.f);
        }
        float cx = 0.f, cy = 0.f, mass = 0.f;
        arith::combine_children(child, &s[0].x, &s[1].x, reinterpret_cast<const float*>(leaf), current, &cx, &cy,
                                &mass);
        float4 w = __ldcg(&node[current]);
        node[current] = make_float4(cx, cy, mass, w.w);
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
