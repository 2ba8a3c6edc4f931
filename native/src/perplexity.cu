// perplexity.cu: conditional probabilities P_{j|i} = exp(-beta_i d_ij) / sum_j exp(-beta_i d_ij) over each point's
// k nearest neighbours (d = squared distance), beta_i found by the binary search of scikit-learn's
// _binary_search_perplexity (entropy in nats within 1e-5 of log(perplexity), at most 100 steps), in double.
#include <cmath>

#include "stages.cuh"

namespace hav {
namespace {

__global__ void conditional_p_kernel(const float* __restrict__ sqdist, int n, int k, double desired_entropy,
                                     float* __restrict__ pcond) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    const float* d = sqdist + static_cast<std::size_t>(i) * k;
    float* p = pcond + static_cast<std::size_t>(i) * k;
    double beta = 1.0, beta_min = -INFINITY, beta_max = INFINITY;
    double sum_p = 0.0;
    for (int step = 0; step < 100; ++step) {
        sum_p = 0.0;
        double sum_dp = 0.0;
        for (int j = 0; j < k; ++j) {
            double e = exp(-static_cast<double>(d[j]) * beta);
            sum_p += e;
            sum_dp += static_cast<double>(d[j]) * e;
        }
        if (sum_p == 0.0) sum_p = 1e-8;  // scikit-learn's EPSILON_DBL
        double entropy = log(sum_p) + beta * sum_dp / sum_p;
        double diff = entropy - desired_entropy;
        if (fabs(diff) <= 1e-5) break;
        if (diff > 0.0) {
            beta_min = beta;
            beta = (beta_max == INFINITY) ? beta * 2.0 : (beta + beta_max) / 2.0;
        } else {
            beta_max = beta;
            beta = (beta_min == -INFINITY) ? beta / 2.0 : (beta + beta_min) / 2.0;
        }
    }
    // Final row with the last beta tried, as scikit-learn leaves it.
    sum_p = 0.0;
    for (int j = 0; j < k; ++j) sum_p += exp(-static_cast<double>(d[j]) * beta);
    if (sum_p == 0.0) sum_p = 1e-8;
    for (int j = 0; j < k; ++j) p[j] = static_cast<float>(exp(-static_cast<double>(d[j]) * beta) / sum_p);
}

}  // namespace

void conditional_p(const float* d_sqdist, int n, int k, float perplexity, float* d_pcond, cudaStream_t stream) {
    conditional_p_kernel<<<blocks_for(n, 128), 128, 0, stream>>>(d_sqdist, n, k, std::log(static_cast<double>(perplexity)),
                                                                 d_pcond);
    HAV_LAUNCHED("conditional_p_kernel");
}

}  // namespace hav
