// SPDX-License-Identifier: MIT
#include "mask/conventions.h"

#include "attention/precision.h"
#include "mask/conventionsnippet.h"

#include <cfloat>
#include <cmath>
#include <functional>
#include <limits>

// The core never includes Qt. QT_TRANSLATE_NOOP only marks the texts (spellings, polarity,
// notes) for lupdate; the window translates them with QCoreApplication::translate("Conventions",
// text). Command-line output stays English.
#define QT_TRANSLATE_NOOP(context, text) text

namespace maskscope {

namespace {

using snippet::Dialect;
using snippet::Python;
using snippet::setupFor;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

const std::vector<ConventionInfo> kConventions = {
    {Convention::TorchMha, "torch-mha", "PyTorch nn.MultiheadAttention", MaskPolarity::TrueMeansBlocked,
     QT_TRANSLATE_NOOP("Conventions", "attn_mask: bool True = blocked, or float added to the scores; key_padding_mask (B, Lk): True = padding")},
    {Convention::TorchSdpa, "torch-sdpa", "PyTorch F.scaled_dot_product_attention", MaskPolarity::TrueMeansAttend,
     QT_TRANSLATE_NOOP("Conventions", "attn_mask: bool True = attend, or float added to the scores; is_causal = top-left causal")},
    {Convention::FlexAttention, "flex", "PyTorch FlexAttention", MaskPolarity::TrueMeansAttend,
     QT_TRANSLATE_NOOP("Conventions", "mask_mod(b, h, q_idx, kv_idx) returns True = keep; score_mod changes the scores")},
    {Convention::HuggingFace, "hf", "Hugging Face transformers", MaskPolarity::TrueMeansAttend,
     QT_TRANSLATE_NOOP("Conventions", "attention_mask (B, Lk): 1 = keep, 0 = padding; becomes a 4-D additive mask of 0 and finfo(dtype).min")},
    {Convention::TensorFlow, "tf", QT_TRANSLATE_NOOP("Conventions", "TensorFlow transformer tutorial"), MaskPolarity::TrueMeansBlocked,
     QT_TRANSLATE_NOOP("Conventions", "mask: 1 = blocked, 0 = attend; scaled_attention_logits += mask * -1e9")},
    {Convention::Keras, "keras", "Keras MultiHeadAttention", MaskPolarity::TrueMeansAttend,
     QT_TRANSLATE_NOOP("Conventions", "attention_mask (B, Lq, Lk): 1 = attend, 0 = blocked; use_causal_mask = top-left causal")},
};

// What every rendering needs to know about the mask, computed once.
struct MaskFacts {
    int batch = 1, lq = 1, lk = 1;
    std::vector<BoolMatrix> allowed; // per batch item
    BoolMatrix batchFree;            // the mask without padding: the same for every batch item
    BoolMatrix keyPad;               // (B, Lk) true = padding (--valid-lens or a loaded key_padding_mask)
    bool anyPadding = false;
    bool decomposable = false;       // allowed(b) == batchFree AND NOT keyPad(b), for every b
    bool topLeftCausal = false;      // allowed(b) == tril, for every b
    bool topLeftCausalAndPadding = false; // allowed(b) == tril AND NOT keyPad(b), for every b
    bool bottomRightCausalOnly = false;
};

BoolMatrix withoutPadding(const BoolMatrix& m, const BoolMatrix& keyPad, int b)
{
    BoolMatrix out = m;
    for (Eigen::Index j = 0; j < m.cols(); ++j)
        if (keyPad(b, j))
            out.col(j).setConstant(false);
    return out;
}

MaskFacts factsOf(const MaskSpec& spec)
{
    MaskFacts f;
    f.batch = spec.batch, f.lq = spec.queryLen, f.lk = spec.keyLen;
    for (int b = 0; b < spec.batch; ++b)
        f.allowed.push_back(allowedMatrix(spec, b));
    MaskSpec unpadded = spec;
    unpadded.validLens.clear();
    unpadded.keyPaddingMask.reset();
    f.batchFree = allowedMatrix(unpadded, 0);
    f.keyPad.resize(spec.batch, spec.keyLen);
    for (int b = 0; b < spec.batch; ++b)
        for (int j = 0; j < spec.keyLen; ++j)
            f.keyPad(b, j) = spec.keyIsPad(b, j);
    f.anyPadding = f.keyPad.any();
    BoolMatrix tril(spec.queryLen, spec.keyLen), lowerRight(spec.queryLen, spec.keyLen);
    for (int i = 0; i < spec.queryLen; ++i)
        for (int j = 0; j < spec.keyLen; ++j)
            tril(i, j) = j <= i, lowerRight(i, j) = j <= i + spec.keyLen - spec.queryLen;
    f.decomposable = f.topLeftCausal = f.topLeftCausalAndPadding = f.bottomRightCausalOnly = true;
    for (int b = 0; b < spec.batch; ++b) {
        const BoolMatrix& a = f.allowed[static_cast<size_t>(b)];
        f.decomposable &= (a == withoutPadding(f.batchFree, f.keyPad, b)).all();
        f.topLeftCausal &= (a == tril).all();
        f.topLeftCausalAndPadding &= (a == withoutPadding(tril, f.keyPad, b)).all();
        f.bottomRightCausalOnly &= (a == lowerRight).all();
    }
    f.bottomRightCausalOnly &= spec.queryLen != spec.keyLen;
    return f;
}

// ---- tensors --------------------------------------------------------------------------------

const char* floatName(DType d)
{
    return dtypeName(d);
}

double finfoMin(DType d)
{
    return formatLimits(d).lowest;
}

// The ALiBi bias as a framework computes it in its type: slope and distance in that type, and in
// float16/bfloat16 the float32 product rounded to the format.
double frameworkAlibiBias(DType d, double slope, int distance)
{
    if (d == DType::Float64)
        return -slope * distance;
    const float product = static_cast<float>(slope) * static_cast<float>(distance);
    if (d == DType::Float16)
        return -static_cast<double>(roundTo(NumberFormat::Float16, product));
    if (d == DType::BFloat16)
        return -static_cast<double>(roundTo(NumberFormat::BFloat16, product));
    return -static_cast<double>(product);
}

ConventionTensor makeTensor(std::string name, std::string meaning, std::string dtype, std::vector<int> shape)
{
    ConventionTensor t{std::move(name), std::move(meaning), std::move(dtype), std::move(shape), {}};
    std::size_t count = 1;
    for (const int d : t.shape)
        count *= static_cast<std::size_t>(d);
    t.values.reserve(count);
    return t;
}

void appendCells(ConventionTensor& t, const BoolMatrix& m, double whereTrue, double whereFalse)
{
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (Eigen::Index j = 0; j < m.cols(); ++j)
            t.values.push_back(m(i, j) ? whereTrue : whereFalse);
}

// (B, [1,] Lq, Lk) from the per-batch allowed matrices.
ConventionTensor perBatchTensor(const MaskFacts& f, std::string name, std::string meaning, std::string dtype,
                                bool headAxis, double ifAllowed, double ifBlocked)
{
    std::vector<int> shape{f.batch, f.lq, f.lk};
    if (headAxis)
        shape.insert(shape.begin() + 1, 1);
    ConventionTensor t = makeTensor(std::move(name), std::move(meaning), std::move(dtype), shape);
    for (const BoolMatrix& a : f.allowed)
        appendCells(t, a, ifAllowed, ifBlocked);
    return t;
}

ConventionTensor keyPaddingTensor(const MaskFacts& f, std::string name, std::string meaning,
                                  std::string dtype, double ifPad, double ifKeep)
{
    ConventionTensor t = makeTensor(std::move(name), std::move(meaning), std::move(dtype), {f.batch, f.lk});
    appendCells(t, f.keyPad, ifPad, ifKeep);
    return t;
}

// (B, H, Lq, Lk) float: 0 or -inf, plus each head's ALiBi bias; reshaped (B*H, Lq, Lk) for MHA.
ConventionTensor alibiFloatMask(const MaskFacts& f, const MaskSpec& spec, const RenderContext& c,
                                std::string name, bool mhaShape)
{
    const std::vector<double> slopes = alibiSlopes(c.heads);
    const std::vector<int> shape = mhaShape ? std::vector<int>{f.batch * c.heads, f.lq, f.lk}
                                            : std::vector<int>{f.batch, c.heads, f.lq, f.lk};
    ConventionTensor t = makeTensor(std::move(name), "added to the scores: ALiBi bias where allowed, -inf where blocked",
                                    floatName(c.dtype), shape);
    const int offset = alignedQueryOffset(spec);
    for (const BoolMatrix& a : f.allowed)
        for (int h = 0; h < c.heads; ++h)
            for (int i = 0; i < f.lq; ++i)
                for (int j = 0; j < f.lk; ++j) {
                    // Rounded as the frameworks do: slope and distance in the compute type.
                    const double bias = frameworkAlibiBias(c.dtype, slopes[static_cast<size_t>(h)],
                                                           std::abs(i + offset - j));
                    t.values.push_back(a(i, j) ? bias : kNegInf);
                }
    return t;
}

// ---- one renderer per convention ------------------------------------------------------------

struct Draft {
    ConventionRendering r;
    std::string setup;
    std::string call;
};

void noteSoftcap(Draft& d, const RenderContext& c)
{
    if (c.modifiers.softcap)
        d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "soft-capping is not part of this spelling: the weights differ from MaskScope's "
                            "(FlexAttention's score_mod or the model's own attention code applies it)"));
}

