// SPDX-License-Identifier: MIT
// The attention engine of one x86-64 level: AttentionEngine's computation (attention.h),
// compiled once per level in the namespace maskscope::MASKSCOPE_ISA_NS (kernelengine.h).
#include "attention/kernelengine.h"

#include "attention/precision.h"
#include "base/eigenblocking.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#if defined(__SSE2__) || defined(__AVX__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace maskscope::MASKSCOPE_ISA_NS {

namespace {

// Rows of a (Lq, Lk) weights block whose products with V are computed together; within a block
// only the key range that holds a non-zero weight is multiplied (causal masks skip ~half).
constexpr int kRowBlock = 64;

// Query rows computed together, head after head: the panel's additive mask, mean and one
// head's logits, scores, masked logits and weights (6 x rows x Lk scalars) stay within ~1.5 MiB
// of L2.
// A function of the sizes only, never of the machine, so results do not depend on the cache.
int panelRows(int keyLen, std::size_t scalarBytes)
{
    const std::size_t budget = 1536 * 1024;
    const std::size_t perRow = 6 * static_cast<std::size_t>(keyLen) * scalarBytes;
    int rows = kRowBlock;
    while (rows > 16 && static_cast<std::size_t>(rows) * perRow > budget)
        rows /= 2;
    return rows;
}

// Above this many bytes of kept matrices, a trace is far larger than the caches and is written
// with streaming stores (see copyOut).
constexpr std::size_t kStreamingBytes = 8u << 20;

// std::copy_n with non-temporal stores where the processor has them: the destination's cache
// lines are written whole, without being read from memory first. Same bytes as std::copy_n.
template <typename T>
void streamCopy(const T* from, T* to, std::size_t count)
{
#if defined(__AVX512F__) || defined(__AVX__) || defined(__SSE2__)
#if defined(__AVX512F__)
    using Chunk = __m512i; // one whole cache line per store
    const auto store = [](char* d, const char* s) {
        _mm512_stream_si512(reinterpret_cast<Chunk*>(d), _mm512_loadu_si512(reinterpret_cast<const Chunk*>(s)));
    };
#elif defined(__AVX__)
    using Chunk = __m256i;
    const auto store = [](char* d, const char* s) {
        _mm256_stream_si256(reinterpret_cast<Chunk*>(d), _mm256_loadu_si256(reinterpret_cast<const Chunk*>(s)));
    };
#else
    using Chunk = __m128i;
    const auto store = [](char* d, const char* s) {
        _mm_stream_si128(reinterpret_cast<Chunk*>(d), _mm_loadu_si128(reinterpret_cast<const Chunk*>(s)));
    };
#endif
    constexpr std::size_t kChunk = sizeof(Chunk);
    auto* src = reinterpret_cast<const char*>(from);
    auto* dst = reinterpret_cast<char*>(to);
    std::size_t bytes = count * sizeof(T);
    const std::size_t head = std::min(bytes, (kChunk - reinterpret_cast<std::uintptr_t>(dst) % kChunk) % kChunk);
    std::memcpy(dst, src, head);
    src += head, dst += head, bytes -= head;
    for (; bytes >= kChunk; src += kChunk, dst += kChunk, bytes -= kChunk)
        store(dst, src);
    std::memcpy(dst, src, bytes);
#else
    std::copy_n(from, count, to);
#endif
}

// Orders the streaming stores before anything that follows (another thread reading the trace).
void streamingStoresDone()
{
#if defined(__SSE2__)
    _mm_sfence();
#endif
}

// Logits panels computed by Eigen's own GEMM kernel, as `panel = Q_panel * Kᵀ` computes them
// (same micro-kernel, same blocks of depth, same order of summation), but with K packed once per
// head instead of once per panel: the packing was a tenth of a recompute.
template <typename T>
struct LogitsKernel {
    using Index = Eigen::Index;
    using Traits = Eigen::internal::gebp_traits<T, T>;
    using Mapper = Eigen::internal::const_blas_data_mapper<T, Index, Eigen::ColMajor>;
    using ResMapper = Eigen::internal::blas_data_mapper<T, Index, Eigen::ColMajor, Eigen::Unaligned, 1>;
    using PackLhs = Eigen::internal::gemm_pack_lhs<T, Index, Mapper, Traits::mr, Traits::LhsProgress,
                                                   typename Traits::LhsPacket4Packing, Eigen::ColMajor>;
    using PackRhs = Eigen::internal::gemm_pack_rhs<T, Index, Mapper, Traits::nr, Eigen::ColMajor>;
    using Gebp = Eigen::internal::gebp_kernel<T, T, Index, ResMapper, Traits::mr, Traits::nr, false, false>;

