// The references bench/speed.sh times pruning-core's selection against, on the very same weights: single-threaded
// std::nth_element over their magnitudes (what a C++ programmer would write), and one streaming pass (a sum) over
// the magnitudes, the memory floor of any selection that reads every weight once.
//
//   nth_element <weights.f32> <sparsity> <runs> <warmup> <out.json>
//
// The weights file is what PruningSpeed writes: little-endian float32, one after the other. Times are medians of
// `runs` after `warmup` untimed runs; nth_element works on a fresh copy of the magnitudes each run (the copy untimed).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

static double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: nth_element <weights.f32> <sparsity> <runs> <warmup> <out.json>\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary | std::ios::ate);
    if (!in) {
        std::fprintf(stderr, "nth_element: cannot read %s\n", argv[1]);
        return 2;
    }
    size_t n = static_cast<size_t>(in.tellg()) / sizeof(float);
    std::vector<float> magnitudes(n);
    in.seekg(0);
    in.read(reinterpret_cast<char*>(magnitudes.data()), static_cast<std::streamsize>(n * sizeof(float)));
    for (float& v : magnitudes) v = std::fabs(v);
    double sparsity = std::atof(argv[2]);
    int runs = std::atoi(argv[3]);
    int warmup = std::atoi(argv[4]);
    size_t count = static_cast<size_t>(std::llround(sparsity * static_cast<double>(n)));
    size_t k = count == 0 ? 0 : count - 1;

    std::vector<double> selectMs, passMs;
    float threshold = 0;
    double sum = 0;
    std::vector<float> copy(n);
    for (int run = 0; run < warmup + runs; run++) {
        copy = magnitudes;
        auto t0 = std::chrono::steady_clock::now();
        std::nth_element(copy.begin(), copy.begin() + static_cast<long>(k), copy.end());
        auto t1 = std::chrono::steady_clock::now();
        threshold = copy[k];
        // Eight partial sums, so that the pass waits on memory, not on one chain of additions.
        float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        const float* p = magnitudes.data();
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            for (int j = 0; j < 8; j++) s[j] += p[i + j];
        }
        for (; i < n; i++) s[0] += p[i];
        auto t2 = std::chrono::steady_clock::now();
        sum = 0;
        for (float v : s) sum += v;
        if (run >= warmup) {
            selectMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
            passMs.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
        }
    }
    std::FILE* out = std::fopen(argv[5], "w");
    if (!out) {
        std::fprintf(stderr, "nth_element: cannot write %s\n", argv[5]);
        return 2;
    }
    std::fprintf(out, "{\"weights\": %zu, \"sparsity\": %g, \"runs\": %d, \"warmup\": %d, \"threshold\": %.9g, "
                 "\"cppNthElementMs\": %.3f, \"streamingPassMs\": %.3f, \"sum\": %.6g}\n", n, sparsity, runs, warmup,
                 threshold, median(selectMs), median(passMs), sum);
    std::fclose(out);
    std::printf("nth_element over %zu magnitudes: %.1f ms; one streaming pass (sum): %.1f ms (medians of %d)\n", n,
                median(selectMs), median(passMs), runs);
    return 0;
}