void noteSinkLogit(Draft& d, const RenderContext& c)
{
    if (c.modifiers.hasSinkLogit())
        d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "the sink logit is not part of this spelling: the weights differ from MaskScope's "
                            "(the model's attention code adds the extra softmax column, as FlexAttention and Hugging Face show)"));
}

void noteLoadedFloatMask(Draft& d, const MaskSpec& spec)
{
    if (spec.attnMask && !spec.attnMask->isBool)
        d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "the loaded float attn_mask's biases are not carried by a bool mask; only its "
                            "blocked cells (<= -1e4) are"));
}

Draft renderMha(const MaskSpec& spec, const MaskFacts& f, const RenderContext& c)
{
    Draft d;
    const bool alibi = c.modifiers.alibi;
    const bool split = f.decomposable && !alibi;
    Python setup = setupFor(Dialect::Torch, spec, c, split);
    Python call(Dialect::Torch);
    call.line("# nn.MultiheadAttention: bool attn_mask True = BLOCKED; key_padding_mask True = padding");
    if (alibi) {
        call.line("attn_mask = torch.zeros(B, 1, Lq, Lk, dtype=DTYPE).masked_fill(~allowed(b_idx, q_idx, kv_idx), float(\"-inf\"))");
        call.line("attn_mask = (attn_mask + alibi_bias(h_idx, q_idx, kv_idx)).reshape(B * H, Lq, Lk)  # float: added");
        call.line("key_padding_mask = None");
        d.r.tensors.push_back(alibiFloatMask(f, spec, c, "attn_mask", true));
    } else if (split) {
        call.line("attn_mask = ~batch_free_allowed(torch.arange(Lq)[:, None], torch.arange(Lk)[None, :])  # (Lq, Lk)");
        call.line(f.anyPadding ? "key_padding_mask = key_is_pad(torch.arange(B)[:, None], torch.arange(Lk)[None, :])  # (B, Lk)"
                               : "key_padding_mask = None  # no padding");
        call.line("# float spelling: attn_mask = torch.zeros(Lq, Lk, dtype=DTYPE).masked_fill(attn_mask, float(\"-inf\"))");
        ConventionTensor mask = makeTensor("attn_mask", "True = blocked", "bool", {f.lq, f.lk});
        appendCells(mask, f.batchFree, 0, 1);
        ConventionTensor asFloat = makeTensor("attn_mask_float", "added to the scores: 0 = attend, -inf = blocked",
                                              floatName(c.dtype), {f.lq, f.lk});
        appendCells(asFloat, f.batchFree, 0, kNegInf);
        d.r.tensors.push_back(std::move(mask));
        d.r.tensors.push_back(std::move(asFloat));
        if (f.anyPadding)
            d.r.tensors.push_back(keyPaddingTensor(f, "key_padding_mask", "True = padding", "bool", 1, 0));
    } else {
        call.line("attn_mask = (~allowed(b_idx, q_idx, kv_idx)).expand(B, H, Lq, Lk).reshape(B * H, Lq, Lk)");
        call.line("key_padding_mask = None");
        ConventionTensor mask = makeTensor("attn_mask", "True = blocked (per batch item, repeated for each head)",
                                           "bool", {f.batch * c.heads, f.lq, f.lk});
        for (const BoolMatrix& a : f.allowed)
            for (int h = 0; h < c.heads; ++h)
                appendCells(mask, a, 0, 1);
        d.r.tensors.push_back(std::move(mask));
        d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "custom cells on padding cannot be split into attn_mask + key_padding_mask: the "
                            "mask is given per batch item and head, (B*H, Lq, Lk)"));
    }
    call.line("out, weights = mha(query, key, value, attn_mask=attn_mask, key_padding_mask=key_padding_mask,");
    call.line("                   need_weights=True, average_attn_weights=False)");
    d.r.flags.push_back({"attn_mask_is_batch_free", split,
                         "attn_mask is (Lq, Lk) and padding travels in key_padding_mask"});
    d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "True means BLOCKED here, the opposite of F.scaled_dot_product_attention's bool mask"));
    d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "a row with no allowed key gets NaN weights (-inf everywhere), as in MaskScope with "
                        "--fill neg-inf; a finite fill that swamps the logits (-1e9 in float32) gives uniform weights there instead"));
    noteSoftcap(d, c);
    noteSinkLogit(d, c);
    noteLoadedFloatMask(d, spec);
    d.setup = setup.text();
    d.call = call.text();
    return d;
}