    Index lk, dk;
    Index depthBlock; // the depth Eigen's product blocks by (a function of dk and the pinned caches)

    LogitsKernel(Index keyLen, Index headDim) : lk(keyLen), dk(headDim), depthBlock(headDim)
    {
        Index mc = keyLen, nc = kRowBlock;
        Eigen::internal::computeProductBlockingSizes<T, T, 1, Index>(depthBlock, mc, nc, 1);
    }
    Index depthAt(Index k0) const { return std::min(depthBlock, dk - k0); }

    /// Packs K from `keysByRow` = Kᵀ, (dk, lk) row-major, i.e. K column-major with stride lk.
    void packKeys(const T* keysByRow, Vector<T>& packed) const
    {
        packed.resize(lk * dk);
        for (Index k0 = 0; k0 < dk; k0 += depthBlock)
            PackLhs()(packed.data() + lk * k0, Mapper(keysByRow + k0 * lk, lk), depthAt(k0), lk);
    }

    /// out, (rows, lk) row-major and dense, = Q Kᵀ for Q (rows, dk) row-major with stride ldq.
    void multiply(const Vector<T>& packedKeys, const T* q, Index ldq, Index rows, Vector<T>& scratch, T* out) const
    {
        scratch.resize(dk * rows);
        std::fill_n(out, rows * lk, T(0)); // the kernel accumulates, as in Eigen's product
        for (Index k0 = 0; k0 < dk; k0 += depthBlock) {
            PackRhs()(scratch.data(), Mapper(q + k0, ldq), depthAt(k0), rows);
            Gebp()(ResMapper(out, lk), packedKeys.data() + lk * k0, scratch.data(), lk, depthAt(k0), rows, T(1));
        }
    }
};

KeyRange unionOf(const std::vector<KeyRange>& ranges, int begin, int end)
{
    KeyRange u{std::numeric_limits<int>::max(), -1};
    for (int i = begin; i < end; ++i) {
        u.first = std::min(u.first, ranges[static_cast<size_t>(i)].first);
        u.last = std::max(u.last, ranges[static_cast<size_t>(i)].last);
    }
    return u;
}

template <typename T>
void ensureSize(Matrix<T>& m, Eigen::Index rows, Eigen::Index cols)
{
    if (m.rows() != rows || m.cols() != cols)
        m.resize(rows, cols);
}

} // namespace

template <typename T>
Engine<T>::Engine()
{
    pinEigenBlocking();
}

template <typename T>
void Engine<T>::compute(const AttentionInputs<T>& inputs, const MaskSpec& mask, const ScoreModifiers& modifiers,
                        const TraceRequest& request, AttentionTrace<T>& trace)
{
    modifiers_ = modifiers;
    slopes_ = modifiers.alibi ? alibiSlopes(inputs.heads) : std::vector<double>();
    const Pitfalls& p = mask.pitfalls;
    lab_.discardMask = p.has(Pitfall::MaskedFillNotInplace);
    lab_.replace = p.maskApply == MaskApply::Replace;
    lab_.kvFromQuery = p.has(Pitfall::QprojForKv);
    lab_.blockedRows = p.blockedRows;
    lab_.format = p.format;
    lab_.row = RowLab::of(p);
    const AttentionInputs<T>& in = lab_.rounds() ? roundedInputs(inputs) : inputs;
    const int first = request.batchItem < 0 ? 0 : request.batchItem;
    const int count = request.batchItem < 0 ? inputs.batch() : 1;
    trace.batches.resize(static_cast<size_t>(count));
    for (int k = 0; k < count; ++k) {
        trace.batches[static_cast<size_t>(k)].batchItem = first + k;
        computeBatch(in, mask, request, trace.batches[static_cast<size_t>(k)]);
    }
}

