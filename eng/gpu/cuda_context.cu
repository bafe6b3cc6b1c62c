// How much device memory a bare CUDA context takes on this GPU, driver and CUDA: NVML's used memory before and
// after the runtime creates the primary context (cudaFree(0)), and after one cuBLAS handle, which llama.cpp also makes
// for prompt batches. check.sh adds the context to llama.cpp's own buffer accounting before comparing with NVML.
#include <cstdio>
#include <cuda_runtime.h>
#include <cublas_v2.h>
#include <nvml.h>

static unsigned long long used(nvmlDevice_t device) {
    nvmlMemory_t memory;
    return nvmlDeviceGetMemoryInfo(device, &memory) == NVML_SUCCESS ? memory.used : 0;
}

int main() {
    nvmlDevice_t device;
    if (nvmlInit_v2() != NVML_SUCCESS || nvmlDeviceGetHandleByIndex_v2(0, &device) != NVML_SUCCESS) {
        fprintf(stderr, "NVML unavailable\n");
        return 1;
    }
    unsigned long long before = used(device);
    if (cudaFree(0) != cudaSuccess) {
        fprintf(stderr, "no CUDA context\n");
        return 1;
    }
    unsigned long long context = used(device);
    cublasHandle_t handle;
    cublasCreate(&handle);
    unsigned long long cublas = used(device);
    printf("{\"context_bytes\": %llu, \"cublas_bytes\": %llu}\n", context - before, cublas - context);
    cublasDestroy(handle);
    nvmlShutdown();
    return 0;
}
