// symmetrize.cu: the joint P = (P_cond + P_cond^T) / (2n) as CSR, built by emitting each kNN pair twice
// ((i,j) and (j,i)), sorting the 64-bit keys row << 32 | col with CUB, and summing duplicates by key.
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_reduce.cuh>
#include <cuda/std/functional>

#include "arith.cuh"
#include "stages.cuh"

namespace hav {
namespace {

__global__ void emit_pairs_kernel(const int* __restrict__ idx, const float* __restrict__ pcond, int n, int k,
                                  unsigned long long* __restrict__ keys, float* __restrict__ vals) {
    std::size_t e = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (e >= static_cast<std::size_t>(n) * k) return;
    unsigned long long i = e / k;
    unsigned long long j = static_cast<unsigned long long>(idx[e]);
    float v = pcond[e];
    keys[2 * e] = arith::pair_key(i, j);
    vals[2 * e] = v;
    keys[2 * e + 1] = arith::pair_key(j, i);
    vals[2 * e + 1] = v;
}

__global__ void csr_kernel(const unsigned long long* __restrict__ keys, const float* __restrict__ sums,
                           const int* __restrict__ nnz_ptr, int n, float scale, int* __restrict__ row_ptr,
                           int* __restrict__ col, float* __restrict__ val, double* __restrict__ plogp) {
    int nnz = *nnz_ptr;
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    double term = 0.0;
    if (e < nnz) {
        col[e] = arith::key_col(keys[e]);
        float p = arith::joint_p(sums[e], scale);
        val[e] = p;
        term = arith::plogp_term(p);
        arith::csr_row_starts(keys, e, nnz, n, row_ptr);
    }
    for (int o = 16; o > 0; o >>= 1) term += __shfl_down_sync(0xffffffffu, term, o);
    if ((threadIdx.x & 31) == 0 && term != 0.0) atomicAdd(plogp, term);
}

int bits_for(int n) {
    int b = 1;
    while ((1ll << b) < n) ++b;
    return b;
}

std::size_t cub_bytes(int n, int k) {
    std::size_t items = 2 * static_cast<std::size_t>(n) * k;
    std::size_t sort_bytes = 0, reduce_bytes = 0;
    HAV_CUDA(cub::DeviceRadixSort::SortPairs(nullptr, sort_bytes, static_cast<const unsigned long long*>(nullptr),
                                             static_cast<unsigned long long*>(nullptr), static_cast<const float*>(nullptr),
                                             static_cast<float*>(nullptr), items, 0, 32 + bits_for(n)));
    HAV_CUDA(cub::DeviceReduce::ReduceByKey(nullptr, reduce_bytes, static_cast<unsigned long long*>(nullptr),
                                            static_cast<unsigned long long*>(nullptr), static_cast<float*>(nullptr),
                                            static_cast<float*>(nullptr), static_cast<int*>(nullptr),
                                            ::cuda::std::plus<float>{}, items));
    return std::max(sort_bytes, reduce_bytes);
}

}  // namespace

std::size_t symmetrize_scratch_bytes(int n, int k) {
    std::size_t items = 2 * static_cast<std::size_t>(n) * k;
    return items * (2 * sizeof(unsigned long long) + 2 * sizeof(float)) + cub_bytes(n, k) + 64;
}

void symmetrize(const int* d_idx, const float* d_pcond, int n, int k, SparseP& out, cudaStream_t stream) {
    std::size_t items = 2 * static_cast<std::size_t>(n) * k;
    DeviceBuffer<unsigned long long> keys(items), keys_sorted(items);
    DeviceBuffer<float> vals(items), vals_sorted(items);
    std::size_t tmp_bytes = cub_bytes(n, k);
    DeviceBuffer<unsigned char> tmp(tmp_bytes);
    DeviceBuffer<int> nnz(1);
    DeviceBuffer<double> plogp(1);

    emit_pairs_kernel<<<blocks_for(items / 2, 256), 256, 0, stream>>>(d_idx, d_pcond, n, k, keys.get(), vals.get());
    HAV_LAUNCHED("emit_pairs_kernel");
    HAV_CUDA(cub::DeviceRadixSort::SortPairs(tmp.get(), tmp_bytes, keys.get(), keys_sorted.get(), vals.get(),
                                             vals_sorted.get(), items, 0, 32 + bits_for(n), stream));
    HAV_LAUNCHED("cub::DeviceRadixSort::SortPairs");
    // Unique keys go back into `keys`, summed values into `vals` (the unsorted copies are no longer needed).
    HAV_CUDA(cub::DeviceReduce::ReduceByKey(tmp.get(), tmp_bytes, keys_sorted.get(), keys.get(), vals_sorted.get(),
                                            vals.get(), nnz.get(), ::cuda::std::plus<float>{}, items, stream));
    HAV_LAUNCHED("cub::DeviceReduce::ReduceByKey");
    int host_nnz = 0;
    HAV_CUDA(cudaMemcpyAsync(&host_nnz, nnz.get(), sizeof(int), cudaMemcpyDeviceToHost, stream));
    HAV_CUDA(cudaMemsetAsync(plogp.get(), 0, sizeof(double), stream));
    HAV_CUDA(cudaStreamSynchronize(stream));  // setup stage: nnz sizes the CSR arrays
    if (host_nnz <= 0 || static_cast<std::size_t>(host_nnz) > items)
        throw Error(HAV_ERR_INTERNAL, "symmetrize: unexpected number of P entries " + std::to_string(host_nnz));

    out.nnz = host_nnz;
    out.row_ptr.allocate(static_cast<std::size_t>(n) + 1);
    out.col.allocate(static_cast<std::size_t>(host_nnz));
    out.val.allocate(static_cast<std::size_t>(host_nnz));
    csr_kernel<<<blocks_for(host_nnz, 256), 256, 0, stream>>>(keys.get(), vals.get(), nnz.get(), n,
                                                              static_cast<float>(1.0 / (2.0 * n)), out.row_ptr.get(),
                                                              out.col.get(), out.val.get(), plogp.get());
    HAV_LAUNCHED("csr_kernel");
    HAV_CUDA(cudaMemcpyAsync(&out.plogp, plogp.get(), sizeof(double), cudaMemcpyDeviceToHost, stream));
    HAV_CUDA(cudaStreamSynchronize(stream));
}

}  // namespace hav
