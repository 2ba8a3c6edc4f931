// host_stages.cpp: the serial host launch of every stage: the loops a kernel's grid would run, one element after the
// other, over the same arith.cuh functions the kernels call. Plain C++ (compiled by g++ with or without CUDA), for
// the tests that compare each stage with the CPU engine on machines without a GPU.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "arith.cuh"
#include "errors.h"
#include "stage_launches.h"

namespace hav {
namespace host {

using namespace arith;

void knn(const float* x, int n, int d, int k, int* idx, float* sqdist) {
    const std::size_t dd = static_cast<std::size_t>(d);
    std::vector<float> norms(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        float s = 0.f;
        for (int c = 0; c < d; ++c) s = fmaf(x[i * dd + c], x[i * dd + c], s);
        norms[i] = s;
    }
    std::vector<float> row(static_cast<std::size_t>(n));
    std::vector<unsigned> hist(256);
    for (int i = 0; i < n; ++i) {
        // the distance tile's entries of row i (the kernel accumulates a.b feature by feature in the same order)
        for (int j = 0; j < n; ++j) {
            float dot = 0.f;
            for (int c = 0; c < d; ++c) dot = fmaf(x[i * dd + c], x[j * dd + c], dot);
            row[j] = tile_distance(norms[i], norms[j], dot, i == j);
        }
        // radix select of the k smallest, 8 bits per pass
        unsigned prefix = 0u, mask = 0u, remaining = static_cast<unsigned>(k);
        for (int shift = 24; shift >= 0; shift -= 8) {
            std::fill(hist.begin(), hist.end(), 0u);
            for (int j = 0; j < n; ++j) {
                unsigned key = float_bits(row[j]);
                if (radix_matches(key, mask, prefix)) ++hist[radix_bin(key, shift)];
            }
            unsigned before = 0;
            int b = radix_choose(hist.data(), remaining, &before);
            remaining -= before;
            prefix |= static_cast<unsigned>(b) << shift;
            mask |= 255u << shift;
        }
        const unsigned threshold = prefix, ties = remaining, below = static_cast<unsigned>(k) - ties;
        unsigned less = 0, equal = 0;
        int* out = idx + static_cast<std::size_t>(i) * k;
        for (int j = 0; j < n; ++j) {
            unsigned key = float_bits(row[j]);
            if (key < threshold) {
                out[less++] = j;
            } else if (key == threshold) {
                if (equal < ties) out[below + equal] = j;
                ++equal;
            }
        }
        // the selected pairs' exact squared distances
        for (int e = 0; e < k; ++e) {
            const float* a = x + i * dd;
            const float* b2 = x + static_cast<std::size_t>(out[e]) * dd;
            float s = 0.f;
            for (int c = 0; c < d; ++c) s = add_squared_difference(a[c], b2[c], s);
            sqdist[static_cast<std::size_t>(i) * k + e] = s;
        }
    }
}

void conditional_p(const float* sqdist, int n, int k, float perplexity, float* p) {
    const double desired = std::log(static_cast<double>(perplexity));
    for (int i = 0; i < n; ++i)
        conditional_row(sqdist + static_cast<std::size_t>(i) * k, k, desired, p + static_cast<std::size_t>(i) * k);
}

void symmetrize(const int* idx, const float* pcond, int n, int k, int* row_ptr, int* col, float* val, int* nnz,
                double* plogp) {
    const std::size_t pairs = static_cast<std::size_t>(n) * k;
    std::vector<unsigned long long> keys(2 * pairs);
    std::vector<float> vals(2 * pairs);
    for (std::size_t e = 0; e < pairs; ++e) {
        unsigned long long i = e / k, j = static_cast<unsigned long long>(idx[e]);
        keys[2 * e] = pair_key(i, j);
        vals[2 * e] = pcond[e];
        keys[2 * e + 1] = pair_key(j, i);
        vals[2 * e + 1] = pcond[e];
    }
    // a stable sort by key (as CUB's radix sort), then the sum of each run of equal keys
    std::vector<std::size_t> order(2 * pairs);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    std::vector<unsigned long long> unique;
    std::vector<float> sums;
    for (std::size_t e = 0; e < order.size(); ++e) {
        unsigned long long key = keys[order[e]];
        if (unique.empty() || unique.back() != key) {
            unique.push_back(key);
            sums.push_back(vals[order[e]]);
        } else {
            sums.back() += vals[order[e]];
        }
    }
    const int count = static_cast<int>(unique.size());
    const float scale = static_cast<float>(1.0 / (2.0 * n));
    double total = 0.0;
    for (int e = 0; e < count; ++e) {
        col[e] = key_col(unique[e]);
        val[e] = joint_p(sums[e], scale);
        total += plogp_term(val[e]);
        csr_row_starts(unique.data(), e, count, n, row_ptr);
    }
    *nnz = count;
    *plogp = total;
}

namespace {

struct HostTree {
    float box[3];
    std::vector<int> order, child, parent;
    std::vector<float> node, leaf;
};

void build_tree(const float* y, int n, HostTree& t) {
    float lo_x = FLT_MAX, lo_y = FLT_MAX, hi_x = -FLT_MAX, hi_y = -FLT_MAX;
    for (int i = 0; i < n; ++i) {
        lo_x = fminf(lo_x, y[2 * i]);
        lo_y = fminf(lo_y, y[2 * i + 1]);
        hi_x = fmaxf(hi_x, y[2 * i]);
        hi_y = fmaxf(hi_y, y[2 * i + 1]);
    }
    const float side = box_side(lo_x, lo_y, hi_x, hi_y);
    t.box[0] = lo_x;
    t.box[1] = lo_y;
    t.box[2] = side;
    std::vector<unsigned> keys(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) keys[i] = morton_key(y[2 * i], y[2 * i + 1], lo_x, lo_y, side);
    t.order.resize(static_cast<std::size_t>(n));
    std::iota(t.order.begin(), t.order.end(), 0);
    std::stable_sort(t.order.begin(), t.order.end(), [&](int a, int b) { return keys[a] < keys[b]; });
    std::vector<unsigned> sorted(static_cast<std::size_t>(n));
    t.leaf.resize(2 * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        sorted[i] = keys[t.order[i]];
        t.leaf[2 * i] = y[2 * t.order[i]];
        t.leaf[2 * i + 1] = y[2 * t.order[i] + 1];
    }
    t.child.assign(2 * static_cast<std::size_t>(n - 1), 0);
    t.parent.assign(2 * static_cast<std::size_t>(n) - 1, -1);
    t.node.assign(4 * static_cast<std::size_t>(n - 1), 0.f);
    for (int i = 0; i < n - 1; ++i) {
        int left = 0, right = 0;
        float side2 = 0.f;
        radix_node(sorted.data(), n, i, side, &left, &right, &side2);
        t.child[2 * i] = left;
        t.child[2 * i + 1] = right;
        t.parent[left >= 0 ? left : (n - 1) + ~left] = i;
        t.parent[right >= 0 ? right : (n - 1) + ~right] = i;
        t.node[4 * i + 3] = side2;
    }
    t.parent[0] = -1;
    // bottom-up as the kernel: the second arrival at a node sums both children and walks on
    std::vector<int> arrivals(static_cast<std::size_t>(n - 1), 0);
    for (int i = 0; i < n; ++i) {
        int current = t.parent[(n - 1) + i];
        while (current >= 0) {
            if (arrivals[current]++ == 0) break;
            const int c0 = t.child[2 * current], c1 = t.child[2 * current + 1];
            const float* s0 = c0 >= 0 ? &t.node[4 * c0] : nullptr;
            const float* s1 = c1 >= 0 ? &t.node[4 * c1] : nullptr;
            float* out = &t.node[4 * current];
            combine_children(t.child.data(), s0, s1, t.leaf.data(), current, &out[0], &out[1], &out[2]);
            current = t.parent[current];
        }
    }
}

}  // namespace

void tree(const float* y, int n, float* box, int* order, int* child, float* node) {
    HostTree t;
    build_tree(y, n, t);
    std::copy_n(t.box, 3, box);
    std::copy(t.order.begin(), t.order.end(), order);
    std::copy(t.child.begin(), t.child.end(), child);
    std::copy(t.node.begin(), t.node.end(), node);
}

void forces(const int* row_ptr, const int* col, const float* val, int n, double plogp, const float* y,
            float exaggeration, float theta, bool exact, float* attr, float* rep, double* z, double* kl) {
    double z_sum = 0.0;
    if (exact) {
        for (int i = 0; i < n; ++i) {
            float fx = 0.f, fy = 0.f, zi = 0.f;
            for (int j = 0; j < n; ++j) exact_pair(y[2 * i], y[2 * i + 1], y[2 * j], y[2 * j + 1], &fx, &fy, &zi);
            zi -= 1.f;  // the point itself: q = 1, no force
            rep[2 * i] = fx;
            rep[2 * i + 1] = fy;
            z_sum += zi;
        }
    } else {
        HostTree t;
        build_tree(y, n, t);
        for (int i = 0; i < n; ++i) {
            float fx = 0.f, fy = 0.f, zi = 0.f;
            barnes_hut_point(t.child.data(), t.node.data(), t.leaf.data(), i, theta * theta, &fx, &fy, &zi);
            rep[2 * t.order[i]] = fx;
            rep[2 * t.order[i] + 1] = fy;
            z_sum += zi;
        }
    }
    double kl_sum = 0.0;
    for (int i = 0; i < n; ++i) {
        float ax = 0.f, ay = 0.f, kli = 0.f;
        for (int e = row_ptr[i]; e < row_ptr[i + 1]; ++e) {
            const int j = col[e];
            attract_edge(val[e], y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1], true, &ax, &ay, &kli);
        }
        attr[2 * i] = exaggeration * ax;
        attr[2 * i + 1] = exaggeration * ay;
        kl_sum += kli;
    }
    *z = z_sum;
    *kl = kl_total(plogp, kl_sum, z_sum);
}

void update(float* y, float* upd, float* gains, const float* attr, const float* rep, const double* z, int n,
            int snapshots, float learning_rate, float momentum, float min_gain) {
    const std::size_t total = 2 * static_cast<std::size_t>(n) * snapshots;
    for (std::size_t e = 0; e < total; ++e) {
        const float inv_z = static_cast<float>(1.0 / z[e / (2 * static_cast<std::size_t>(n))]);
        y[e] += gain_step(gradient_of(4.f * attr[e], rep[e], inv_z), &upd[e], &gains[e], learning_rate, momentum,
                          min_gain);
    }
}

void proximal(float* y, int n, int snapshots, double c) {
    std::vector<double> denom(static_cast<std::size_t>(snapshots)), upper(static_cast<std::size_t>(snapshots));
    proximal_coefficients(snapshots, c, denom.data(), upper.data());
    for (int i = 0; i < n; ++i)
        proximal_point(y, static_cast<std::size_t>(n), i, snapshots, denom.data(), upper.data(), c);
}

bool pca(const float* x, int n, int d, const double* q0, int k, int iterations, int sample_rows, float* y) {
    const int m = 2;
    const int sampled = std::min(n, sample_rows);
    const std::size_t dd = static_cast<std::size_t>(d);
    std::vector<double> mean(dd, 0.0);
    for (int r = 0; r < sampled; ++r) {
        const float* row = x + static_cast<std::size_t>(sample_row(r, n, sampled)) * dd;
        for (int c = 0; c < d; ++c) mean[c] += row[c];
    }
    for (int c = 0; c < d; ++c) mean[c] /= sampled;
    std::vector<double> q(q0, q0 + dd * k), z(dd * k), w(static_cast<std::size_t>(k));
    // z = S^T S q, one sampled row after the other (the kernels: W = S Q by rows, then S^T W by columns)
    auto covariance_times = [&] {
        std::fill(z.begin(), z.end(), 0.0);
        for (int r = 0; r < sampled; ++r) {
            const float* row = x + static_cast<std::size_t>(sample_row(r, n, sampled)) * dd;
            row_times(row, mean.data(), q.data(), d, k, w.data());
            for (int c = 0; c < d; ++c) {
                double s = centred(row[c], mean[c]);
                for (int a = 0; a < k; ++a) z[c * k + a] += s * w[a];
            }
        }
    };
    pca_host::orthonormalise(q.data(), d, k);
    for (int it = 0; it < iterations; ++it) {
        covariance_times();
        q = z;
        pca_host::orthonormalise(q.data(), d, k);
    }
    covariance_times();
    std::vector<double> axes(dd * m);
    pca_host::axes(q.data(), z.data(), d, k, m, axes.data());
    double offset[m] = {0.0, 0.0};
    for (int c = 0; c < d; ++c)
        for (int a = 0; a < m; ++a) offset[a] += mean[c] * axes[c * m + a];
    std::vector<double> p(2 * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        for (int a = 0; a < m; ++a) p[2 * i + a] = project_row(x + i * dd, axes.data(), d, m, a, offset[a]);
    // centred exactly, then the first coordinate scaled to standard deviation 1e-4 (scikit-learn's rule)
    double centre[m] = {0.0, 0.0};
    for (int i = 0; i < n; ++i)
        for (int a = 0; a < m; ++a) centre[a] += p[2 * i + a];
    for (int a = 0; a < m; ++a) centre[a] /= n;
    double var = 0.0;
    for (int i = 0; i < n; ++i) {
        for (int a = 0; a < m; ++a) p[2 * i + a] -= centre[a];
        var += p[2 * i] * p[2 * i];
    }
    const double std_dev = std::sqrt(var / n);
    if (!(std_dev > 1e-12) || !std::isfinite(std_dev)) return false;
    const double f = 1e-4 / std_dev;
    for (std::size_t e = 0; e < p.size(); ++e) y[e] = static_cast<float>(p[e] * f);
    return true;
}

}  // namespace host

namespace pca_host {

void orthonormalise(double* q, int d, int k) {
    auto dot = [&](int a, int b) {
        double s = 0.0;
        for (int c = 0; c < d; ++c) s += q[c * k + a] * q[c * k + b];
        return s;
    };
    for (int a = 0; a < k; ++a) {
        double before = std::sqrt(dot(a, a));
        for (int attempt = 0;; ++attempt) {
            for (int pass = 0; pass < 2; ++pass)
                for (int b = 0; b < a; ++b) {
                    double r = dot(a, b);
                    for (int c = 0; c < d; ++c) q[c * k + a] -= r * q[c * k + b];
                }
            double norm = std::sqrt(dot(a, a));
            if ((norm > 1e-10 * before && norm > 0) || attempt == 3) {
                for (int c = 0; c < d; ++c) q[c * k + a] = norm > 0 ? q[c * k + a] / norm : 0.0;
                break;
            }
            // data of rank below k: a unit vector the column has not tried (the CPU engine draws a random one)
            for (int c = 0; c < d; ++c) q[c * k + a] = c == (a + attempt) % d ? 1.0 : 0.0;
            before = 1.0;
        }
    }
}

void axes(const double* q, const double* z, int d, int k, int m, double* out) {
    // T = Q^T C Q (symmetrised), its eigenvectors by cyclic Jacobi rotations
    std::vector<double> t(static_cast<std::size_t>(k) * k), v(static_cast<std::size_t>(k) * k, 0.0);
    for (int a = 0; a < k; ++a)
        for (int b = 0; b < k; ++b) {
            double s = 0.0;
            for (int c = 0; c < d; ++c) s += q[c * k + a] * z[c * k + b];
            t[a * k + b] = s;
        }
    for (int a = 0; a < k; ++a) {
        for (int b = 0; b < a; ++b) t[a * k + b] = t[b * k + a] = 0.5 * (t[a * k + b] + t[b * k + a]);
        v[a * k + a] = 1.0;
    }
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0.0, diag = 0.0;
        for (int a = 0; a < k; ++a)
            for (int b = 0; b < k; ++b) (a == b ? diag : off) += t[a * k + b] * t[a * k + b];
        if (off <= 1e-30 * diag || off == 0.0) break;
        for (int a = 0; a < k; ++a)
            for (int b = a + 1; b < k; ++b) {
                double apq = t[a * k + b];
                if (apq == 0.0) continue;
                double theta = (t[b * k + b] - t[a * k + a]) / (2 * apq);
                double tan = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
                double cos = 1 / std::sqrt(tan * tan + 1), sin = tan * cos;
                for (int r = 0; r < k; ++r) {  // columns a, b
                    double ta = t[r * k + a], tb = t[r * k + b];
                    t[r * k + a] = cos * ta - sin * tb;
                    t[r * k + b] = sin * ta + cos * tb;
                }
                for (int r = 0; r < k; ++r) {  // rows a, b
                    double ta = t[a * k + r], tb = t[b * k + r];
                    t[a * k + r] = cos * ta - sin * tb;
                    t[b * k + r] = sin * ta + cos * tb;
                }
                for (int r = 0; r < k; ++r) {
                    double va = v[r * k + a], vb = v[r * k + b];
                    v[r * k + a] = cos * va - sin * vb;
                    v[r * k + b] = sin * va + cos * vb;
                }
            }
    }
    std::vector<int> rank(static_cast<std::size_t>(k));
    std::iota(rank.begin(), rank.end(), 0);
    std::stable_sort(rank.begin(), rank.end(), [&](int a, int b) { return t[a * k + a] > t[b * k + b]; });
    for (int a = 0; a < m; ++a) {
        int e = rank[a];
        for (int c = 0; c < d; ++c) {
            double s = 0.0;
            for (int j = 0; j < k; ++j) s += q[c * k + j] * v[j * k + e];
            out[c * m + a] = s;
        }
        // scikit-learn's svd_flip: the entry of largest magnitude positive
        int argmax = 0;
        for (int c = 0; c < d; ++c)
            if (std::fabs(out[c * m + a]) > std::fabs(out[argmax * m + a])) argmax = c;
        if (out[argmax * m + a] < 0)
            for (int c = 0; c < d; ++c) out[c * m + a] = -out[c * m + a];
    }
}

}  // namespace pca_host
}  // namespace hav