Draft renderSdpa(const MaskSpec& spec, const MaskFacts& f, const RenderContext& c)
{
    Draft d;
    const bool alibi = c.modifiers.alibi;
    const bool isCausal = f.topLeftCausal && !alibi;
    Python setup = setupFor(Dialect::Torch, spec, c, false);
    Python call(Dialect::Torch);
    call.line("# F.scaled_dot_product_attention: bool attn_mask True = ATTEND");
    if (isCausal) {
        call.line("attn_mask = None  # the mask is exactly top-left causal: is_causal says it");
        call.line("out = F.scaled_dot_product_attention(q, k, v, is_causal=True)");
    } else if (alibi) {
        call.line("attn_mask = torch.zeros(B, 1, Lq, Lk, dtype=DTYPE).masked_fill(~allowed(b_idx, q_idx, kv_idx), float(\"-inf\"))");
        call.line("attn_mask = attn_mask + alibi_bias(h_idx, q_idx, kv_idx)  # (B, H, Lq, Lk) float: added");
        call.line("out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)");
    } else {
        call.line("attn_mask = allowed(b_idx, q_idx, kv_idx)  # (B, 1, Lq, Lk) bool");
        if (f.bottomRightCausalOnly)
            call.line("# PyTorch >= 2.3 spells this mask torch.nn.attention.bias.causal_lower_right(Lq, Lk)");
        call.line("out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)");
    }
    d.r.tensors.push_back(alibi ? alibiFloatMask(f, spec, c, "attn_mask", false)
                                : perBatchTensor(f, "attn_mask", "True = attend", "bool", true, 1, 0));
    d.r.flags.push_back({"is_causal", isCausal, "the mask is exactly top-left causal (torch.tril)"});
    d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "True means ATTEND here, the opposite of nn.MultiheadAttention's bool attn_mask"));
    d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "is_causal=True is top-left aligned (torch.tril) also when Lq != Lk"));
    noteSoftcap(d, c);
    noteSinkLogit(d, c);
    noteLoadedFloatMask(d, spec);
    d.setup = setup.text();
    d.call = call.text();
    return d;
}