template <typename T>
void Engine<T>::computeBatch(const AttentionInputs<T>& in, const MaskSpec& mask,
                             const TraceRequest& req, BatchTrace<T>& out)
{
    const int b = out.batchItem;
    out.queryIsPad = mask.queryPadFlags(b);
    out.keyIsPad = mask.keyPadFlags(b);
    BoolMatrix allowed = allowedMatrix(mask, b);
    out.rowFullyBlocked = fullyBlockedRows(allowed);
    if (lab_.replace)
        labAllowed_ = allowed;
    out.allowed = req.mask ? std::move(allowed) : BoolMatrix();
    Matrix<T>& additive = req.mask ? out.additiveMask : additive_;
    additiveMask<T>(mask, b, additive);
    out.maskApplied = !lab_.discardMask;
    out.blockedRowOutcomes = blockedRowOutcomes(out.rowFullyBlocked, additive, mask.pitfalls,
                                                modifiers_.hasSinkLogit());
    live_.resize(out.rowFullyBlocked.size());
    for (size_t i = 0; i < live_.size(); ++i)
        live_[i] = liveKeys(additive.row(static_cast<Eigen::Index>(i)).data(), in.keyLen(), lab_.row,
                            out.rowFullyBlocked[i]);
    alignedOffset_ = alignedQueryOffset(mask);

    const int firstHead = req.head < 0 ? 0 : req.head;
    const int headCount = req.head < 0 ? in.heads : 1;
    const bool keepsHeadMatrices =
        req.logits || (req.scores && modifiers_.active()) || req.maskedLogits || req.weights;
    out.heads.resize(keepsHeadMatrices ? static_cast<size_t>(headCount) : 0);
    buffers_.resize(static_cast<size_t>(headCount));
    for (int k = 0; k < headCount; ++k) {
        HeadTrace<T>* head = keepsHeadMatrices ? &out.heads[static_cast<size_t>(k)] : nullptr;
        if (head)
            head->head = firstHead + k;
        buffers_[static_cast<size_t>(k)] = chooseBuffers(req, head, in.queryLen(), in.keyLen());
    }
    headDim_ = in.headDim();
    ensureSize(q_, in.queryLen(), headCount * in.headDim());
    ensureSize(k_, in.keyLen(), headCount * in.headDim());
    ensureSize(keysByRow_, headCount * in.headDim(), in.keyLen());
    for (int k = 0; k < headCount; ++k)
        projectQueriesAndKeys(in, b, firstHead + k, k);
    if (req.output)
        projectValues(in, b);
    if (req.meanWeights)
        ensureSize(out.meanWeights, in.queryLen(), in.keyLen());
    else
        out.meanWeights.resize(0, 0);
    // Rows outer, heads inner: a panel's logits, masked logits, weights and mean are produced
    // and consumed while they are in cache, and every (Lq, Lk) matrix is written once, never
    // read back from memory.
    const int panel = panelRows(in.keyLen(), sizeof(T));
    for (Matrix<T>* m : {&panelLogits_, &panelScores_, &panelMasked_, &panelWeights_})
        ensureSize(*m, panel, in.keyLen());
    streamOut_ = keptBytes(req, headCount, in.queryLen(), in.keyLen()) > kStreamingBytes;
    for (int r0 = 0; r0 < in.queryLen(); r0 += panel)
        for (int k = 0; k < headCount; ++k)
            computePanel(req, additive, out, k, firstHead + k, r0, std::min(panel, in.queryLen() - r0));
    if (streamOut_)
        streamingStoresDone();
    if (!req.mask)
        out.additiveMask.resize(0, 0);
    if (req.output)
        projectOutput(in, out);
    else
        out.output.resize(0, 0);
}

