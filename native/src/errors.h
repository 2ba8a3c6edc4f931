// errors.h: the error type of the native engine and the guard that turns it into a status code at the C boundary.
// Plain C++ (no CUDA header), shared by the engine (api.cu) and the stage entry points (stages_api.cu).
#pragma once

#include <cstdio>
#include <new>
#include <stdexcept>
#include <string>

#include "hav_tsne.h"

namespace hav {

struct Error : std::runtime_error {
    int code;
    Error(int c, const std::string& message) : std::runtime_error(message), code(c) {}
};

inline void write_message(char* err, int errlen, const char* text) {
    if (err == nullptr || errlen <= 0) return;
    std::snprintf(err, static_cast<std::size_t>(errlen), "%s", text);
}

// Runs body; every C++ exception becomes a status code and a message (nothing is thrown across the C boundary).
template <class F>
int guarded(char* err, int errlen, F&& body) {
    write_message(err, errlen, "");
    try {
        body();
        return HAV_OK;
    } catch (const Error& e) {
        write_message(err, errlen, e.what());
        return e.code;
    } catch (const std::bad_alloc&) {
        write_message(err, errlen, "out of host memory");
        return HAV_ERR_MEMORY;
    } catch (const std::exception& e) {
        write_message(err, errlen, e.what());
        return HAV_ERR_INTERNAL;
    } catch (...) {
        write_message(err, errlen, "unknown C++ exception");
        return HAV_ERR_INTERNAL;
    }
}

inline void require(bool ok, const std::string& message) {
    if (!ok) throw Error(HAV_ERR_ARGUMENT, message);
}

}  // namespace hav
