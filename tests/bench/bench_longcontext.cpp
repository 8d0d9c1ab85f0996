// SPDX-License-Identifier: MIT
// Long-context benchmark: the mask view's work at L = 131072 without an (L, L) matrix.
// For several rule sets prints the time of exact block sparsity (B = 128 and 16), a full-view
// 1600x1000 raster and a zoomed raster, and the figures (tiles skipped, FLOPs saved); also the
// per-row paths allowedMatrix / additiveMask at L = 1024. Prints figures, never fails on time:
// exits non-zero only if the peak resident memory reaches 200 MiB (an O(L^2) allocation at this
// length would need 16 GiB of bools).
#include "mask/blocksparsity.h"
#include "mask/maskgrid.h"
#include "mask/maskspec.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using namespace maskscope;

namespace {

constexpr int kLength = 131072;
constexpr double kBudgetMiB = 200.0;

double peakResidentMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // Linux reports KiB
}

// Median of `repeat` timed runs, in milliseconds.
double medianMs(int repeat, const std::function<void()>& work)
{
    std::vector<double> ms;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        work();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

struct Case {
    const char* name;
    MaskSpec spec;
};

MaskSpec longSpec(int queryLen = kLength)
{
    MaskSpec s;
    s.queryLen = queryLen;
    s.keyLen = kLength;
    s.selfAttention = queryLen == kLength;
    return s;
}

std::vector<Case> cases()
{
    std::vector<Case> all;
    MaskSpec causal = longSpec();
    causal.causal = true;
    all.push_back({"causal", causal});
    MaskSpec window = causal;
    window.rules.windowLeft = 4095, window.rules.windowRight = 0, window.rules.globalTokens = 4;
    all.push_back({"causal sliding window 4096 + 4 global tokens", window});
    MaskSpec dilated = causal;
    dilated.rules.windowLeft = 16383, dilated.rules.windowRight = 0, dilated.rules.dilation = 4;
    all.push_back({"causal dilated window 16384, dilation 4", dilated});
    MaskSpec unbounded = causal;
    unbounded.rules.dilation = 3;
    all.push_back({"causal, dilation 3, unbounded", unbounded});
    MaskSpec documents = causal;
    documents.rules.segments.assign(64, kLength / 64);
    all.push_back({"64 packed documents, causal within each", documents});
    MaskSpec chunks = causal;
    chunks.rules.chunk = 8192;
    all.push_back({"chunked attention 8192, causal", chunks});
    MaskSpec prefix = causal;
    prefix.rules.prefix = 16384;
    prefix.validLens = {120000};
    all.push_back({"prefix-LM 16384, right padding to 120000", prefix});
    MaskSpec decode = longSpec(4096);
    decode.causal = true;
    decode.rules.causalAlign = CausalAlign::BottomRight;
    all.push_back({"4096 new queries on a 131072 KV cache (bottom-right)", decode});
    return all;
}

void benchCase(const Case& c)
{
    const MaskSpec& s = c.spec;
    BlockSparsity b128, b16;
    const double ms128 = medianMs(3, [&] { b128 = blockSparsity(s, 0, 128); });
    const double ms16 = medianMs(1, [&] { b16 = blockSparsity(s, 0, 16); });
    AllowedRaster raster;
    const double fullMs = medianMs(3, [&] { raster = rasterizeAllowed(s, 0, {0, s.queryLen}, {0, s.keyLen}, 1600, 1000); });
    // Zoomed to 100 x 60 cells around the middle of the diagonal: each cell is 16 pixels wide.
    const int mid = s.queryLen / 2, key = std::min(s.keyLen - 100, mid + alignedQueryOffset(s) - 50);
    const double zoomMs = medianMs(3, [&] { raster = rasterizeAllowed(s, 0, {mid, mid + 60}, {key, key + 100}, 1600, 1000); });
    std::printf("{\"case\": \"%s\", \"query_len\": %d, \"key_len\": %d, "
                "\"blocks128_ms\": %.1f, \"skipped_tiles_128\": %.4f, \"flops_saved_128\": %.4f, "
                "\"full_128\": %lld, \"partial_128\": %lld, \"empty_128\": %lld, "
                "\"blocks16_ms\": %.1f, \"skipped_tiles_16\": %.4f, "
                "\"raster_1600x1000_full_ms\": %.1f, \"raster_1600x1000_zoom_100x60_cells_ms\": %.1f, "
                "\"density\": %.5f}\n",
                c.name, s.queryLen, s.keyLen, ms128, b128.skippedTileFraction(), b128.flopsSavedFraction(),
                static_cast<long long>(b128.fullTiles), static_cast<long long>(b128.partialTiles),
                static_cast<long long>(b128.emptyTiles), ms16, b16.skippedTileFraction(), fullMs, zoomMs,
                static_cast<double>(b128.allowedCells) / static_cast<double>(b128.denseCells));
}

// The materialising per-row paths at the window's trace sizes.
void benchShortPaths()
{
    MaskSpec s;
    s.queryLen = s.keyLen = 1024;
    s.causal = true;
    s.validLens = {1000};
    s.rules.windowLeft = 256, s.rules.windowRight = 0, s.rules.globalTokens = 2;
    BoolMatrix allowed;
    Matrix<float> additive;
    const double allowedMs = medianMs(21, [&] { allowed = allowedMatrix(s, 0); });
    const double additiveMs = medianMs(21, [&] { additiveMask<float>(s, 0, additive); });
    s.rules.dilation = 2;
    const double dilatedMs = medianMs(21, [&] { additiveMask<float>(s, 0, additive); });
    std::printf("{\"case\": \"L = 1024 causal window 256 + padding + global\", \"allowed_matrix_ms\": %.3f, "
                "\"additive_mask_ms\": %.3f, \"additive_mask_dilated_ms\": %.3f}\n",
                allowedMs, additiveMs, dilatedMs);
}

} // namespace

int main()
{
    benchShortPaths();
    for (const Case& c : cases())
        benchCase(c);
    const double peak = peakResidentMiB();
    std::printf("{\"benchmark\": \"long context mask view, L = %d\", \"peak_rss_mib\": %.1f, \"budget_mib\": %.0f}\n",
                kLength, peak, kBudgetMiB);
    return peak < kBudgetMiB ? 0 : 1;
}
