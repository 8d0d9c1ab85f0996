#include "attention.h"

#include "precision.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <type_traits>
#include <unistd.h>

namespace maskscope {

namespace {

// Eigen sizes its GEMM blocks from the cache sizes it detects at run time, which changes the
// order of summation from one machine to another. Pinning them keeps results reproducible.
void pinEigenBlocking()
{
    static std::once_flag once;
    std::call_once(once, [] { Eigen::setCpuCacheSizes(32 * 1024, 1024 * 1024, 8 * 1024 * 1024); });
}

// Rows of a (Lq, Lk) weights block whose products with V are computed together; within a block
// only the key range that holds a non-zero weight is multiplied (causal masks skip ~half).
constexpr int kRowBlock = 64;

// Outside a row's live range the additive mask is -inf, so exp(-inf - max) is exactly 0 whatever
// the logits: the softmax and the product with V can skip those keys without changing a bit.
// A row that is -inf everywhere keeps every key: its softmax is NaN (-inf - -inf), as in PyTorch,
// and that NaN must reach the output.
template <typename T>
std::vector<KeyRange> liveKeyRanges(const Matrix<T>& additive)
{
    const int lq = static_cast<int>(additive.rows());
    const int lk = static_cast<int>(additive.cols());
    std::vector<KeyRange> ranges(static_cast<size_t>(lq));
    for (int i = 0; i < lq; ++i) {
        const T* row = additive.row(i).data();
        KeyRange r{0, lk - 1};
        while (r.first < lk && std::isinf(row[r.first]) && row[r.first] < 0)
            ++r.first;
        while (r.last > r.first && std::isinf(row[r.last]) && row[r.last] < 0)
            --r.last;
        ranges[static_cast<size_t>(i)] = r.first < lk ? r : KeyRange{0, lk - 1};
    }
    return ranges;
}

KeyRange unionOf(const std::vector<KeyRange>& ranges, int begin, int end)
{
    KeyRange u{std::numeric_limits<int>::max(), -1};
    for (int i = begin; i < end; ++i) {
        u.first = std::min(u.first, ranges[static_cast<size_t>(i)].first);
        u.last = std::max(u.last, ranges[static_cast<size_t>(i)].last);
    }
    return u;
}

// weights = softmax(masked) over the row, stabilised by the row maximum and normalised by
// multiplying with 1/sum as torch.softmax does; keys outside `live` get 0. May alias.
template <typename T>
inline void softmaxRow(const T* masked, T* weights, int n, KeyRange live)
{
    using Row = Eigen::Array<T, 1, Eigen::Dynamic>;
    const int width = live.last - live.first + 1;
    const Eigen::Map<const Row> m(masked + live.first, width);
    const T max = m.maxCoeff();
    Eigen::Map<Row> w(weights + live.first, width);
    w = (m - max).exp();
    w *= T(1) / w.sum();
    std::fill(weights, weights + live.first, T(0));
    std::fill(weights + live.last + 1, weights + n, T(0));
}

// masked = logits + additive over the row, then weights = softmax(masked). Any of the three
// pointers may alias: each cell is read before it is written.
template <typename T>
void maskAndSoftmaxRow(const T* logits, const T* additive, T* masked, T* weights, int n, KeyRange live)
{
    using Row = Eigen::Array<T, 1, Eigen::Dynamic>;
    Eigen::Map<Row>(masked, n) = Eigen::Map<const Row>(logits, n) + Eigen::Map<const Row>(additive, n);
    softmaxRow(masked, weights, n, live);
}

// One row of the pitfall lab: the mask added, replaced (masked_fill) or discarded; the policy for
// a row without an allowed key; every stored stage rounded to the format.
template <typename T>
struct LabRow {
    const T* scores;
    const T* additive;
    const bool* allowed; // the row of the allowed matrix (needed by Replace)
    T* masked;
    T* weights;
    int n;
    KeyRange live;
    bool fullyBlocked;
};

template <typename T>
void applyMaskRow(const LabRow<T>& r, bool discard, bool replace)
{
    using Row = Eigen::Array<T, 1, Eigen::Dynamic>;
    const Eigen::Map<const Row> scores(r.scores, r.n), additive(r.additive, r.n);
    Eigen::Map<Row> masked(r.masked, r.n);
    if (discard) // scores.masked_fill(...) computed a new tensor and dropped it
        masked = scores;
    else if (replace)
        for (int j = 0; j < r.n; ++j)
            r.masked[j] = r.allowed[j] ? r.scores[j] + r.additive[j] : r.additive[j];
    else
        masked = scores + additive;
}

template <typename T>
void labMaskAndSoftmaxRow(const LabRow<T>& r, bool discard, bool replace, BlockedRows policy,
                          NumberFormat format)
{
    applyMaskRow(r, discard, replace);
    roundTo(format, r.masked, r.n);
    softmaxRow(r.masked, r.weights, r.n, r.live);
    if (r.fullyBlocked && !discard && policy == BlockedRows::Zero)
        std::fill(r.weights, r.weights + r.n, T(0));
    if (r.fullyBlocked && !discard && policy == BlockedRows::Uniform)
        std::fill(r.weights, r.weights + r.n, T(1) / static_cast<T>(r.n));
    roundTo(format, r.weights, r.n);
}

template <typename T>
bool allNegInf(const T* row, int n)
{
    return std::all_of(row, row + n, [](T v) { return std::isinf(v) && v < 0; });
}

template <typename T>
bool allEqual(const T* row, int n)
{
    return std::all_of(row, row + n, [&](T v) { return v == row[0]; });
}

// What each row returns, judged from the policy and the row's mask values (cheap: only rows
// without an allowed key are looked at).
template <typename T>
std::vector<BlockedRowOutcome> blockedRowOutcomes(const std::vector<bool>& fullyBlocked,
                                                  const Matrix<T>& additive, bool discard,
                                                  bool replace, BlockedRows policy)
{
    std::vector<BlockedRowOutcome> outcomes(fullyBlocked.size(), BlockedRowOutcome::Ordinary);
    const int n = static_cast<int>(additive.cols());
    for (size_t i = 0; i < fullyBlocked.size(); ++i) {
        if (!fullyBlocked[i])
            continue;
        const T* row = additive.row(static_cast<Eigen::Index>(i)).data();
        if (discard)
            outcomes[i] = BlockedRowOutcome::MaskNotApplied;
        else if (policy == BlockedRows::Zero)
            outcomes[i] = BlockedRowOutcome::Zero;
        else if (policy == BlockedRows::Uniform)
            outcomes[i] = BlockedRowOutcome::Uniform;
        else if (allNegInf(row, n))
            outcomes[i] = BlockedRowOutcome::Nan;
        else if (replace && allEqual(row, n))
            outcomes[i] = BlockedRowOutcome::Uniform;
        else
            outcomes[i] = BlockedRowOutcome::FillDependent;
    }
    return outcomes;
}

template <typename T>
void ensureSize(Matrix<T>& m, Eigen::Index rows, Eigen::Index cols)
{
    if (m.rows() != rows || m.cols() != cols)
        m.resize(rows, cols);
}

void checkRequest(const TraceRequest& r, int batch, int heads)
{
    if (r.batchItem < -1 || r.batchItem >= batch)
        throw InputError("batch item " + std::to_string(r.batchItem) + " is outside 0.." +
                         std::to_string(batch - 1));
    if (r.head < -1 || r.head >= heads)
        throw InputError("head " + std::to_string(r.head) + " is outside 0.." +
                         std::to_string(heads - 1));
    if (r.head != -1 && (r.meanWeights || r.output))
        throw InputError("the mean over heads and the output need every head");
}

template <typename T>
void checkFormat(NumberFormat format)
{
    if (std::is_same_v<T, double> && format != NumberFormat::Native)
        throw InputError("float32, float16 and bfloat16 compute in float32: convert float64 inputs "
                         "first (buildScenario does)");
}

} // namespace

template <typename T>
std::vector<BlockedRowOutcome> blockedRowOutcomes(const std::vector<bool>& fullyBlocked,
                                                  const Matrix<T>& additive, const Pitfalls& p)
{
    return blockedRowOutcomes(fullyBlocked, additive, p.has(Pitfall::MaskedFillNotInplace),
                              p.maskApply == MaskApply::Replace, p.blockedRows);
}

template std::vector<BlockedRowOutcome> blockedRowOutcomes<float>(const std::vector<bool>&,
                                                                  const Matrix<float>&, const Pitfalls&);
template std::vector<BlockedRowOutcome> blockedRowOutcomes<double>(const std::vector<bool>&,
                                                                   const Matrix<double>&, const Pitfalls&);

template <typename T>
AttentionEngine<T>::AttentionEngine()
{
    pinEigenBlocking();
}

template <typename T>
void AttentionEngine<T>::compute(const AttentionInputs<T>& inputs, const MaskSpec& mask,
                                 const TraceRequest& request, AttentionTrace<T>& trace)
{
    compute(inputs, mask, ScoreModifiers{}, request, trace);
}

template <typename T>
void AttentionEngine<T>::compute(const AttentionInputs<T>& inputs, const MaskSpec& mask,
                                 const ScoreModifiers& modifiers, const TraceRequest& request,
                                 AttentionTrace<T>& trace)
{
    modifiers.validate();
    modifiers_ = modifiers;
    slopes_ = modifiers.alibi ? alibiSlopes(inputs.heads) : std::vector<double>();
    inputs.validate();
    mask.validate();
    if (mask.batch != inputs.batch() || mask.queryLen != inputs.queryLen() ||
        mask.keyLen != inputs.keyLen())
        throw InputError("mask sizes do not match the inputs' (batch, query length, key length)");
    checkRequest(request, inputs.batch(), inputs.heads);
    checkFormat<T>(mask.pitfalls.format);
    const Pitfalls& p = mask.pitfalls;
    lab_.discardMask = p.has(Pitfall::MaskedFillNotInplace);
    lab_.replace = p.maskApply == MaskApply::Replace;
    lab_.kvFromQuery = p.has(Pitfall::QprojForKv);
    lab_.blockedRows = p.blockedRows;
    lab_.format = p.format;
    lab_.active = lab_.discardMask || lab_.replace || lab_.blockedRows != BlockedRows::Nan || lab_.rounds();
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
void AttentionEngine<T>::computeBatch(const AttentionInputs<T>& in, const MaskSpec& mask,
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
    out.blockedRowOutcomes = blockedRowOutcomes(out.rowFullyBlocked, additive, lab_.discardMask,
                                                lab_.replace, lab_.blockedRows);
    live_ = liveKeyRanges(additive);
    // Without the mask, or with 1/Lk on a blocked row, every key of the row carries weight.
    for (size_t i = 0; i < live_.size(); ++i)
        if (lab_.discardMask || (lab_.blockedRows == BlockedRows::Uniform && out.rowFullyBlocked[i]))
            live_[i] = KeyRange{0, in.keyLen() - 1};

    const int firstHead = req.head < 0 ? 0 : req.head;
    const int headCount = req.head < 0 ? in.heads : 1;
    const bool keepsHeadMatrices =
        req.logits || (req.scores && modifiers_.active()) || req.maskedLogits || req.weights;
    out.heads.resize(keepsHeadMatrices ? static_cast<size_t>(headCount) : 0);
    scratch_.resize(static_cast<size_t>(headCount));
    buffers_.resize(static_cast<size_t>(headCount));
    for (int k = 0; k < headCount; ++k) {
        HeadTrace<T>* head = keepsHeadMatrices ? &out.heads[static_cast<size_t>(k)] : nullptr;
        if (head)
            head->head = firstHead + k;
        buffers_[static_cast<size_t>(k)] = chooseBuffers(req, head, k, in.queryLen(), in.keyLen());
        // Head by head, so that a head's numbers do not depend on which other heads are requested.
        projectQueriesAndKeys(in, b, firstHead + k, 1);
        computeLogits(in.headDim(), 0, *buffers_[static_cast<size_t>(k)].logits);
        if (modifiers_.active())
            computeScores(mask, firstHead + k, buffers_[static_cast<size_t>(k)]);
    }
    softmaxAllHeads(req, additive, out);
    if (!req.mask)
        out.additiveMask.resize(0, 0);
    if (req.output)
        computeOutput(in, b, firstHead, out);
    else
        out.output.resize(0, 0);
}

template <typename T>
typename AttentionEngine<T>::HeadBuffers
AttentionEngine<T>::chooseBuffers(const TraceRequest& req, HeadTrace<T>* head, int k, int lq, int lk)
{
    // Each stage writes where the request keeps it, else into the head's scratch matrix: in
    // place over the previous stage when that one lives in scratch too (every stage reads each
    // cell before writing it), so one scratch matrix per head is enough.
    Matrix<T>* scratch = &scratch_[static_cast<size_t>(k)];
    const auto place = [&](bool keep, Matrix<T>* kept) { return keep ? kept : scratch; };
    const bool withScores = modifiers_.active();
    HeadBuffers buf;
    buf.logits = place(req.logits, head ? &head->logits : nullptr);
    buf.scores = withScores ? place(req.scores, head ? &head->scores : nullptr) : buf.logits;
    buf.masked = place(req.maskedLogits, head ? &head->maskedLogits : nullptr);
    buf.weights = place(req.weights, head ? &head->weights : nullptr);
    for (Matrix<T>* m : {buf.logits, buf.scores, buf.masked, buf.weights})
        ensureSize(*m, lq, lk);
    if (head) {
        if (!req.logits)
            head->logits.resize(0, 0);
        if (!req.scores || !withScores)
            head->scores.resize(0, 0);
        if (!req.maskedLogits)
            head->maskedLogits.resize(0, 0);
        if (!req.weights)
            head->weights.resize(0, 0);
    }
    return buf;
}

template <typename T>
void AttentionEngine<T>::computeScores(const MaskSpec& mask, int h, const HeadBuffers& buf)
{
    const double slope = slopes_.empty() ? 0.0 : slopes_[static_cast<size_t>(h)];
    applyScoreModifiers(modifiers_, slope, alignedQueryOffset(mask), *buf.logits, *buf.scores);
    round(*buf.scores);
}

// Projects queries and keys of heads [firstHead, firstHead + headCount) (consecutive rows of
// in_proj_weight) with one product each.
template <typename T>
void AttentionEngine<T>::projectQueriesAndKeys(const AttentionInputs<T>& in, int b, int firstHead,
                                              int headCount)
{
    const int e = in.embedDim();
    const int dk = in.headDim();
    const auto rows = [&](int which) {
        return in.inProjWeight.middleRows(which * e + firstHead * dk, headCount * dk);
    };
    const auto bias = [&](int which) {
        return in.inProjBias.segment(which * e + firstHead * dk, headCount * dk);
    };
    const int keyBlock = lab_.kvFromQuery ? 0 : 1;
    // Rounded after the product and again after the bias, as nn.MultiheadAttention(batch_first=
    // True) does: it hands F.linear a transposed (non-contiguous) input, which adds the bias
    // separately instead of fusing it into addmm.
    q_.noalias() = in.query[static_cast<size_t>(b)] * rows(0).transpose();
    round(q_);
    q_.rowwise() += bias(0).transpose();
    round(q_);
    // PyTorch divides q (not the product) by sqrt(d_k) before the matmul; we round the same way.
    q_ /= scaleDivisor(dk);
    round(q_);
    k_.noalias() = in.key[static_cast<size_t>(b)] * rows(keyBlock).transpose();
    round(k_);
    k_.rowwise() += bias(keyBlock).transpose();
    round(k_);
}

// Eigen zeroes a product's destination before accumulating into it. Done in panels of rows that
// fit in the L2 cache, the zeroing and the accumulation stay in cache instead of streaming the
// whole (Lq, Lk) matrix through memory twice.
template <typename T>
void AttentionEngine<T>::computeLogits(int dk, int k, Matrix<T>& logits)
{
    const Eigen::Index lq = logits.rows();
    const Eigen::Index lk = logits.cols();
    const Eigen::Index panel = std::max<Eigen::Index>(16, (512 * 1024) / (lk * Eigen::Index(sizeof(T))));
    for (Eigen::Index r0 = 0; r0 < lq; r0 += panel) {
        const Eigen::Index rows = std::min(panel, lq - r0);
        logits.middleRows(r0, rows).noalias() =
            q_.block(r0, k * dk, rows, dk) * k_.middleCols(k * dk, dk).transpose();
    }
    round(logits);
}

// Rows outer, heads inner: the additive mask and the mean of a block of rows stay in cache while
// every head visits them, instead of streaming both from memory once per head.
template <typename T>
void AttentionEngine<T>::softmaxAllHeads(const TraceRequest& req, const Matrix<T>& additive,
                                         BatchTrace<T>& out)
{
    const int lq = static_cast<int>(additive.rows());
    const int lk = static_cast<int>(additive.cols());
    if (req.meanWeights)
        out.meanWeights.setZero(lq, lk);
    else
        out.meanWeights.resize(0, 0);
    constexpr int kSoftmaxRows = 16;
    for (int r0 = 0; r0 < lq; r0 += kSoftmaxRows) {
        const int r1 = std::min(lq, r0 + kSoftmaxRows);
        for (const HeadBuffers& buf : buffers_)
            for (int i = r0; i < r1; ++i) {
                const auto row = static_cast<size_t>(i);
                if (lab_.active)
                    labMaskAndSoftmaxRow(LabRow<T>{buf.scores->row(i).data(), additive.row(i).data(),
                                                   lab_.replace ? labAllowed_.row(i).data() : nullptr,
                                                   buf.masked->row(i).data(), buf.weights->row(i).data(),
                                                   lk, live_[row], out.rowFullyBlocked[row]},
                                         lab_.discardMask, lab_.replace, lab_.blockedRows, lab_.format);
                else
                    maskAndSoftmaxRow(buf.scores->row(i).data(), additive.row(i).data(),
                                      buf.masked->row(i).data(), buf.weights->row(i).data(), lk, live_[row]);
                if (req.meanWeights)
                    out.meanWeights.row(i) += buf.weights->row(i);
            }
    }
    if (req.meanWeights)
        averageHeads(out);
}

// PyTorch: weights.sum(dim=1) / num_heads, each result stored in the format.
template <typename T>
void AttentionEngine<T>::averageHeads(BatchTrace<T>& out) const
{
    round(out.meanWeights);
    out.meanWeights /= static_cast<T>(buffers_.size());
    round(out.meanWeights);
}

// sqrt(d_k) in T; in a reduced format PyTorch first converts the Python scalar to the tensor's
// type, so the divisor itself is rounded.
template <typename T>
T AttentionEngine<T>::scaleDivisor(int headDim) const
{
    const double root = std::sqrt(static_cast<double>(headDim));
    if (!lab_.rounds())
        return static_cast<T>(root);
    return static_cast<T>(roundTo(lab_.format, static_cast<float>(root)));
}

template <typename T>
void AttentionEngine<T>::round(Matrix<T>& m) const
{
    roundTo(lab_.format, m);
}

template <typename T>
const AttentionInputs<T>& AttentionEngine<T>::roundedInputs(const AttentionInputs<T>& inputs)
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

template <typename T>
void AttentionEngine<T>::computeOutput(const AttentionInputs<T>& in, int b, int firstHead,
                                       BatchTrace<T>& out)
{
    const int lq = in.queryLen();
    const int lk = in.keyLen();
    const int e = in.embedDim();
    const int dk = in.headDim();
    ensureSize(concat_, lq, e);
    // Keys outside every row's live range have weight 0 and need no value vector.
    const KeyRange used = unionOf(live_, 0, lq);
    const int usedRows = used.last - used.first + 1;
    const int valueBlock = lab_.kvFromQuery ? 0 : 2 * e;
    ensureSize(v_, lk, e);
    v_.middleRows(used.first, usedRows).noalias() =
        in.value[static_cast<size_t>(b)].middleRows(used.first, usedRows) *
        in.inProjWeight.middleRows(valueBlock, e).transpose();
    roundTo(lab_.format, v_.row(used.first).data(), static_cast<Eigen::Index>(usedRows) * e);
    v_.middleRows(used.first, usedRows).rowwise() += in.inProjBias.segment(valueBlock, e).transpose();
    roundTo(lab_.format, v_.row(used.first).data(), static_cast<Eigen::Index>(usedRows) * e);
    for (size_t k = 0; k < buffers_.size(); ++k) {
        const int h = firstHead + static_cast<int>(k);
        const Matrix<T>& weights = *buffers_[k].weights;
        for (int r0 = 0; r0 < lq; r0 += kRowBlock) {
            const int rows = std::min(kRowBlock, lq - r0);
            const KeyRange span = unionOf(live_, r0, r0 + rows);
            const int width = span.last - span.first + 1;
            concat_.block(r0, h * dk, rows, dk).noalias() =
                weights.block(r0, span.first, rows, width) *
                v_.block(span.first, h * dk, width, dk);
        }
    }
    round(concat_); // each head's output, stored by bmm before the heads are concatenated
    // out_proj gets a contiguous 2-D input: addmm adds the bias before its single rounding.
    out.output.noalias() = concat_ * in.outProjWeight.transpose();
    out.output.rowwise() += in.outProjBias.transpose();
    round(out.output);
}

template class AttentionEngine<float>;
template class AttentionEngine<double>;

std::size_t traceBytes(int batchItems, int heads, int queryLen, int keyLen, int embedDim,
                       const TraceRequest& r, std::size_t sizeofScalar, bool withScores)
{
    const std::size_t cells = static_cast<std::size_t>(queryLen) * static_cast<std::size_t>(keyLen);
    const std::size_t perHeadMatrices =
        std::size_t(r.logits) + (r.scores && withScores) + r.maskedLogits + r.weights;
    const std::size_t headCount = r.head < 0 ? static_cast<std::size_t>(heads) : 1;
    std::size_t perBatch = cells * perHeadMatrices * headCount * sizeofScalar;
    perBatch += r.mask ? cells * (1 + sizeofScalar) : 0;
    perBatch += r.meanWeights ? cells * sizeofScalar : 0;
    perBatch += r.output ? static_cast<std::size_t>(queryLen) * embedDim * sizeofScalar : 0;
    const std::size_t scratch = 3 * cells * sizeofScalar;
    return perBatch * static_cast<std::size_t>(batchItems) + scratch;
}

std::size_t physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? static_cast<std::size_t>(pages) * pageSize : 0;
}

std::string formatBytes(std::size_t bytes)
{
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 6)
        v /= 1024.0, ++u;
    char buf[48];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

} // namespace maskscope