Draft renderFlex(const MaskSpec& spec, const MaskFacts& f, const RenderContext& c)
{
    Draft d;
    Python setup = setupFor(Dialect::Torch, spec, c, false);
    setup.line("").line("def mask_mod(b, h, q_idx, kv_idx):");
    setup.line("    return allowed(b, q_idx, kv_idx)  # True = keep");
    const bool scoreMod = c.modifiers.active();
    if (scoreMod) {
        setup.line("").line("def score_mod(score, b, h, q_idx, kv_idx):");
        if (c.modifiers.alibi)
            setup.line("    score = score + alibi_bias(h, q_idx, kv_idx)  # ALiBi");
        if (c.modifiers.softcap)
            setup.line("    score = SOFTCAP * torch.tanh(score / SOFTCAP)  # soft-capping (Gemma 2)");
        setup.line("    return score");
    }
    Python call(Dialect::Torch);
    call.line("from torch.nn.attention.flex_attention import create_block_mask, flex_attention");
    call.line("block_mask = create_block_mask(mask_mod, B, None, Lq, Lk, BLOCK_SIZE=128)");
    const std::string scoreArg = scoreMod ? "score_mod=score_mod, " : "";
    if (c.modifiers.hasSinkLogit()) {
        call.line("out, lse = flex_attention(q, k, v, " + scoreArg + "block_mask=block_mask, return_lse=True)");
        call.line("out = with_sink(out, lse)  # the sink column, dropped (a row without keys stays 0)");
    } else {
        call.line("out = flex_attention(q, k, v, " + scoreArg + "block_mask=block_mask)");
    }
    d.r.tensors.push_back(perBatchTensor(f, "mask", "mask_mod's result: True = keep", "bool", true, 1, 0));
    d.r.flags.push_back({"score_mod", scoreMod, "the snippet defines a score_mod (ALiBi, soft-capping)"});
    d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "create_block_mask skips the empty 128 x 128 blocks (see block_sparsity)"));
    noteLoadedFloatMask(d, spec);
    d.setup = setup.text();
    d.call = call.text();
    return d;
}

