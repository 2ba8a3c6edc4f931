// perplexity.cu: conditional probabilities P_{j|i} = exp(-beta_i d_ij) / sum_j exp(-beta_i d_ij) over each point's
// k nearest neighbours (d = squared distance), beta_i found by the binary search of scikit-learn's
// _binary_search_perplexity (entropy in nats within 1e-5 of log(perplexity), at most 100 steps), in double.
// The one rule of both backends: this row function is projection.Affinities.conditionalRow line for line (distances
// shifted by the row's smallest, the row of the last beta evaluated kept), compiled for the device (the engine's
// kernel) and for the host (hav_tsne_conditional_p with on_device = 0, so a test without a GPU compares the two).
#include <cmath>

#include "stages.cuh"

namespace hav {
namespace {

// Writes p_(.|i) of one row of k squared distances to out (sums to 1); returns the beta of that row.
// The shift by the smallest distance leaves p unchanged but keeps exp from underflowing to an all-zero row
// (scikit-learn then divides by 1e-8 and gets P = 0) and makes duplicates (d = 0) harmless.
__host__ __device__ double conditional_row(const float* d, int k, double desired_entropy, float* out) {
    double shift = HUGE_VAL;
    for (int j = 0; j < k; ++j) shift = fmin(shift, static_cast<double>(d[j]));
    double beta = 1.0, beta_min = -HUGE_VAL, beta_max = HUGE_VAL, evaluated = beta;
    for (int step = 0; step < 100; ++step) {
        evaluated = beta;
        double sum_p = 0.0, sum_dp = 0.0;
        for (int j = 0; j < k; ++j) {
            double dj = static_cast<double>(d[j]) - shift;
            double e = exp(-dj * beta);
            sum_p += e;
            sum_dp += dj * e;
        }
        // sum_p >= 1: the nearest neighbour has d = 0 after the shift
        double entropy = log(sum_p) + beta * sum_dp / sum_p;
        double diff = entropy - desired_entropy;
        if (fabs(diff) <= 1e-5) break;
        if (diff > 0.0) {
            beta_min = beta;
            beta = (beta_max == HUGE_VAL) ? beta * 2.0 : (beta + beta_max) / 2.0;
        } else {
            beta_max = beta;
            beta = (beta_min == -HUGE_VAL) ? beta / 2.0 : (beta + beta_min) / 2.0;
        }
    }
    // The row of the last beta evaluated, as scikit-learn leaves it (not of the beta the last step moved to).
    double sum_p = 0.0;
    for (int j = 0; j < k; ++j) sum_p += exp(-(static_cast<double>(d[j]) - shift) * evaluated);
    for (int j = 0; j < k; ++j) out[j] = static_cast<float>(exp(-(static_cast<double>(d[j]) - shift) * evaluated) / sum_p);
    return evaluated;
}

__global__ void conditional_p_kernel(const float* __restrict__ sqdist, int n, int k, double desired_entropy,
                                     float* __restrict__ pcond) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    conditional_row(sqdist + static_cast<std::size_t>(i) * k, k, desired_entropy, pcond + static_cast<std::size_t>(i) * k);
}

}  // namespace

void conditional_p(const float* d_sqdist, int n, int k, float perplexity, float* d_pcond, cudaStream_t stream) {
    conditional_p_kernel<<<blocks_for(n, 128), 128, 0, stream>>>(d_sqdist, n, k, std::log(static_cast<double>(perplexity)),
                                                                 d_pcond);
    HAV_LAUNCHED("conditional_p_kernel");
}

void conditional_p_host(const float* sqdist, int n, int k, float perplexity, float* pcond) {
    const double desired = std::log(static_cast<double>(perplexity));
    for (int i = 0; i < n; ++i)
        conditional_row(sqdist + static_cast<std::size_t>(i) * k, k, desired, pcond + static_cast<std::size_t>(i) * k);
}

}  // namespace hav
