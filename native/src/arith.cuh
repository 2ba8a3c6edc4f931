// arith.cuh: the per-element arithmetic of every stage, written once as __host__ __device__ functions. The kernels
// (knn.cu, perplexity.cu, ...) call them on the GPU; host_stages.cpp calls the same functions in serial loops, so a
// test without a GPU (CudaKernelsOnHostTest) checks the formulas the kernels run. Compiles with nvcc and with a plain
// C++ compiler (the macro shim below), so the host build needs no CUDA toolkit.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#ifdef __CUDACC__
#define HAV_HD __host__ __device__ __forceinline__
#else
#define HAV_HD inline
#endif

namespace hav {
namespace arith {

// ---- shim: the few intrinsics whose host and device spellings differ
HAV_HD unsigned float_bits(float v) {
#ifdef __CUDA_ARCH__
    return __float_as_uint(v);
#else
    unsigned u;
    std::memcpy(&u, &v, sizeof u);
    return u;
#endif
}

HAV_HD int leading_zeros(unsigned v) {
#ifdef __CUDA_ARCH__
    return __clz(v);
#else
    return v == 0u ? 32 : __builtin_clz(v);
#endif
}

// 1 / b where the kernel uses the fast division (exact repulsion); an ordinary division on the host
HAV_HD float fast_reciprocal(float b) {
#ifdef __CUDA_ARCH__
    return __fdividef(1.f, b);
#else
    return 1.f / b;
#endif
}

// ---- kNN (knn.cu)
// One entry of a distance tile: |a|^2 + |b|^2 - 2 a.b, clamped at 0; a point is not its own neighbour.
HAV_HD float tile_distance(float norm_i, float norm_j, float dot, bool self) {
    return self ? FLT_MAX : fmaxf(norm_i + norm_j - 2.f * dot, 0.f);
}

// One feature's step of an exact squared distance (the recompute of each selected pair).
HAV_HD float add_squared_difference(float a, float b, float sum) {
    float t = a - b;
    return fmaf(t, t, sum);
}

// Radix select on the bits of non-negative floats (they order like their bit patterns), 8 bits per pass.
HAV_HD bool radix_matches(unsigned key, unsigned mask, unsigned prefix) { return (key & mask) == prefix; }
HAV_HD unsigned radix_bin(unsigned key, int shift) { return (key >> shift) & 255u; }

// The bin that holds the remaining-th smallest key of the histogram; *before = keys in lower bins.
HAV_HD int radix_choose(const unsigned* hist, unsigned remaining, unsigned* before) {
    unsigned below = 0;
    int b = 0;
    for (; b < 255; ++b) {
        if (below + hist[b] >= remaining) break;
        below += hist[b];
    }
    *before = below;
    return b;
}

// ---- P rows (perplexity.cu): conditional P_{j|i} over k squared distances, scikit-learn's bandwidth search.
// The one rule of both backends: projection.Affinities.conditionalRow line for line (distances shifted by the row's
// smallest, the row of the last beta evaluated kept). The shift leaves p unchanged but keeps exp from underflowing
// to an all-zero row and makes duplicates (d = 0) harmless. Returns the beta of that row.
HAV_HD double conditional_row(const float* d, int k, double desired_entropy, float* out) {
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
    // the row of the last beta evaluated, as scikit-learn leaves it (not of the beta the last step moved to)
    double sum_p = 0.0;
    for (int j = 0; j < k; ++j) sum_p += exp(-(static_cast<double>(d[j]) - shift) * evaluated);
    for (int j = 0; j < k; ++j)
        out[j] = static_cast<float>(exp(-(static_cast<double>(d[j]) - shift) * evaluated) / sum_p);
    return evaluated;
}

// ---- symmetrisation (symmetrize.cu): each kNN pair (i, j, p) is emitted as keys row << 32 | col both ways; equal keys
// are summed; P = sum / (2n).
HAV_HD unsigned long long pair_key(unsigned long long row, unsigned long long col) { return (row << 32) | col; }
HAV_HD int key_row(unsigned long long key) { return static_cast<int>(key >> 32); }
HAV_HD int key_col(unsigned long long key) { return static_cast<int>(key & 0xffffffffull); }
HAV_HD float joint_p(float summed, float scale) { return summed * scale; }
HAV_HD double plogp_term(float p) { return p > 0.f ? static_cast<double>(p) * log(static_cast<double>(p)) : 0.0; }

// CSR row starts for sorted unique entry e: every row between the previous entry's and this one's starts at e (each
// row has at least one entry, its own neighbours); the last entry also closes the rows after it.
HAV_HD void csr_row_starts(const unsigned long long* keys, int e, int nnz, int n, int* row_ptr) {
    int row = key_row(keys[e]);
    int prev = (e == 0) ? -1 : key_row(keys[e - 1]);
    for (int r = prev + 1; r <= row; ++r) row_ptr[r] = e;
    if (e == nnz - 1)
        for (int r = row + 1; r <= n; ++r) row_ptr[r] = nnz;
}

// ---- tree (tree.cu): square bounding box, Morton codes, binary radix tree (Karras 2012), centre-of-mass summary.
// The side of the square box of the points' extents; a tiny margin keeps the maximum inside the last cell, and a
// zero-size box (all points equal) gets side 1.
HAV_HD float box_side(float lo_x, float lo_y, float hi_x, float hi_y) {
    float side = fmaxf(hi_x - lo_x, hi_y - lo_y);
    return side > 0.f ? side * (1.f + 1e-5f) + 1e-30f : 1.f;
}

HAV_HD unsigned spread_bits(unsigned v) {  // 16 bits -> even positions of 32
    v &= 0x0000ffffu;
    v = (v | (v << 8)) & 0x00ff00ffu;
    v = (v | (v << 4)) & 0x0f0f0f0fu;
    v = (v | (v << 2)) & 0x33333333u;
    v = (v | (v << 1)) & 0x55555555u;
    return v;
}

// 32-bit Morton code of a point in the box (lo_x, lo_y, side); x bits are the more significant of each pair.
HAV_HD unsigned morton_key(float px, float py, float lo_x, float lo_y, float side) {
    float scale = 65536.f / side;
    unsigned qx = static_cast<unsigned>(fminf(fmaxf((px - lo_x) * scale, 0.f), 65535.f));
    unsigned qy = static_cast<unsigned>(fminf(fmaxf((py - lo_y) * scale, 0.f), 65535.f));
    return (spread_bits(qx) << 1) | spread_bits(qy);
}

// Length of the common prefix of the keys at sorted positions i and j (ties broken by position), -1 outside.
HAV_HD int common_prefix(const unsigned* keys, int n, int i, int j) {
    if (j < 0 || j >= n) return -1;
    unsigned a = keys[i], b = keys[j];
    if (a == b) return 32 + leading_zeros(static_cast<unsigned>(i ^ j));
    return leading_zeros(a ^ b);
}

// Internal node i of the binary radix tree (Karras 2012, Fig. 4): its children (>= 0 internal node, < 0 leaf
// ~position) and its squared cell side. A node whose keys share an L-bit prefix is the quadtree cell (L even) or
// half-cell (L odd) of that prefix; its side is box / 2^floor(L/2), what the Barnes-Hut opening test uses.
HAV_HD void radix_node(const unsigned* keys, int n, int i, float box, int* left, int* right, float* side2) {
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
    int gamma = i + s * dir + (dir < 0 ? dir : 0);
    int lo = i < j ? i : j, hi = i < j ? j : i;
    *left = (lo == gamma) ? ~gamma : gamma;
    *right = (hi == gamma + 1) ? ~(gamma + 1) : gamma + 1;
    int halvings = (delta_node < 32 ? delta_node : 32) >> 1;
    float side = box / static_cast<float>(1u << halvings);
    *side2 = side * side;
}

// Centre of mass and mass of internal node `current` from its two children (a leaf has mass 1). node: com x, com y,
// mass, squared side (4 floats per node). The caller reads a child node's summary as it must (the kernel bypasses L1).
HAV_HD void combine_children(const int* child, const float* child_summary0, const float* child_summary1,
                             const float* leaf, int current, float* out_x, float* out_y, float* out_mass) {
    float mass = 0.f, cx = 0.f, cy = 0.f;
    for (int side = 0; side < 2; ++side) {
        int c = child[2 * current + side];
        if (c < 0) {
            mass += 1.f;
            cx += leaf[2 * ~c];
            cy += leaf[2 * ~c + 1];
        } else {
            const float* v = side == 0 ? child_summary0 : child_summary1;
            mass += v[2];
            cx += v[0] * v[2];
            cy += v[1] * v[2];
        }
    }
    *out_x = cx / mass;
    *out_y = cy / mass;
    *out_mass = mass;
}

// ---- forces (forces.cu)
// One repulsive interaction of a point with `mass` points at squared distance d2 (dx, dy from them to the point):
// z += m q, f += m q^2 (dx, dy), q = 1 / (1 + d2).
HAV_HD void repel(float dx, float dy, float d2, float mass, float* fx, float* fy, float* z) {
    const float q = 1.f / (1.f + d2);
    const float mq = mass * q;
    *z += mq;
    *fx += mq * q * dx;
    *fy += mq * q * dy;
}

constexpr int kStack = 128;  // the radix tree is at most 64 levels deep (32-bit keys + 32-bit tie-break)

// Barnes-Hut repulsion on the point at Morton position i: walks the tree from the root; a node whose squared cell
// side < theta^2 * squared distance to its centre of mass stands for all its points. node: 4 floats per node.
HAV_HD void barnes_hut_point(const int* child, const float* node, const float* leaf, int i, float theta2, float* out_fx,
                             float* out_fy, float* out_z) {
    const float px = leaf[2 * i], py = leaf[2 * i + 1];
    float fx = 0.f, fy = 0.f, z = 0.f;
    int stack[kStack];
    int top = 0;
    stack[top++] = 0;  // the root
    while (top > 0) {
        const int current = stack[--top];
        const float* v = node + 4 * current;
        const float dx = px - v[0], dy = py - v[1];
        const float d2 = dx * dx + dy * dy;
        if (v[3] < theta2 * d2) {
            repel(dx, dy, d2, v[2], &fx, &fy, &z);
            continue;
        }
        for (int side = 0; side < 2; ++side) {
            const int c = child[2 * current + side];
            if (c < 0) {
                if (~c == i) continue;  // not its own neighbour
                const float ex = px - leaf[2 * ~c], ey = py - leaf[2 * ~c + 1];
                repel(ex, ey, ex * ex + ey * ey, 1.f, &fx, &fy, &z);
            } else if (top < kStack) {
                stack[top++] = c;
            } else {  // cannot happen for this tree's depth; summarise rather than overflow
                const float* w = node + 4 * c;
                const float ex = px - w[0], ey = py - w[1];
                repel(ex, ey, ex * ex + ey * ey, w[2], &fx, &fy, &z);
            }
        }
    }
    *out_fx = fx;
    *out_fy = fy;
    *out_z = z;
}

// One pair of the exact repulsion (the point itself included: q = 1, no force; the caller subtracts its 1 from z).
HAV_HD void exact_pair(float px, float py, float ox, float oy, float* fx, float* fy, float* z) {
    const float dx = px - ox, dy = py - oy;
    const float q = fast_reciprocal(1.f + dx * dx + dy * dy);
    *z += q;
    *fx += q * q * dx;
    *fy += q * q * dy;
}

// One stored p_ij of the attraction: a += p q (y_i - y_j), kl += p log(1 + d^2) when asked.
HAV_HD void attract_edge(float p, float dx, float dy, bool with_kl, float* ax, float* ay, float* kl) {
    const float d2 = dx * dx + dy * dy;
    const float pq = p / (1.f + d2);
    *ax += pq * dx;
    *ay += pq * dy;
    if (with_kl) *kl += p * log1pf(d2);
}

// KL = sum p log p - sum p log w + log Z, with w = 1 / (1 + d^2), q = w / Z and sum p = 1.
HAV_HD double kl_total(double plogp, double sum_p_log1p, double z) { return plogp + sum_p_log1p + log(z); }

// ---- update (update.cu): scikit-learn's gains and momentum (_gradient_descent). A coordinate's gain grows by 0.2
// when the gradient's sign opposes the last update, else shrinks by x0.8, never below min_gain; returns the update.
HAV_HD float gradient_of(float attraction, float repulsion, float inv_z) { return attraction - 4.f * repulsion * inv_z; }

HAV_HD float gain_step(float grad, float* update, float* gain, float lr, float momentum, float min_gain) {
    float g = (*update * grad < 0.f) ? *gain + 0.2f : *gain * 0.8f;
    g = fmaxf(g, min_gain);
    *gain = g;
    *update = momentum * *update - lr * g * grad;
    return *update;
}

// The forward-elimination coefficients of the proximal step's tridiagonal (I + c L), the same for every point
// (projection.GradientDescent.proximalCoupling).
HAV_HD void proximal_coefficients(int snapshots, double c, double* denom, double* upper) {
    for (int s = 0; s < snapshots; ++s) {
        double diag = 1 + c * ((s > 0 ? 1 : 0) + (s + 1 < snapshots ? 1 : 0));
        denom[s] = s == 0 ? diag : diag + c * upper[s - 1];
        upper[s] = -c / denom[s];
    }
}

// Dynamic t-SNE's proximal step for one point: its trajectory over the snapshots (y: snapshots x m points x 2 floats)
// becomes the solution of (I + c L) y = y_after_step (Thomas algorithm, in place, arithmetic in double).
HAV_HD void proximal_point(float* y, std::size_t m, int i, int snapshots, const double* denom, const double* upper,
                           double c) {
    double rx = 0.0, ry = 0.0;
    for (int t = 0; t < snapshots; ++t) {
        float* v = y + 2 * (t * m + i);
        rx = (v[0] + (t > 0 ? c * rx : 0.0)) / denom[t];
        ry = (v[1] + (t > 0 ? c * ry : 0.0)) / denom[t];
        v[0] = static_cast<float>(rx);
        v[1] = static_cast<float>(ry);
    }
    for (int t = snapshots - 2; t >= 0; --t) {
        float* v = y + 2 * (t * m + i);
        rx = v[0] - upper[t] * rx;
        ry = v[1] - upper[t] * ry;
        v[0] = static_cast<float>(rx);
        v[1] = static_cast<float>(ry);
    }
}

// ---- PCA start (pca.cu): the rule of projection.Initialisation.pca (subspace iteration on the centred sample).
// The r-th of `sampled` evenly spaced rows of n.
HAV_HD int sample_row(int r, int n, int sampled) {
    return static_cast<int>(static_cast<long long>(r) * n / sampled);
}

// One centred sample entry, rounded to float as the CPU engine's centred copy is.
HAV_HD float centred(float v, double mean) { return static_cast<float>(v - mean); }

// Row r of W = S Q: w[a] = sum_c s_rc q_ca (q: d x k row-major, double sums).
HAV_HD void row_times(const float* x_row, const double* mean, const double* q, int d, int k, double* w) {
    for (int a = 0; a < k; ++a) w[a] = 0.0;
    for (int c = 0; c < d; ++c) {
        double s = centred(x_row[c], mean[c]);
        for (int a = 0; a < k; ++a) w[a] += s * q[c * k + a];
    }
}

// One row's projection on the m axes (d x m row-major), minus the mean's: (x - mean) . axis.
HAV_HD double project_row(const float* x_row, const double* axes, int d, int m, int a, double offset) {
    double s = 0.0;
    for (int c = 0; c < d; ++c) s += static_cast<double>(x_row[c]) * axes[c * m + a];
    return s - offset;
}

}  // namespace arith
}  // namespace hav
