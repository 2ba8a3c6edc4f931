// stages.cuh: the host entry points of each stage (one .cu file each); kernels stay private to their file.
// All functions enqueue work on `stream` and never synchronise the host unless their comment says so.
#pragma once

#include "common.cuh"

namespace hav {

// ---- knn.cu: exact k nearest neighbours (squared Euclidean) by shared-memory tiles + per-row radix select.
// Scratch is sized by knn_scratch_bytes. Synchronises once at the end (setup stage, outside the iteration loop).
std::size_t knn_block_rows(int n, std::size_t budget_bytes);
std::size_t knn_scratch_bytes(int n, int d, int k, std::size_t block_rows);
void knn_exact(const float* d_x, int n, int d, int k, std::size_t block_rows, int* d_idx, float* d_sqdist,
               cudaStream_t stream);

// ---- perplexity.cu: conditional P_{j|i} over the kNN rows, bandwidth found by binary search (scikit-learn rule,
// with projection.Affinities' row-minimum shift; the row function is arith::conditional_row).
void conditional_p(const float* d_sqdist, int n, int k, float perplexity, float* d_pcond, cudaStream_t stream);

// ---- symmetrize.cu: P = (P_cond + P_cond^T) / (2n) as CSR. Returns nnz (synchronises once: setup stage).
struct SparseP {
    DeviceBuffer<int> row_ptr;  // n + 1
    DeviceBuffer<int> col;      // nnz
    DeviceBuffer<float> val;    // nnz
    int nnz = 0;
    double plogp = 0;           // sum p log p, the constant part of KL(P||Q)
};
std::size_t symmetrize_scratch_bytes(int n, int k);
void symmetrize(const int* d_idx, const float* d_pcond, int n, int k, SparseP& out, cudaStream_t stream);

// ---- tree.cu: bounding box, Morton sort, binary radix (Karras) tree whose nodes are quadtree cells and half-cells,
// centre-of-mass summary. One Tree per snapshot; buffers are reused every iteration.
struct Tree {
    int n = 0;
    DeviceBuffer<float4> bbox;         // min x, min y, side of the square box, unused
    DeviceBuffer<unsigned> keys, keys_sorted;
    DeviceBuffer<int> order, order_sorted;   // order_sorted[i] = point at Morton position i
    DeviceBuffer<int> child;           // 2 (n-1): >= 0 internal node, < 0 leaf ~position
    DeviceBuffer<int> parent;          // (n-1) internal + n leaves (offset n-1)
    DeviceBuffer<int> arrivals;        // n-1 bottom-up counters
    DeviceBuffer<float4> node;         // n-1: com x, com y, mass, squared cell side
    DeviceBuffer<float2> leaf;         // n: positions in Morton order
    DeviceBuffer<unsigned char> sort_tmp;
    std::size_t sort_tmp_bytes = 0;
};
std::size_t tree_bytes(int n);
void tree_allocate(Tree& t, int n);
// z_sum is reset to 0 here (the bounding-box kernel runs first in each iteration).
void tree_build(Tree& t, const float2* d_y, double* d_z_sum, cudaStream_t stream);

// ---- forces.cu
// Repulsion by Barnes-Hut traversal: rep[i] = sum_j q_ij^2 (y_i - y_j) (unnormalised), z_sum += sum_ij q_ij.
void repulsive_forces(const Tree& t, float theta, float2* d_rep, double* d_z_sum, cudaStream_t stream);
// Exact repulsion over all pairs (tiles of 256 points in shared memory, j split over `splits` blocks): zeroes rep and
// z_sum, then rep[i] = sum_j q_ij^2 (y_i - y_j), z_sum = sum_{i != j} q_ij.
int exact_repulsion_splits(int n, int multiprocessors);
void exact_repulsive_forces(const float2* d_y, int n, int splits, float2* d_rep, double* d_z_sum, cudaStream_t stream);
// Attraction over P: gpart[i] = 4 exag sum_j p_ij q_ij (y_i - y_j), and, when kl_rows != nullptr,
// kl_rows[i] = sum_j p_ij log(1 + |y_i - y_j|^2). (Dynamic t-SNE's movement term is proximal_coupling's.)
void attractive_forces(const SparseP& p, const float2* d_y, int n, float exaggeration, float2* d_gpart,
                       float* d_kl_rows, cudaStream_t stream);
// kl_out[*kl_count] = plogp + sum(kl_rows) + log(z_sum); ++*kl_count (one block, on device).
void kl_reduce(const float* d_kl_rows, int n, double plogp, const double* d_z_sum, double* d_kl_out, int* d_kl_count,
               cudaStream_t stream);

// ---- update.cu: gradient = gpart - 4 rep / Z; gains (+0.2 / x0.8, >= min_gain), momentum, step.
// Over `snapshots` stacked snapshots of n points (y, update, gains, gpart, rep contiguous per snapshot).
void gradient_update(float2* d_y, float2* d_update, float2* d_gains, const float2* d_gpart, const float2* d_rep,
                     const double* d_z_sum, int n, int snapshots, float learning_rate, float momentum,
                     float min_gain, cudaStream_t stream);

// Dynamic t-SNE's movement term as a proximal step, as the CPU engine (projection.GradientDescent): every point's
// trajectory over the snapshots becomes the solution of (I + c L) y = y_after_step, L the Laplacian of the path
// 0 - 1 - ... - (T-1), c = learning_rate lambda / n (Thomas algorithm). d_coeffs: the T elimination denominators,
// then the T upper coefficients (proximal_coefficients).
void proximal_coefficients(int snapshots, double c, double* denom, double* upper);
void proximal_coupling(float2* d_y, int n, int snapshots, const double* d_coeffs, double c, cudaStream_t stream);

// update = 0, gains = 1 (the start of each gradient-descent phase, as scikit-learn's _gradient_descent).
void reset_optimizer(float2* d_update, float2* d_gains, std::size_t count, cudaStream_t stream);

}  // namespace hav

namespace hav {

// ---- pca.cu: the PCA start of d_x (n x d on the device) into d_y (n x 2), from the directions q0 (host, d x k);
// false (d_y untouched) when the data have no variance. Synchronises (setup stage).
constexpr int kPcaMaxK = 16;
bool pca_start(const float* d_x, int n, int d, const double* q0, int k, int iterations, int sample_rows,
               float2* d_y, cudaStream_t stream);

}  // namespace hav