template <typename T>
typename Engine<T>::HeadBuffers
Engine<T>::chooseBuffers(const TraceRequest& req, HeadTrace<T>* head, int lq, int lk)
{
    // Every stage is computed in the panel buffers; the request says which ones are copied out.
    const auto keep = [&](bool wanted, Matrix<T>& m) -> Matrix<T>* {
        if (!wanted) {
            m.resize(0, 0);
            return nullptr;
        }
        ensureSize(m, lq, lk);
        return &m;
    };
    if (!head)
        return HeadBuffers{};
    return HeadBuffers{keep(req.logits, head->logits), keep(req.scores && modifiers_.active(), head->scores),
                       keep(req.maskedLogits, head->maskedLogits), keep(req.weights, head->weights)};
}

// Projects the queries and keys of `head` (its rows of in_proj_weight) into column block k of
// q_ and k_, with one product each whichever other heads are requested. Projected inputs
// (AttentionInputs::projected) are copied as they are: their producer applied the lab.
template <typename T>
void Engine<T>::projectQueriesAndKeys(const AttentionInputs<T>& in, int b, int head, int k)
{
    const int e = in.embedDim();
    const int dk = in.headDim();
    const auto rows = [&](int which) { return in.inProjWeight.middleRows(which * e + head * dk, dk); };
    const auto bias = [&](int which) { return in.inProjBias.segment(which * e + head * dk, dk); };
    const int keyBlock = lab_.kvFromQuery ? 0 : 1;
    auto q = q_.middleCols(k * dk, dk);
    auto key = k_.middleCols(k * dk, dk);
    // Rounded after the product and again after the bias, as nn.MultiheadAttention(batch_first=
    // True) does: it hands F.linear a transposed (non-contiguous) input, which adds the bias
    // separately instead of fusing it into addmm.
    if (in.projected) {
        q = in.query[static_cast<size_t>(b)].middleCols(head * dk, dk);
    } else {
        q.noalias() = in.query[static_cast<size_t>(b)] * rows(0).transpose();
        roundBlockTo(lab_.format, q);
        q.rowwise() += bias(0).transpose();
        roundBlockTo(lab_.format, q);
    }
    // PyTorch divides q (not the product) by sqrt(d_k) before the matmul; we round the same way.
    q /= scaleDivisor(dk);
    roundBlockTo(lab_.format, q);
    if (in.projected) {
        key = in.key[static_cast<size_t>(b)].middleCols(head * dk, dk);
    } else {
        key.noalias() = in.key[static_cast<size_t>(b)] * rows(keyBlock).transpose();
        roundBlockTo(lab_.format, key);
        key.rowwise() += bias(keyBlock).transpose();
        roundBlockTo(lab_.format, key);
    }
    // Kᵀ stored row by row: the logits product then packs contiguous columns of K, several
    // times faster than gathering its rows, and sums in the same order.
    keysByRow_.middleRows(k * dk, dk) = key.transpose();
    packedKeys_.resize(std::max(packedKeys_.size(), static_cast<size_t>(k + 1)));
    LogitsKernel<T>(in.keyLen(), dk).packKeys(keysByRow_.row(k * dk).data(), packedKeys_[static_cast<size_t>(k)]);
}