Draft renderHuggingFace(const MaskSpec& spec, const MaskFacts& f, const RenderContext& c)
{
    Draft d;
    Python setup = setupFor(Dialect::Torch, spec, c, false);
    Python call(Dialect::Torch);
    call.line("attention_mask = (~key_is_pad(torch.arange(B)[:, None], torch.arange(Lk)[None, :])).long()  # (B, Lk): 1 = keep");
    call.line("mask_4d = torch.zeros(B, 1, Lq, Lk, dtype=DTYPE).masked_fill(~allowed(b_idx, q_idx, kv_idx), torch.finfo(DTYPE).min)");
    call.line(f.topLeftCausalAndPadding
                  ? "# a decoder builds mask_4d itself from attention_mask (causal + padding)"
                  : "# rules beyond causal + padding: pass mask_4d as attention_mask to a model that accepts 4-D masks");
    call.line("# eager attention then computes:");
    call.line("scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])");
    if (c.modifiers.alibi)
        call.line("scores = scores + alibi_bias(h_idx, q_idx, kv_idx)  # ALiBi models (BLOOM: +slope * j, same weights)");
    if (c.modifiers.softcap)
        call.line("scores = SOFTCAP * torch.tanh(scores / SOFTCAP)  # Gemma 2's attn_logit_softcapping");
    if (c.modifiers.hasSinkLogit()) {
        call.line("sink_column = SINKS.view(1, H, 1, 1).expand(B, H, Lq, 1)  # gpt-oss: one more column, logit SINKS[h]");
        call.line("weights = torch.softmax(torch.cat([scores + mask_4d, sink_column], dim=-1), dim=-1)[..., :-1]");
    } else {
        call.line("weights = torch.softmax(scores + mask_4d, dim=-1)");
    }
    d.r.tensors.push_back(keyPaddingTensor(f, "attention_mask", "1 = keep, 0 = padding", "int64", 0, 1));
    d.r.tensors.push_back(perBatchTensor(f, "mask_4d", "added to the scores: 0 = attend, finfo(dtype).min = blocked",
                                         floatName(c.dtype), true, 0, finfoMin(c.dtype)));
    d.r.flags.push_back({"causal_from_model", f.topLeftCausalAndPadding,
                         "the mask is causal + padding: the 2-D attention_mask is all a decoder needs"});
    d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "attention_mask carries padding only; the model adds the causal rule itself"));
    d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "blocked cells get finfo(dtype).min, not -inf: a row with no allowed key gets uniform "
                        "weights instead of NaN"));
    noteLoadedFloatMask(d, spec);
    d.setup = setup.text();
    d.call = call.text();
    return d;
}

Draft renderTensorFlow(const MaskSpec& spec, const MaskFacts& f, const RenderContext& c)
{
    Draft d;
    Python setup = setupFor(Dialect::NumPy, spec, c, false);
    Python call(Dialect::NumPy);
    call.line("import tensorflow as tf");
    call.line("mask = tf.constant((~allowed(b_idx, q_idx, kv_idx))[:, None].astype(np.float32))  # (B, 1, Lq, Lk): 1 = blocked");
    call.line("# the tutorial's scaled_dot_product_attention(q, k, v, mask) then does:");
    call.line("#   scaled_attention_logits += (mask * -1e9)");
    d.r.tensors.push_back(perBatchTensor(f, "mask", "1 = blocked, 0 = attend", "float32", true, 0, 1));
    d.r.flags.push_back({"look_ahead_mask", f.topLeftCausalAndPadding,
                         "the tutorial's own look-ahead and padding masks give this mask"});
    d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "1 means BLOCKED here; it is added as -1e9, so blocked logits stay finite and a row "
                        "with no allowed key gets uniform weights"));
    if (c.modifiers.active() || c.modifiers.hasSinkLogit())
        d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "score modifiers are not part of this spelling"));
    noteLoadedFloatMask(d, spec);
    d.setup = setup.text();
    d.call = call.text();
    return d;
}

