// perplexity.cu: conditional probabilities P_{j|i} = exp(-beta_i d_ij) / sum_j exp(-beta_i d_ij) over each point's
// k nearest neighbours (d = squared distance), beta_i found by the binary search of scikit-learn's
// _binary_search_perplexity (entropy in nats within 1e-5 of log(perplexity), at most 100 steps), in double.
// The row function (arith::conditional_row) is projection.Affinities.conditionalRow line for line; the host launch
// (host_stages.cpp) runs the same function, so a test without a GPU compares it with the CPU engine.
#include <cmath>

#include "arith.cuh"
#include "stages.cuh"

namespace hav {
namespace {

__global__ void conditional_p_kernel(const float* __restrict__ sqdist, int n, int k, double desired_entropy,
                                     float* __restrict__ pcond) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    arith::conditional_row(sqdist + static_cast<std::size_t>(i) * k, k, desired_entropy,
                           pcond + static_cast<std::size_t>(i) * k);
}

}  // namespace

void conditional_p(const float* d_sqdist, int n, int k, float perplexity, float* d_pcond, cudaStream_t stream) {
    conditional_p_kernel<<<blocks_for(n, 128), 128, 0, stream>>>(d_sqdist, n, k, std::log(static_cast<double>(perplexity)),
                                                                 d_pcond);
    HAV_LAUNCHED("conditional_p_kernel");
}


}  // namespace hav
