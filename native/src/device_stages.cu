// device_stages.cu: each stage's device launch over host arrays (hav_stages.h with on_device = 1): copies in, the
// engine's own kernels (the functions api.cu calls), copies out. For the tests that hold the kernels to the host
// launches and the CPU engine on a GPU machine.
#include <vector>

#include "stage_launches.h"
#include "stages.cuh"

namespace hav {
namespace device {
namespace {

template <class T>
DeviceBuffer<T> upload(const T* host, std::size_t count, cudaStream_t stream) {
    DeviceBuffer<T> d(count);
    if (count > 0) HAV_CUDA(cudaMemcpyAsync(d.get(), host, count * sizeof(T), cudaMemcpyHostToDevice, stream));
    return d;
}

template <class T>
void download(T* host, const T* device, std::size_t count, cudaStream_t stream) {
    if (count > 0) HAV_CUDA(cudaMemcpyAsync(host, device, count * sizeof(T), cudaMemcpyDeviceToHost, stream));
}

void select_device() { HAV_CUDA(cudaSetDevice(0)); }

SparseP upload_p(const int* row_ptr, const int* col, const float* val, int n, double plogp, cudaStream_t stream) {
    SparseP p;
    p.nnz = row_ptr[n];
    p.row_ptr = upload(row_ptr, static_cast<std::size_t>(n) + 1, stream);
    p.col = upload(col, static_cast<std::size_t>(p.nnz), stream);
    p.val = upload(val, static_cast<std::size_t>(p.nnz), stream);
    p.plogp = plogp;
    return p;
}

}  // namespace

void knn(const float* x, int n, int d, int k, int* idx, float* sqdist) {
    select_device();
    Stream s;
    const std::size_t m = static_cast<std::size_t>(n);
    auto dx = upload(x, m * d, s.get());
    DeviceBuffer<int> di(m * k);
    DeviceBuffer<float> dd(m * k);
    knn_exact(dx.get(), n, d, k, knn_block_rows(n, std::size_t(1) << 28), di.get(), dd.get(), s.get());
    download(idx, di.get(), m * k, s.get());
    download(sqdist, dd.get(), m * k, s.get());
    HAV_CUDA(cudaStreamSynchronize(s.get()));
}

void conditional_p(const float* sqdist, int n, int k, float perplexity, float* p) {
    select_device();
    Stream s;
    const std::size_t count = static_cast<std::size_t>(n) * k;
    auto dd = upload(sqdist, count, s.get());
    DeviceBuffer<float> dp(count);
    hav::conditional_p(dd.get(), n, k, perplexity, dp.get(), s.get());
    download(p, dp.get(), count, s.get());
    HAV_CUDA(cudaStreamSynchronize(s.get()));
}

void symmetrize(const int* idx, const float* pcond, int n, int k, int* row_ptr, int* col, float* val, int* nnz,
                double* plogp) {
    select_device();
    Stream s;
    const std::size_t count = static_cast<std::size_t>(n) * k;
    auto di = upload(idx, count, s.get());
    auto dp = upload(pcond, count, s.get());
    SparseP out;
    hav::symmetrize(di.get(), dp.get(), n, k, out, s.get());
    download(row_ptr, out.row_ptr.get(), static_cast<std::size_t>(n) + 1, s.get());
    download(col, out.col.get(), static_cast<std::size_t>(out.nnz), s.get());
    download(val, out.val.get(), static_cast<std::size_t>(out.nnz), s.get());
    HAV_CUDA(cudaStreamSynchronize(s.get()));
    *nnz = out.nnz;
    *plogp = out.plogp;
}

void tree(const float* y, int n, float* box, int* order, int* child, float* node) {
    select_device();
    Stream s;
    auto dy = upload(reinterpret_cast<const float2*>(y), static_cast<std::size_t>(n), s.get());
    Tree t;
    tree_allocate(t, n);
    DeviceBuffer<double> z(1);
    tree_build(t, dy.get(), z.get(), s.get());
    float4 b;
    download(&b, t.bbox.get(), 1, s.get());
    download(order, t.order_sorted.get(), static_cast<std::size_t>(n), s.get());
    download(child, t.child.get(), 2 * static_cast<std::size_t>(n - 1), s.get());
    download(reinterpret_cast<float4*>(node), t.node.get(), static_cast<std::size_t>(n - 1), s.get());
    HAV_CUDA(cudaStreamSynchronize(s.get()));
    box[0] = b.x;
    box[1] = b.y;
    box[2] = b.z;
}

void forces(const int* row_ptr, const int* col, const float* val, int n, double plogp, const float* y,
            float exaggeration, float theta, bool exact, float* attr, float* rep, double* z, double* kl) {
    select_device();
    Stream s;
    const std::size_t m = static_cast<std::size_t>(n);
    SparseP p = upload_p(row_ptr, col, val, n, plogp, s.get());
    auto dy = upload(reinterpret_cast<const float2*>(y), m, s.get());
    DeviceBuffer<float2> gpart(m), drep(m);
    DeviceBuffer<float> kl_rows(m);
    DeviceBuffer<double> z_sum(1), kl_out(1);
    DeviceBuffer<int> kl_count(1);
    HAV_CUDA(cudaMemsetAsync(kl_count.get(), 0, sizeof(int), s.get()));
    Tree t;
    if (exact) {
        int multiprocessors = 0;
        HAV_CUDA(cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, 0));
        exact_repulsive_forces(dy.get(), n, exact_repulsion_splits(n, multiprocessors), drep.get(), z_sum.get(),
                               s.get());
    } else {
        tree_allocate(t, n);
        tree_build(t, dy.get(), z_sum.get(), s.get());
        repulsive_forces(t, theta, drep.get(), z_sum.get(), s.get());
    }
    attractive_forces(p, dy.get(), n, exaggeration, gpart.get(), kl_rows.get(), s.get());
    kl_reduce(kl_rows.get(), n, plogp, z_sum.get(), kl_out.get(), kl_count.get(), s.get());
    std::vector<float> g(2 * m);
    download(reinterpret_cast<float2*>(g.data()), gpart.get(), m, s.get());
    download(reinterpret_cast<float2*>(rep), drep.get(), m, s.get());
    download(z, z_sum.get(), 1, s.get());
    download(kl, kl_out.get(), 1, s.get());
    HAV_CUDA(cudaStreamSynchronize(s.get()));
    for (std::size_t e = 0; e < 2 * m; ++e) attr[e] = g[e] / 4.f;  // the kernel's 4 exaggeration sum, exactly / 4
}

void update(float* y, float* upd, float* gains, const float* attr, const float* rep, const double* z, int n,
            int snapshots, float learning_rate, float momentum, float min_gain) {
    select_device();
    Stream s;
    const std::size_t total = static_cast<std::size_t>(n) * snapshots;
    std::vector<float> g(2 * total);
    for (std::size_t e = 0; e < 2 * total; ++e) g[e] = 4.f * attr[e];
    auto dy = upload(reinterpret_cast<const float2*>(y), total, s.get());
    auto du = upload(reinterpret_cast<const float2*>(upd), total, s.get());
    auto dg = upload(reinterpret_cast<const float2*>(gains), total, s.get());
    auto da = upload(reinterpret_cast<const float2*>(g.data()), total, s.get());
    auto dr = upload(reinterpret_cast<const float2*>(rep), total, s.get());
    auto dz = upload(z, static_cast<std::size_t>(snapshots), s.get());
    gradient_update(dy.get(), du.get(), dg.get(), da.get(), dr.get(), dz.get(), n, snapshots, learning_rate, momentum,
                    min_gain, s.get());
    download(reinterpret_cast<float2*>(y), dy.get(), total, s.get());
    download(reinterpret_cast<float2*>(upd), du.get(), total, s.get());
    download(reinterpret_cast<float2*>(gains), dg.get(), total, s.get());
    HAV_CUDA(cudaStreamSynchronize(s.get()));
}

void proximal(float* y, int n, int snapshots, double c) {
    select_device();
    Stream s;
    const std::size_t total = static_cast<std::size_t>(n) * snapshots;
    std::vector<double> coeffs(2 * static_cast<std::size_t>(snapshots));
    proximal_coefficients(snapshots, c, coeffs.data(), coeffs.data() + snapshots);
    auto dc = upload(coeffs.data(), coeffs.size(), s.get());
    auto dy = upload(reinterpret_cast<const float2*>(y), total, s.get());
    proximal_coupling(dy.get(), n, snapshots, dc.get(), c, s.get());
    download(reinterpret_cast<float2*>(y), dy.get(), total, s.get());
    HAV_CUDA(cudaStreamSynchronize(s.get()));
}

bool pca(const float* x, int n, int d, const double* q0, int k, int iterations, int sample_rows, float* y) {
    select_device();
    Stream s;
    const std::size_t m = static_cast<std::size_t>(n);
    auto dx = upload(x, m * d, s.get());
    DeviceBuffer<float2> dy(m);
    if (!pca_start(dx.get(), n, d, q0, k, iterations, sample_rows, dy.get(), s.get())) return false;
    download(reinterpret_cast<float2*>(y), dy.get(), m, s.get());
    HAV_CUDA(cudaStreamSynchronize(s.get()));
    return true;
}

}  // namespace device
}  // namespace hav
