// api.cu: the C interface of hav_tsne.h. It validates arguments, estimates memory before allocating, runs the
// setup stages (kNN, P) per snapshot, then the optimisation: each iteration's launches are captured once per
// phase into a CUDA graph and replayed, so the host never waits inside the loop. Every C++ error becomes a code
// and a message here; device buffers are RAII-owned and freed on every path.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "stage_launches.h"
#include "stages.cuh"

namespace hav {

bool debug_sync() {
    static const bool on = [] {
        const char* v = std::getenv("HAV_CUDA_SYNC");
        return v != nullptr && v[0] == '1';
    }();
    return on;
}

namespace {

// HAV_CUDA_GRAPH_REUSE=1: the optimisation's graph executables outlive the call. A later call captures its
// iteration as before and updates the kept executable in place (cudaGraphExecUpdate: same nodes, new arguments),
// which skips instantiation; a call whose graph differs in shape instantiates it anew. Off by default until a
// device run has compared it with the per-call graphs (benchmarks/gpu/run_on_gpu.sh, step "reuse").
bool graph_reuse() {
    static const bool on = [] {
        const char* v = std::getenv("HAV_CUDA_GRAPH_REUSE");
        return v != nullptr && v[0] == '1';
    }();
    return on;
}

struct KeptGraphs {
    std::mutex lock;                          // one call at a time uses them; others make their own
    cudaGraphExec_t exec[2][2] = {};          // [phase][record]
    int updated = 0, instantiated = 0;        // counts, for the diagnostics line
};

// Never destroyed: at process exit the CUDA runtime may be gone before static destructors run.
KeptGraphs& kept_graphs() {
    static KeptGraphs* kept = new KeptGraphs();
    return *kept;
}

constexpr std::size_t kKnnBudget = std::size_t(1) << 30;  // at most 1 GiB of distance rows at a time

void validate(int n, const int* dims, int snapshots, const hav_tsne_params* p) {
    require(p != nullptr, "params is NULL");
    require(snapshots >= 1, "snapshots must be >= 1");
    require(dims != nullptr, "dims is NULL");
    require(n >= 2 && n <= (1 << 30), "n must be in [2, 2^30], got " + std::to_string(n));
    for (int t = 0; t < snapshots; ++t) require(dims[t] >= 1, "every snapshot needs >= 1 feature");
    require(p->n_neighbors >= 1 && p->n_neighbors < n,
            "n_neighbors must be in [1, n - 1], got " + std::to_string(p->n_neighbors));
    require(std::isfinite(p->perplexity) && p->perplexity > 0, "perplexity must be > 0");
    require(std::isfinite(p->early_exaggeration) && p->early_exaggeration >= 1, "early_exaggeration must be >= 1");
    require(p->max_iter >= 1, "max_iter must be >= 1");
    require(p->early_exaggeration_iter >= 0 && p->early_exaggeration_iter <= p->max_iter,
            "early_exaggeration_iter must be in [0, max_iter]");
    require(std::isfinite(p->learning_rate) && p->learning_rate > 0, "learning_rate must be > 0 (resolve auto first)");
    require(std::isfinite(p->theta) && p->theta >= 0 && p->theta < 1, "theta must be in [0, 1)");
    require(std::isfinite(p->min_gain) && p->min_gain > 0, "min_gain must be > 0");
    require(std::isfinite(p->initial_momentum) && std::isfinite(p->final_momentum), "momentum must be finite");
    require(p->kl_every >= 0, "kl_every must be >= 0");
    require(std::isfinite(p->lambda) && p->lambda >= 0, "lambda must be >= 0");
    require(p->exact_repulsion_max_n >= 0, "exact_repulsion_max_n must be >= 0");
}

int history_length(const hav_tsne_params* p) { return p->kl_every > 0 ? p->max_iter / p->kl_every : 0; }

struct Plan {
    std::size_t knn_rows_max = 0;
    std::size_t peak = 0;
};

// Where the optimisation starts: given points (init), or the PCA start of snapshot 0 computed on the device.
struct Start {
    const float* init = nullptr;  // snapshots x n x 2, or nullptr for the PCA start
    const double* q0 = nullptr;   // d0 x k first directions of the PCA start
    int k = 0, iterations = 0, sample_rows = 0;
    float* out_start = nullptr;   // n x 2: the PCA start, when not nullptr
    int* no_variance = nullptr;   // set to 1 (and nothing run) when the PCA start finds no variance
};

Plan plan(int n, const int* dims, int snapshots, const hav_tsne_params* p, std::size_t free_bytes,
          int pca_k = 0, int pca_rows = 0) {
    const std::size_t m = static_cast<std::size_t>(n), k = static_cast<std::size_t>(p->n_neighbors);
    Plan out;
    std::size_t budget = std::min(kKnnBudget, free_bytes / 4);
    out.knn_rows_max = knn_block_rows(n, budget);
    std::size_t setup_max = 0;
    for (int t = 0; t < snapshots; ++t) {
        std::size_t x = m * static_cast<std::size_t>(dims[t]) * sizeof(float);
        std::size_t knn = x + m * k * (sizeof(int) + sizeof(float)) + knn_scratch_bytes(n, dims[t], p->n_neighbors, out.knn_rows_max);
        std::size_t aff = m * k * (sizeof(int) + 2 * sizeof(float)) + symmetrize_scratch_bytes(n, p->n_neighbors);
        setup_max = std::max(setup_max, std::max(knn, aff));
    }
    if (pca_k > 0) {  // the PCA start of snapshot 0: its input, d x k directions and products, the sample's W, n x 2
        const std::size_t d0 = static_cast<std::size_t>(dims[0]), kk = static_cast<std::size_t>(pca_k);
        const std::size_t rows = std::min(m, static_cast<std::size_t>(pca_rows));
        std::size_t pca = m * d0 * sizeof(float) + (3 * d0 * kk + 2 * d0 + rows * kk + 2 * m + 3) * sizeof(double);
        setup_max = std::max(setup_max, pca + m * static_cast<std::size_t>(snapshots) * sizeof(float2));
    }
    // Upper bound of one snapshot's CSR P: every kNN pair emitted twice, none merged.
    std::size_t p_one = (m + 1) * sizeof(int) + 2 * m * k * (sizeof(int) + sizeof(float));
    std::size_t p_all = p_one * static_cast<std::size_t>(snapshots);
    const bool exact = n <= p->exact_repulsion_max_n;
    std::size_t opt_one = (exact ? 0 : tree_bytes(n)) + 5 * m * sizeof(float2) + m * sizeof(float) + 4 * sizeof(double) +
                          static_cast<std::size_t>(history_length(p) + 1) * sizeof(double) + 2 * sizeof(int);
    std::size_t opt_all = opt_one * static_cast<std::size_t>(snapshots);
    out.peak = p_all + std::max(setup_max, opt_all) + (std::size_t(64) << 20);  // + CUDA context slack
    return out;
}

std::string mib(std::size_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MiB"; }

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// out_seconds: kNN, affinities, optimisation, total, and with seconds_len 6 also the PCA start and the input's copy.
void run_engine(const float* x, int snapshots, int n, const int* dims, const hav_tsne_params* p, const Start& start,
                float* out_y, double* out_kl, double* out_kl_history, double* out_seconds, int seconds_len) {
    validate(n, dims, snapshots, p);
    require(x != nullptr && out_y != nullptr && out_kl != nullptr, "an array argument is NULL");
    const bool pca = start.init == nullptr;
    if (pca) {
        require(start.q0 != nullptr && start.no_variance != nullptr, "init and the PCA start's q0 are both NULL");
        require(dims[0] >= 2 && start.k >= 2 && start.k <= dims[0] && start.k <= kPcaMaxK,
                "the PCA start needs d >= 2 and 2 <= k <= min(d, 16)");
        require(start.iterations >= 0 && start.sample_rows >= 2, "the PCA start needs iterations >= 0, sample_rows >= 2");
        *start.no_variance = 0;
    }
    const auto t_start = std::chrono::steady_clock::now();
    HAV_CUDA(cudaSetDevice(0));
    std::size_t free_bytes = 0, total_bytes = 0;
    HAV_CUDA(cudaMemGetInfo(&free_bytes, &total_bytes));
    Plan pl = plan(n, dims, snapshots, p, free_bytes, pca ? start.k : 0, start.sample_rows);
    if (pl.peak > free_bytes) {
        cudaDeviceProp prop{};
        HAV_CUDA(cudaGetDeviceProperties(&prop, 0));
        throw Error(HAV_ERR_MEMORY, "t-SNE of " + std::to_string(snapshots) + " x " + std::to_string(n) +
                                        " points needs about " + mib(pl.peak) + " of GPU memory, but " + prop.name +
                                        " has " + mib(free_bytes) + " free of " + mib(total_bytes));
    }
    const std::size_t m = static_cast<std::size_t>(n);
    const int k = p->n_neighbors;
    Stream stream;

    // ---- setup: kNN and P per snapshot (the host waits between stages here, never in the loop below)
    std::vector<SparseP> P(static_cast<std::size_t>(snapshots));
    double knn_seconds = 0, affinity_seconds = 0, pca_seconds = 0, copy_seconds = 0;
    std::size_t offset = 0;
    const std::size_t total = m * static_cast<std::size_t>(snapshots);
    DeviceBuffer<float2> y(total);
    for (int t = 0; t < snapshots; ++t) {
        const std::size_t d = static_cast<std::size_t>(dims[t]);
        auto t0 = std::chrono::steady_clock::now();
        DeviceBuffer<int> idx(m * k);
        DeviceBuffer<float> sqdist(m * k);
        {
            // the one copy of this snapshot's input: the PCA start (snapshot 0) and the kNN read it on the device
            DeviceBuffer<float> dx(m * d);
            HAV_CUDA(cudaMemcpyAsync(dx.get(), x + offset, m * d * sizeof(float), cudaMemcpyHostToDevice, stream.get()));
            HAV_CUDA(cudaStreamSynchronize(stream.get()));
            copy_seconds += seconds_since(t0);
            if (t == 0 && pca) {
                const auto tp = std::chrono::steady_clock::now();
                if (!pca_start(dx.get(), n, static_cast<int>(d), start.q0, start.k, start.iterations, start.sample_rows,
                               y.get(), stream.get())) {
                    *start.no_variance = 1;
                    return;
                }
                pca_seconds = seconds_since(tp);
            }
            const auto tk = std::chrono::steady_clock::now();
            knn_exact(dx.get(), n, static_cast<int>(d), k, pl.knn_rows_max, idx.get(), sqdist.get(), stream.get());
            knn_seconds += seconds_since(tk);
        }
        offset += m * d;
        t0 = std::chrono::steady_clock::now();
        DeviceBuffer<float> pcond(m * k);
        conditional_p(sqdist.get(), n, k, p->perplexity, pcond.get(), stream.get());
        symmetrize(idx.get(), pcond.get(), n, k, P[t], stream.get());
        affinity_seconds += seconds_since(t0);
    }

    // ---- optimisation state, all snapshots stacked
    const auto t_opt = std::chrono::steady_clock::now();
    const int hist_len = history_length(p);
    DeviceBuffer<float2> update(total), gains(total), gpart(total), rep(total);
    DeviceBuffer<float> kl_rows(total);
    DeviceBuffer<double> z_sum(static_cast<std::size_t>(snapshots));
    DeviceBuffer<double> kl_hist(static_cast<std::size_t>(snapshots) * (hist_len + 1));
    DeviceBuffer<double> kl_final(static_cast<std::size_t>(snapshots));
    DeviceBuffer<int> kl_count(2 * static_cast<std::size_t>(snapshots));
    // Small inputs: exact repulsion (all pairs) beats building a tree on a GPU; large ones: Barnes-Hut.
    const bool exact = n <= p->exact_repulsion_max_n;
    int multiprocessors = 0;
    HAV_CUDA(cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, 0));
    const int splits = exact_repulsion_splits(n, multiprocessors);
    std::vector<Tree> trees(exact ? 0 : static_cast<std::size_t>(snapshots));
    for (auto& tr : trees) tree_allocate(tr, n);
    if (pca) {  // every snapshot starts from the PCA of the first, so the movement term starts at 0
        for (int t = 1; t < snapshots; ++t)
            HAV_CUDA(cudaMemcpyAsync(y.get() + t * m, y.get(), m * sizeof(float2), cudaMemcpyDeviceToDevice,
                                     stream.get()));
        if (start.out_start != nullptr)
            HAV_CUDA(cudaMemcpyAsync(start.out_start, y.get(), m * sizeof(float2), cudaMemcpyDeviceToHost, stream.get()));
    } else {
        HAV_CUDA(cudaMemcpyAsync(y.get(), start.init, total * sizeof(float2), cudaMemcpyHostToDevice, stream.get()));
    }
    reset_optimizer(update.get(), gains.get(), total, stream.get());
    HAV_CUDA(cudaMemsetAsync(kl_count.get(), 0, 2 * snapshots * sizeof(int), stream.get()));
    HAV_CUDA(cudaMemsetAsync(kl_hist.get(), 0, kl_hist.bytes(), stream.get()));
    // Dynamic t-SNE's movement term: a proximal step after each gradient step, as projection.GradientDescent.
    const double coupling = snapshots > 1 ? static_cast<double>(p->learning_rate) * p->lambda / n : 0.0;
    DeviceBuffer<double> proximal(coupling > 0 ? 2 * static_cast<std::size_t>(snapshots) : 0);
    if (coupling > 0) {
        std::vector<double> coeffs(2 * static_cast<std::size_t>(snapshots));
        proximal_coefficients(snapshots, coupling, coeffs.data(), coeffs.data() + snapshots);
        HAV_CUDA(cudaMemcpy(proximal.get(), coeffs.data(), proximal.bytes(), cudaMemcpyHostToDevice));
    }

    // One iteration's launches. record: KL into the history (or into kl_final when !step).
    auto enqueue = [&](float exaggeration, float momentum, bool record, bool step) {
        for (int t = 0; t < snapshots; ++t) {
            float2* yt = y.get() + t * m;
            if (exact) {
                exact_repulsive_forces(yt, n, splits, rep.get() + t * m, z_sum.get() + t, stream.get());
            } else {
                tree_build(trees[t], yt, z_sum.get() + t, stream.get());
                repulsive_forces(trees[t], p->theta, rep.get() + t * m, z_sum.get() + t, stream.get());
            }
            attractive_forces(P[t], yt, n, exaggeration, gpart.get() + t * m, record ? kl_rows.get() + t * m : nullptr,
                              stream.get());
            if (record) {
                double* out = step ? kl_hist.get() + static_cast<std::size_t>(t) * (hist_len + 1) : kl_final.get() + t;
                int* count = kl_count.get() + (step ? t : snapshots + t);
                kl_reduce(kl_rows.get() + t * m, n, P[t].plogp, z_sum.get() + t, out, count, stream.get());
            }
        }
        if (step) {
            gradient_update(y.get(), update.get(), gains.get(), gpart.get(), rep.get(), z_sum.get(), n, snapshots,
                            p->learning_rate, momentum, p->min_gain, stream.get());
            if (coupling > 0) proximal_coupling(y.get(), n, snapshots, proximal.get(), coupling, stream.get());
        }
    };

    // Graphs per (phase, record): captured on first use, replayed afterwards.
    Graph graphs[2][2];
    cudaGraphExec_t active[2][2] = {};  // what launches: this call's own executable or the kept one
    const bool use_graphs = !debug_sync();
    std::unique_lock<std::mutex> kept_lock;
    if (use_graphs && graph_reuse()) kept_lock = std::unique_lock<std::mutex>(kept_graphs().lock, std::try_to_lock);
    const bool reuse = kept_lock.owns_lock();
    auto launch = [&](int phase, bool record) {
        const float exaggeration = phase == 0 ? p->early_exaggeration : 1.f;
        const float momentum = phase == 0 ? p->initial_momentum : p->final_momentum;
        if (!use_graphs) {
            enqueue(exaggeration, momentum, record, true);
            return;
        }
        const int r = record ? 1 : 0;
        Graph& g = graphs[phase][r];
        if (active[phase][r] == nullptr) {
            HAV_CUDA(cudaStreamBeginCapture(stream.get(), cudaStreamCaptureModeThreadLocal));
            try {
                enqueue(exaggeration, momentum, record, true);
            } catch (...) {
                cudaGraph_t broken = nullptr;
                cudaStreamEndCapture(stream.get(), &broken);
                if (broken) cudaGraphDestroy(broken);
                cudaGetLastError();
                throw;
            }
            HAV_CUDA(cudaStreamEndCapture(stream.get(), g.graph_slot()));
            if (reuse) {
                cudaGraphExec_t& kept = kept_graphs().exec[phase][r];
                if (kept != nullptr) {
                    cudaGraphExecUpdateResultInfo info{};
                    if (cudaGraphExecUpdate(kept, g.graph(), &info) == cudaSuccess) {
                        ++kept_graphs().updated;
                    } else {  // another shape: instantiate this one instead
                        cudaGetLastError();
                        cudaGraphExecDestroy(kept);
                        kept = nullptr;
                    }
                }
                if (kept == nullptr) {
                    HAV_CUDA(cudaGraphInstantiate(&kept, g.graph(), 0));
                    ++kept_graphs().instantiated;
                }
                active[phase][r] = kept;
            } else {
                HAV_CUDA(cudaGraphInstantiate(g.exec_slot(), g.graph(), 0));
                active[phase][r] = g.exec();
            }
        }
        HAV_CUDA(cudaGraphLaunch(active[phase][r], stream.get()));
    };
    for (int it = 0; it < p->max_iter; ++it) {
        const int phase = it < p->early_exaggeration_iter ? 0 : 1;
        // scikit-learn runs the two phases as two gradient descents, each starting from update 0 and gains 1.
        if (it > 0 && it == p->early_exaggeration_iter) reset_optimizer(update.get(), gains.get(), total, stream.get());
        const bool record = p->kl_every > 0 && (it + 1) % p->kl_every == 0;
        launch(phase, record);
    }
    enqueue(1.f, 0.f, true, false);  // KL of the final positions
    HAV_CUDA(cudaStreamSynchronize(stream.get()));
    const double optimise_seconds = seconds_since(t_opt);

    HAV_CUDA(cudaMemcpy(out_y, y.get(), total * sizeof(float2), cudaMemcpyDeviceToHost));
    HAV_CUDA(cudaMemcpy(out_kl, kl_final.get(), snapshots * sizeof(double), cudaMemcpyDeviceToHost));
    if (out_kl_history != nullptr && hist_len > 0) {
        std::vector<double> h(static_cast<std::size_t>(snapshots) * (hist_len + 1));
        HAV_CUDA(cudaMemcpy(h.data(), kl_hist.get(), h.size() * sizeof(double), cudaMemcpyDeviceToHost));
        for (int t = 0; t < snapshots; ++t)
            std::copy_n(h.begin() + static_cast<std::ptrdiff_t>(t) * (hist_len + 1), hist_len,
                        out_kl_history + static_cast<std::ptrdiff_t>(t) * hist_len);
    }
    if (out_seconds != nullptr) {
        out_seconds[0] = knn_seconds;
        out_seconds[1] = affinity_seconds;
        out_seconds[2] = optimise_seconds;
        out_seconds[3] = seconds_since(t_start);
        if (seconds_len >= 6) {
            out_seconds[4] = pca_seconds;
            out_seconds[5] = copy_seconds;
        }
    }
    if (const char* prof = std::getenv("HAV_CUDA_PROFILE"); prof != nullptr && prof[0] == '1') {
        // Diagnostics: one more gradient evaluation (no step) of snapshot 0, timed stage by stage with events.
        Event ev[4];
        float2* y0 = y.get();
        HAV_CUDA(cudaEventRecord(ev[0].get(), stream.get()));
        if (!exact) tree_build(trees[0], y0, z_sum.get(), stream.get());
        HAV_CUDA(cudaEventRecord(ev[1].get(), stream.get()));
        if (exact)
            exact_repulsive_forces(y0, n, splits, rep.get(), z_sum.get(), stream.get());
        else
            repulsive_forces(trees[0], p->theta, rep.get(), z_sum.get(), stream.get());
        HAV_CUDA(cudaEventRecord(ev[2].get(), stream.get()));
        attractive_forces(P[0], y0, n, 1.f, gpart.get(), nullptr, stream.get());
        HAV_CUDA(cudaEventRecord(ev[3].get(), stream.get()));
        HAV_CUDA(cudaEventSynchronize(ev[3].get()));
        float ms[3];
        for (int i = 0; i < 3; ++i) HAV_CUDA(cudaEventElapsedTime(&ms[i], ev[i].get(), ev[i + 1].get()));
        std::fprintf(stderr, "HAV_CUDA_PROFILE n=%d %s: tree %.3f ms, repulsion %.3f ms, attraction %.3f ms (nnz %d)\n", n,
                     exact ? "exact" : "barnes-hut", ms[0], ms[1], ms[2], P[0].nnz);
        if (reuse)
            std::fprintf(stderr, "HAV_CUDA_PROFILE kept graphs: %d updated, %d instantiated so far\n",
                         kept_graphs().updated, kept_graphs().instantiated);
    }
}

}  // namespace
}  // namespace hav

