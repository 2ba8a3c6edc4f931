// common.cuh: error handling and RAII holders shared by every stage of the CUDA t-SNE engine.
// Host code throws hav::Error (errors.h); the C entry points turn it into a return code and message.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "errors.h"

namespace hav {

inline void check(cudaError_t e, const char* what, const char* file, int line) {
    if (e == cudaSuccess) return;
    int code = (e == cudaErrorMemoryAllocation) ? HAV_ERR_MEMORY : HAV_ERR_CUDA;
    throw Error(code, std::string(what) + " failed (" + file + ":" + std::to_string(line) + "): " +
                          cudaGetErrorName(e) + " (" + std::to_string(static_cast<int>(e)) + "): " +
                          cudaGetErrorString(e));
}

// HAV_CUDA_SYNC=1 synchronises after every kernel (and disables graphs) to locate a failing launch.
bool debug_sync();

inline void after_launch(const char* kernel, const char* file, int line) {
    check(cudaGetLastError(), kernel, file, line);
    if (debug_sync()) check(cudaDeviceSynchronize(), kernel, file, line);
}

#define HAV_CUDA(call) ::hav::check((call), #call, __FILE__, __LINE__)
#define HAV_LAUNCHED(kernel) ::hav::after_launch(kernel, __FILE__, __LINE__)

inline unsigned blocks_for(std::size_t work, unsigned per_block) {
    return static_cast<unsigned>((work + per_block - 1) / per_block);
}

// Owns one device allocation; freed on every path (destructor), move-only.
template <class T>
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(std::size_t count) { allocate(count); }
    ~DeviceBuffer() { release(); }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), count_(std::exchange(o.count_, 0)) {}
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
        if (this != &o) {
            release();
            ptr_ = std::exchange(o.ptr_, nullptr);
            count_ = std::exchange(o.count_, 0);
        }
        return *this;
    }
    void allocate(std::size_t count) {
        release();
        if (count == 0) return;
        void* p = nullptr;
        cudaError_t e = cudaMalloc(&p, count * sizeof(T));
        if (e != cudaSuccess) {
            cudaGetLastError();  // clear the error so later calls are not blamed for it
            throw Error(HAV_ERR_MEMORY, "cudaMalloc of " + std::to_string(count * sizeof(T) >> 20) +
                                            " MiB failed: " + cudaGetErrorString(e));
        }
        ptr_ = static_cast<T*>(p);
        count_ = count;
    }
    void release() noexcept {
        if (ptr_) cudaFree(ptr_);
        ptr_ = nullptr;
        count_ = 0;
    }
    T* get() const { return ptr_; }
    std::size_t size() const { return count_; }
    std::size_t bytes() const { return count_ * sizeof(T); }

private:
    T* ptr_ = nullptr;
    std::size_t count_ = 0;
};

class Stream {
public:
    Stream() { HAV_CUDA(cudaStreamCreateWithFlags(&s_, cudaStreamNonBlocking)); }
    ~Stream() { if (s_) cudaStreamDestroy(s_); }
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    cudaStream_t get() const { return s_; }

private:
    cudaStream_t s_ = nullptr;
};

class Event {
public:
    Event() { HAV_CUDA(cudaEventCreate(&e_)); }
    ~Event() { if (e_) cudaEventDestroy(e_); }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    cudaEvent_t get() const { return e_; }

private:
    cudaEvent_t e_ = nullptr;
};

class Graph {
public:
    Graph() = default;
    ~Graph() { reset(); }
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;
    void reset() {
        if (exec_) cudaGraphExecDestroy(exec_);
        if (graph_) cudaGraphDestroy(graph_);
        exec_ = nullptr;
        graph_ = nullptr;
    }
    cudaGraph_t* graph_slot() { return &graph_; }
    cudaGraph_t graph() const { return graph_; }
    cudaGraphExec_t* exec_slot() { return &exec_; }
    cudaGraphExec_t exec() const { return exec_; }

private:
    cudaGraph_t graph_ = nullptr;
    cudaGraphExec_t exec_ = nullptr;
};

}  // namespace hav