// Values of every head, for the keys that carry a weight in some row (the others are never read).
template <typename T>
void Engine<T>::projectValues(const AttentionInputs<T>& in, int b)
{
    const int e = in.embedDim();
    usedKeys_ = unionOf(live_, 0, in.queryLen());
    const int usedRows = usedKeys_.last - usedKeys_.first + 1;
    const int valueBlock = lab_.kvFromQuery ? 0 : 2 * e;
    ensureSize(v_, in.keyLen(), e);
    auto v = v_.middleRows(usedKeys_.first, usedRows);
    if (in.projected) {
        v = in.value[static_cast<size_t>(b)].middleRows(usedKeys_.first, usedRows);
    } else {
        v.noalias() = in.value[static_cast<size_t>(b)].middleRows(usedKeys_.first, usedRows) *
                      in.inProjWeight.middleRows(valueBlock, e).transpose();
        roundBlockTo(lab_.format, v);
        v.rowwise() += in.inProjBias.segment(valueBlock, e).transpose();
        roundBlockTo(lab_.format, v);
    }
    ensureSize(concat_, in.queryLen(), e);
}

// Rows [r0, r0 + rows) of head `head` (index k among the requested ones), every stage.
template <typename T>
void Engine<T>::computePanel(const TraceRequest& req, const Matrix<T>& additive,
                                      BatchTrace<T>& out, int k, int head, int r0, int rows)
{
    panelStart_ = r0;
    headSink_.reset();
    if (const std::optional<double> sink = modifiers_.sinkLogit(head)) {
        T x = static_cast<T>(*sink);
        roundTo(lab_.format, &x, 1); // a model's sinks are parameters in its format
        headSink_ = x;
    }
    computeLogits(k, r0, rows);
    if (modifiers_.active())
        computeScores(head, rows);
    softmaxRows(req, additive, out, k, r0, rows);
    if (req.output)
        multiplyValues(head, r0, rows);
    copyOut(buffers_[static_cast<size_t>(k)], r0, rows);
}

// The panel's stages into the matrices the request keeps. Large traces are written with
// streaming stores: nothing reads them back here, and a cache line written whole need not be
// fetched from memory first.
template <typename T>
void Engine<T>::copyOut(const HeadBuffers& kept, int r0, int rows) const
{
    const auto n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(panelLogits_.cols());
    const std::pair<const Matrix<T>*, Matrix<T>*> stages[] = {{&panelLogits_, kept.logits},
        {&panelScores_, kept.scores}, {&panelMasked_, kept.masked}, {&panelWeights_, kept.weights}};
    for (const auto& [from, to] : stages)
        if (to) {
            if (streamOut_)
                streamCopy(from->data(), to->row(r0).data(), n);
            else
                std::copy_n(from->data(), n, to->row(r0).data());
        }
}

template <typename T>
void Engine<T>::computeLogits(int k, int r0, int rows)
{
    const int dk = headDim_;
    LogitsKernel<T>(keysByRow_.cols(), dk)
        .multiply(packedKeys_[static_cast<size_t>(k)], q_.row(r0).data() + k * dk, q_.cols(), rows, packedQueries_,
                  panelLogits_.data());
    roundRows(panelLogits_, rows);
}

template <typename T>
void Engine<T>::computeScores(int head, int rows)
{
    const double slope = slopes_.empty() ? 0.0 : slopes_[static_cast<size_t>(head)];
    applyScoreModifiers<T>(modifiers_, slope, alignedOffset_ + panelStart_, panelLogits_.topRows(rows),
                           panelScores_.topRows(rows));
    roundRows(panelScores_, rows);
}

template <typename T>
void Engine<T>::softmaxRows(const TraceRequest& req, const Matrix<T>& additive,
                                     BatchTrace<T>& out, int k, int r0, int rows)
{
    const Matrix<T>& scores = modifiers_.active() ? panelScores_ : panelLogits_;
    const int lk = static_cast<int>(additive.cols());
    for (int p = 0; p < rows; ++p) {
        const int i = r0 + p;
        const auto row = static_cast<size_t>(i);
        const MaskRow<T> input{scores.row(p).data(), additive.row(i).data(),
                               lab_.replace ? labAllowed_.row(i).data() : nullptr, lk, out.rowFullyBlocked[row],
                               headSink_ ? &*headSink_ : nullptr};
        maskAndSoftmax(input, lab_.row, live_[row], panelMasked_.row(p).data(), panelWeights_.row(p).data());
    }
    if (!req.meanWeights)
        return;
    // Summed in head order, as weights.sum(dim=1) does; the first head starts the sum.
    auto mean = out.meanWeights.middleRows(r0, rows);
    if (k == 0)
        mean = panelWeights_.topRows(rows);
    else
        mean += panelWeights_.topRows(rows);
    if (k + 1 == static_cast<int>(buffers_.size()))
        averageHeads(mean);
}