extern "C" {

int hav_cuda_device_count(int* count, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(count != nullptr, "count is NULL");
        *count = 0;
        cudaError_t e = cudaGetDeviceCount(count);
        if (e == cudaSuccess && *count > 0) return;
        cudaGetLastError();
        *count = 0;
        std::string why = std::string(cudaGetErrorName(e)) + " (" + std::to_string(static_cast<int>(e)) + "): " +
                          cudaGetErrorString(e);
        if (e == cudaErrorInsufficientDriver)
            throw hav::Error(HAV_ERR_NO_DRIVER, "no usable NVIDIA driver: cudaGetDeviceCount returned " + why);
        if (e == cudaSuccess || e == cudaErrorNoDevice)
            throw hav::Error(HAV_ERR_NO_DEVICE, "the NVIDIA driver sees no CUDA device" +
                                                    (e == cudaSuccess ? std::string() : ": " + why));
        throw hav::Error(HAV_ERR_NO_DRIVER, "CUDA is not usable: cudaGetDeviceCount returned " + why);
    });
}

int hav_cuda_device_info(char* name, int namelen, size_t* total_bytes, size_t* free_bytes, int* cc_major,
                         int* cc_minor, int* driver_version, int* runtime_version, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        cudaDeviceProp prop{};
        HAV_CUDA(cudaGetDeviceProperties(&prop, 0));
        if (name != nullptr && namelen > 0) std::snprintf(name, static_cast<std::size_t>(namelen), "%s", prop.name);
        if (cc_major) *cc_major = prop.major;
        if (cc_minor) *cc_minor = prop.minor;
        HAV_CUDA(cudaSetDevice(0));
        std::size_t f = 0, t = 0;
        HAV_CUDA(cudaMemGetInfo(&f, &t));
        if (total_bytes) *total_bytes = t;
        if (free_bytes) *free_bytes = f;
        if (driver_version) HAV_CUDA(cudaDriverGetVersion(driver_version));
        if (runtime_version) HAV_CUDA(cudaRuntimeGetVersion(runtime_version));
    });
}