Draft renderKeras(const MaskSpec& spec, const MaskFacts& f, const RenderContext& c)
{
    Draft d;
    Python setup = setupFor(Dialect::NumPy, spec, c, false);
    Python call(Dialect::NumPy);
    call.line("import tensorflow as tf");
    call.line("attention_mask = allowed(b_idx, q_idx, kv_idx)  # (B, Lq, Lk) bool: True = attend");
    call.line("layer = tf.keras.layers.MultiHeadAttention(num_heads=H, key_dim=query.shape[-1] // H)");
    call.line("out, scores = layer(query, value, key=key, attention_mask=attention_mask, return_attention_scores=True)");
    if (f.topLeftCausalAndPadding)
        call.line("# equivalently: attention_mask for padding only, plus use_causal_mask=True");
    d.r.tensors.push_back(perBatchTensor(f, "attention_mask", "True = attend", "bool", false, 1, 0));
    d.r.flags.push_back({"use_causal_mask", f.topLeftCausalAndPadding,
                         "the mask is top-left causal + padding: use_causal_mask=True can replace the causal part"});
    d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "use_causal_mask=True is top-left causal, AND-ed with attention_mask"));
    if (c.modifiers.active() || c.modifiers.hasSinkLogit())
        d.r.notes.push_back(QT_TRANSLATE_NOOP("Conventions", "score modifiers are not part of this spelling"));
    noteLoadedFloatMask(d, spec);
    d.setup = setup.text();
    d.call = call.text();
    return d;
}

// What a framework of the opposite polarity makes of this convention's mask. Hugging Face's
// mask is padding only, so its classic mistake is its 1 = keep read as key_padding_mask's
// True = padding: real tokens blocked, padding allowed.
std::vector<BoolMatrix> flippedAllowed(Convention c, const MaskFacts& f)
{
    std::vector<BoolMatrix> out;
    const ConventionInfo& info = conventionInfo(c);
    const MaskPolarity opposite = info.polarity == MaskPolarity::TrueMeansAttend ? MaskPolarity::TrueMeansBlocked
                                                                                 : MaskPolarity::TrueMeansAttend;
    for (int b = 0; b < f.batch; ++b) {
        if (c != Convention::HuggingFace) {
            out.push_back(allowedAsRead(f.allowed[static_cast<size_t>(b)], info.polarity, opposite));
            continue;
        }
        BoolMatrix a = f.batchFree;
        for (int j = 0; j < f.lk; ++j)
            if (!f.keyPad(b, j))
                a.col(j).setConstant(false);
        out.push_back(a);
    }
    return out;
}

void writeTensor(JsonWriter& w, const ConventionTensor& t)
{
    const bool isBool = t.dtype == "bool";
    const bool isInt = t.dtype == "int64";
    std::size_t next = 0;
    // Nested arrays, one level per axis.
    std::function<void(std::size_t)> axis = [&](std::size_t level) {
        w.beginArray();
        for (int k = 0; k < t.shape[level]; ++k) {
            if (level + 1 < t.shape.size()) {
                axis(level + 1);
                continue;
            }
            const double v = t.values[next++];
            if (isBool)
                w.value(v != 0);
            else if (isInt)
                w.value(static_cast<long long>(v));
            else if (t.dtype == "float32")
                w.value(static_cast<float>(v));
            else
                w.value(v);
        }
        w.endArray();
    };
    w.beginObject();
    w.key("name").value(t.name);
    w.key("meaning").value(t.meaning);
    w.key("dtype").value(t.dtype);
    w.key("shape").beginArray();
    for (const int d : t.shape)
        w.value(d);
    w.endArray();
    w.key("values");
    axis(0);
    w.endObject();
}

} // namespace

const char* polarityText(MaskPolarity p)
{
    return p == MaskPolarity::TrueMeansAttend ? QT_TRANSLATE_NOOP("Conventions", "True = attend")
                                               : QT_TRANSLATE_NOOP("Conventions", "True = blocked");
}

const std::vector<ConventionInfo>& allConventions()
{
    return kConventions;
}