// head_out = weights V_h for the panel's rows, in blocks of rows whose keys with a non-zero weight
// are multiplied alone (a causal mask skips about half).
template <typename T>
void Engine<T>::multiplyValues(int head, int r0, int rows)
{
    const int dk = headDim_;
    for (int b0 = r0; b0 < r0 + rows; b0 += kRowBlock) {
        const int blockRows = std::min(kRowBlock, r0 + rows - b0);
        const KeyRange span = unionOf(live_, b0, b0 + blockRows);
        const int width = span.last - span.first + 1;
        concat_.block(b0, head * dk, blockRows, dk).noalias() =
            panelWeights_.block(b0 - r0, span.first, blockRows, width) * v_.block(span.first, head * dk, width, dk);
    }
}

template <typename T>
void Engine<T>::projectOutput(const AttentionInputs<T>& in, BatchTrace<T>& out)
{
    round(concat_); // each head's output, stored by bmm before the heads are concatenated
    // out_proj gets a contiguous 2-D input: addmm adds the bias before its single rounding.
    out.output.noalias() = concat_ * in.outProjWeight.transpose();
    out.output.rowwise() += in.outProjBias.transpose();
    round(out.output);
}

template <typename T>
void Engine<T>::roundRows(Matrix<T>& m, int rows) const
{
    roundTo(lab_.format, m.data(), static_cast<Eigen::Index>(rows) * m.cols());
}

// Bytes of (Lq, Lk) matrices the request keeps, for choosing how to write them.
template <typename T>
std::size_t Engine<T>::keptBytes(const TraceRequest& req, int heads, int lq, int lk) const
{
    const int stages = int(req.logits) + int(req.scores && modifiers_.active()) + int(req.maskedLogits) +
                       int(req.weights);
    return static_cast<std::size_t>(stages) * static_cast<std::size_t>(heads) * static_cast<std::size_t>(lq) *
           static_cast<std::size_t>(lk) * sizeof(T);
}

// PyTorch: weights.sum(dim=1) / num_heads, each result stored in the format.
template <typename T>
void Engine<T>::averageHeads(Eigen::Ref<Matrix<T>> sum) const
{
    roundBlockTo(lab_.format, sum);
    sum /= static_cast<T>(buffers_.size());
    roundBlockTo(lab_.format, sum);
}

template <typename T>
T Engine<T>::scaleDivisor(int headDim) const
{
    const double root = std::sqrt(static_cast<double>(headDim));
    if (!lab_.rounds())
        return static_cast<T>(root);
    return static_cast<T>(roundTo(lab_.format, static_cast<float>(root)));
}

template <typename T>
void Engine<T>::round(Matrix<T>& m) const
{
    roundTo(lab_.format, m);
}

template <typename T>
const AttentionInputs<T>& Engine<T>::roundedInputs(const AttentionInputs<T>& inputs)
{
    rounded_ = inputs;
    for (auto* batch : {&rounded_.query, &rounded_.key, &rounded_.value})
        for (Matrix<T>& m : *batch)
            roundTo(lab_.format, m);
    roundTo(lab_.format, rounded_.inProjWeight);
    roundTo(lab_.format, rounded_.inProjBias);
    roundTo(lab_.format, rounded_.outProjWeight);
    roundTo(lab_.format, rounded_.outProjBias);
    return rounded_;
}

template class Engine<float>;
template class Engine<double>;

} // namespace maskscope::MASKSCOPE_ISA_NS