int hav_tsne_memory_estimate(int n, const int* dims, int snapshots, const hav_tsne_params* p, size_t* bytes,
                             char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::validate(n, dims, snapshots, p);
        hav::require(bytes != nullptr, "bytes is NULL");
        HAV_CUDA(cudaSetDevice(0));
        std::size_t f = 0, t = 0;
        HAV_CUDA(cudaMemGetInfo(&f, &t));
        *bytes = hav::plan(n, dims, snapshots, p, f).peak;
    });
}

int hav_tsne_params_describe(const hav_tsne_params* p, char* out, int outlen, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(p != nullptr && out != nullptr && outlen > 0, "params or out is NULL");
        int written = std::snprintf(
            out, static_cast<std::size_t>(outlen),
            "n_neighbors=%d;perplexity=%.9g;early_exaggeration=%.9g;early_exaggeration_iter=%d;max_iter=%d;"
            "learning_rate=%.9g;theta=%.9g;initial_momentum=%.9g;final_momentum=%.9g;min_gain=%.9g;kl_every=%d;"
            "lambda=%.9g;exact_repulsion_max_n=%d",
            p->n_neighbors, p->perplexity, p->early_exaggeration, p->early_exaggeration_iter, p->max_iter,
            p->learning_rate, p->theta, p->initial_momentum, p->final_momentum, p->min_gain, p->kl_every, p->lambda,
            p->exact_repulsion_max_n);
        hav::require(written >= 0 && written < outlen, "out is too small for the description");
    });
}