const ConventionInfo& conventionInfo(Convention c)
{
    return kConventions[static_cast<size_t>(c)];
}

Convention parseConvention(std::string_view name)
{
    std::string names;
    for (const ConventionInfo& info : kConventions) {
        if (name == info.name)
            return info.id;
        names += names.empty() ? "" : ", ";
        names += info.name;
    }
    throw InputError("--convention expects one of " + names + ", got '" + std::string(name) + "'");
}

BoolMatrix allowedAsRead(const BoolMatrix& allowed, MaskPolarity writtenFor, MaskPolarity readAs)
{
    return writtenFor == readAs ? allowed : BoolMatrix(!allowed);
}

ConventionRendering renderConvention(const MaskSpec& given, Convention c, const RenderContext& context)
{
    // A convention shows how to spell the mask right: the pitfall lab's mask mistakes are not
    // part of it (the allowed matrix they produce is the bug, not the spelling).
    const MaskSpec spec = intendedMask(given);
    if (context.heads < 1)
        throw InputError("conventions need at least 1 head");
    context.modifiers.validate(context.heads);
    const MaskFacts facts = factsOf(spec);
    Draft d;
    switch (c) {
    case Convention::TorchMha: d = renderMha(spec, facts, context); break;
    case Convention::TorchSdpa: d = renderSdpa(spec, facts, context); break;
    case Convention::FlexAttention: d = renderFlex(spec, facts, context); break;
    case Convention::HuggingFace: d = renderHuggingFace(spec, facts, context); break;
    case Convention::TensorFlow: d = renderTensorFlow(spec, facts, context); break;
    case Convention::Keras: d = renderKeras(spec, facts, context); break;
    }
    ConventionRendering r = std::move(d.r);
    r.convention = c;
    r.snippet = d.setup + "\n" + d.call;
    r.setupLength = d.setup.size();
    r.allowedIfPolarityFlipped = flippedAllowed(c, facts);
    for (const BoolMatrix& a : r.allowedIfPolarityFlipped)
        for (Eigen::Index i = 0; i < a.rows(); ++i)
            r.rowsWithNoKeyIfPolarityFlipped += !a.row(i).any();
    return r;
}

void writeConventionJson(JsonWriter& w, const ConventionRendering& r)
{
    const ConventionInfo& info = conventionInfo(r.convention);
    w.beginObject();
    w.key("name").value(info.name);
    w.key("title").value(info.title);
    w.key("polarity").value(polarityText(info.polarity));
    w.key("spelling").value(info.spelling);
    w.key("tensors").beginArray();
    for (const ConventionTensor& t : r.tensors)
        writeTensor(w, t);
    w.endArray();
    w.key("flags").beginObject();
    for (const ConventionFlag& f : r.flags)
        w.key(f.name).value(f.value);
    w.endObject();
    w.key("snippet").value(r.snippet);
    w.key("notes").strings(r.notes);
    w.key("if_polarity_flipped").beginObject();
    w.key("allowed").beginArray();
    for (const BoolMatrix& a : r.allowedIfPolarityFlipped)
        w.matrix(a);
    w.endArray();
    w.key("rows_with_no_key").value(r.rowsWithNoKeyIfPolarityFlipped);
    w.endObject();
    w.endObject();
}

PolarityFlipEffect polarityFlipEffect(const BoolMatrix& intended, const BoolMatrix& asRead,
                                      const std::vector<bool>& keyIsPad)
{
    if (intended.rows() != asRead.rows() || intended.cols() != asRead.cols() ||
        static_cast<Eigen::Index>(keyIsPad.size()) != intended.cols())
        throw InputError("polarityFlipEffect needs matrices of one shape and a padding flag per key");
    PolarityFlipEffect e;
    for (Eigen::Index i = 0; i < intended.rows(); ++i) {
        for (Eigen::Index j = 0; j < intended.cols(); ++j) {
            if (intended(i, j) == asRead(i, j))
                continue;
            ++e.cellsFlipped;
            if (intended(i, j)) {
                ++e.allowedLost;
            } else {
                ++e.blockedGained;
                e.paddingAttended += keyIsPad[static_cast<std::size_t>(j)];
            }
        }
        if (!asRead.row(i).any()) {
            e.rowsWithNoKey.push_back(static_cast<int>(i));
            if (intended.row(i).any())
                e.newRowsWithNoKey.push_back(static_cast<int>(i));
        }
    }
    return e;
}

} // namespace maskscope