int hav_tsne_conditional_p(const float* sqdist, int n, int k, float perplexity, int on_device, float* out_p,
                           char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(sqdist != nullptr && out_p != nullptr, "an array argument is NULL");
        hav::require(n >= 1 && k >= 1, "need n >= 1 and k >= 1");
        hav::require(std::isfinite(perplexity) && perplexity > 0, "perplexity must be > 0");
        const std::size_t count = static_cast<std::size_t>(n) * static_cast<std::size_t>(k);
        if (!on_device) {
            hav::host::conditional_p(sqdist, n, k, perplexity, out_p);
            return;
        }
        HAV_CUDA(cudaSetDevice(0));
        hav::Stream stream;
        hav::DeviceBuffer<float> d(count), p(count);
        HAV_CUDA(cudaMemcpyAsync(d.get(), sqdist, count * sizeof(float), cudaMemcpyHostToDevice, stream.get()));
        hav::conditional_p(d.get(), n, k, perplexity, p.get(), stream.get());
        HAV_CUDA(cudaMemcpyAsync(out_p, p.get(), count * sizeof(float), cudaMemcpyDeviceToHost, stream.get()));
        HAV_CUDA(cudaStreamSynchronize(stream.get()));
    });
}

int hav_tsne_run(const float* x, int n, int d, const hav_tsne_params* p, const float* init, float* out_y,
                 double* out_kl, double* out_kl_history, double* out_seconds, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(init != nullptr, "init is NULL");
        hav::Start start;
        start.init = init;
        hav::run_engine(x, 1, n, &d, p, start, out_y, out_kl, out_kl_history, out_seconds, 4);
    });
}

int hav_tsne_run_dynamic(const float* x, int snapshots, int n, const int* dims, const hav_tsne_params* p,
                         const float* init, float* out_y, double* out_kl, double* out_kl_history,
                         double* out_seconds, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(init != nullptr, "init is NULL");
        hav::Start start;
        start.init = init;
        hav::run_engine(x, snapshots, n, dims, p, start, out_y, out_kl, out_kl_history, out_seconds, 4);
    });
}

int hav_tsne_run_pca(const float* x, int snapshots, int n, const int* dims, const hav_tsne_params* p,
                     const double* pca_q0, int pca_k, int pca_iterations, int pca_sample_rows, float* out_start,
                     int* out_no_variance, float* out_y, double* out_kl, double* out_kl_history, double* out_seconds,
                     char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::Start start;
        start.q0 = pca_q0;
        start.k = pca_k;
        start.iterations = pca_iterations;
        start.sample_rows = pca_sample_rows;
        start.out_start = out_start;
        start.no_variance = out_no_variance;
        hav::run_engine(x, snapshots, n, dims, p, start, out_y, out_kl, out_kl_history, out_seconds, 6);
    });
}

int hav_host_buffer_allocate(size_t bytes, void** out, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        hav::require(out != nullptr && bytes > 0, "out is NULL or bytes is 0");
        *out = nullptr;
        HAV_CUDA(cudaMallocHost(out, bytes));
    });
}

int hav_host_buffer_free(void* buffer, char* err, int errlen) {
    return hav::guarded(err, errlen, [&] {
        if (buffer != nullptr) HAV_CUDA(cudaFreeHost(buffer));
    });
}

}  // extern "C"
