// SPDX-License-Identifier: MIT
#include "attention/pitfalls.h"

#include <algorithm>

// The core never includes Qt. QT_TRANSLATE_NOOP only marks the texts for lupdate, which reads
// this file as text; the window translates them at run time with
// QCoreApplication::translate(kPitfallTextContext, text). The context below must equal
// kPitfallTextContext ("Pitfalls"): lupdate needs it spelled out as a literal.
#define QT_TRANSLATE_NOOP(context, text) text

namespace maskscope {

PitfallSet::PitfallSet(std::initializer_list<Pitfall> pitfalls)
{
    for (const Pitfall p : pitfalls)
        set(p);
}

std::vector<Pitfall> PitfallSet::list() const
{
    std::vector<Pitfall> out;
    for (int k = 0; k < kPitfallCount; ++k)
        if (has(static_cast<Pitfall>(k)))
            out.push_back(static_cast<Pitfall>(k));
    return out;
}

namespace {

const std::array<PitfallInfo, kPitfallCount> kPitfalls{{
    {Pitfall::MaskedFillNotInplace, "masked-fill-not-inplace", "001",
     QT_TRANSLATE_NOOP("Pitfalls", "masked_fill result thrown away"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Seed 001 writes atten_scores.masked_fill(mask == 0, -1e9) on a line of its own. "
         "masked_fill is not in place: it returns a new tensor and leaves atten_scores as it was, "
         "and that new tensor is thrown away, so the mask never reaches the scores. The masked "
         "logits equal the raw logits and the softmax weights are bit for bit the weights without "
         "any mask: every query attends to future tokens and to padding, and no row is ever fully "
         "blocked (so there is no NaN to give the bug away). Nothing fails: the shapes are right "
         "and the model trains, it simply learns to peek."),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Assign the result, atten_scores = atten_scores.masked_fill(mask == 0, -1e9), or use the "
         "in-place atten_scores.masked_fill_(mask == 0, -1e9) (trailing underscore). -1e9 suits "
         "float32 and bfloat16 but not float16, where masked_fill refuses it; "
         "torch.finfo(atten_scores.dtype).min fits every format.")},
    {Pitfall::QprojForKv, "qproj-for-kv", "001",
     QT_TRANSLATE_NOOP("Pitfalls", "K and V projected with the query's weights"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Seed 001 computes K = self.q_proj(k) and V = self.q_proj(v): keys and values go through "
         "the query projection (its weights and its bias); k_proj and v_proj are created but never "
         "used. In self-attention k = v = q, so K = V = Q: every logit is dot(q_i, q_j) / "
         "sqrt(d_k), the logits matrix is symmetric, its diagonal |q_i|^2 / sqrt(d_k) is never "
         "negative so tokens lean towards themselves, and the vectors mixed into the output are the "
         "queries instead of the values. Nothing fails: the shapes agree and the layer trains, with "
         "k_proj and v_proj receiving no gradient."),
     QT_TRANSLATE_NOOP("Pitfalls",
         "K = self.k_proj(k) and V = self.v_proj(v): each of Q, K and V has its own projection "
         "(nn.MultiheadAttention keeps them as the three blocks of in_proj_weight and "
         "in_proj_bias).")},
    {Pitfall::InvertedPolarity, "inverted-polarity", "004",
     QT_TRANSLATE_NOOP("Pitfalls", "Bool mask read with the opposite polarity"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Frameworks disagree about what True means. nn.MultiheadAttention's attn_mask and "
         "key_padding_mask and the TensorFlow tutorial's mask (seed 004) say True (1) = blocked; "
         "F.scaled_dot_product_attention's attn_mask, Keras' attention_mask and Hugging Face's "
         "attention_mask say True (1) = attend. A mask written for one and passed to the other is "
         "read inverted, and MaskScope complements the whole allowed matrix: every allowed cell is "
         "blocked and every blocked cell allowed. A causal mask becomes j > i: the diagonal is "
         "blocked, query i sees only later tokens, and the last query has no key left (NaN under a "
         "-inf fill, see the blocked-rows setting). A padding-only mask (a Hugging Face "
         "attention_mask passed as key_padding_mask) lets every query attend only to the padding, "
         "and in a sequence without padding no key is left at all, so every row is fully blocked. "
         "The complement models one bool mask passed whole; if only the padding tensor is inverted "
         "next to a correct causal attn_mask, the model sees causal AND padding instead."),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Check the convention of the function you call and convert explicitly: ~mask (or mask == "
         "0) turns True = attend into True = blocked, e.g. key_padding_mask = (attention_mask == 0) "
         "for a Hugging Face mask. maskscope dump --convention shows the same mask in each "
         "framework's spelling.")},
    {Pitfall::UnmaskedPadding, "unmasked-padding", "002",
     QT_TRANSLATE_NOOP("Pitfalls", "Padding not masked"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "The batch is padded to one length but the padding is not masked: no key_padding_mask is "
         "passed, or the padding part of the decoder's attn_mask (padding mask plus sequence mask, "
         "seed 003) is forgotten, while the other rules stay. The padded keys are then allowed: "
         "every query gives part of its weight to <pad> embeddings, so the same sentence gets "
         "different outputs in batches padded to different lengths. Padded queries are a separate "
         "matter: their rows are computed whether or not the keys are masked (PyTorch does not "
         "block them) and mean nothing; mistaking them for real rows in the loss or when pooling "
         "is the other way padding leaks in."),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Mask the padded keys: nn.MultiheadAttention(..., key_padding_mask=(input_ids == pad_id)) "
         "with True = pad; for F.scaled_dot_product_attention fold it into the bool attn_mask "
         "(True = attend) as attn_mask & ~pad[:, None, None, :]; Hugging Face models take "
         "attention_mask (1 = real token). Drop padded query rows from the loss and from "
         "pooling.")},
    {Pitfall::CausalBackwards, "causal-backwards", "000",
     QT_TRANSLATE_NOOP("Pitfalls", "Causal mask on the wrong side of the diagonal"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Seed 000's prose says the no-peek mask is -inf on and below the diagonal and 0 above it. "
         "Built that way the mask blocks j <= i: query i sees only the keys after it, that is "
         "only the future, the exact opposite of a causal mask, and the last query sees nothing, so "
         "its row is -inf everywhere and its weights are NaN (0/0) under a -inf fill. The seed's "
         "code and printed tensor are right: torch.triu(ones) == 1 is True on and above the "
         "diagonal, .transpose(0, 1) moves it on and below, and masked_fill(mask == 0, -inf) puts "
         "-inf strictly above the diagonal, so query i sees the keys j <= i. The same prose "
         "also says -inf cells should be attended (they get weight exactly 0) and that 0 cells "
         "come out of softmax as 1 (a 0 leaves the logit unchanged); seed 001 likewise names the "
         "wrong corners of its causal mask, whose True cells lie on and below the diagonal."),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Block the keys after the query, j > i: torch.triu(torch.full((L, L), float('-inf')), "
         "diagonal=1) as a float mask, torch.ones(L, L, dtype=torch.bool).triu(1) as "
         "nn.MultiheadAttention's bool mask (True = blocked), "
         "nn.Transformer.generate_square_subsequent_mask(L), or is_causal=True in "
         "F.scaled_dot_product_attention.")},
}};

const std::array<ChoiceInfo<MaskApply>, 2> kMaskApply{{
    {MaskApply::Add, "add", QT_TRANSLATE_NOOP("Pitfalls", "Add the mask: logits + mask"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "The mask is a float tensor, 0 where allowed and the fill where blocked, added to the "
         "logits: what nn.MultiheadAttention and scaled_dot_product_attention do with a float "
         "attn_mask (a bool mask first becomes 0/-inf) and what the TensorFlow tutorial does with "
         "logits += mask * -1e9 (seed 004). A blocked cell holds logit + fill. With -inf it is -inf "
         "like under replace. With a finite fill it keeps the logit's variation as far as the "
         "format resolves it: a fully blocked row then gets softmax(logit + fill), which is the "
         "unmasked weights to about 7 digits in float64 (softmax ignores a common shift) but "
         "uniform weights in float32 with -1e9, whose spacing near 1e9 is 64; a fill of -5 gives "
         "logit - 5, which blocks only partly.")},
    {MaskApply::Replace, "replace", QT_TRANSLATE_NOOP("Pitfalls", "Replace blocked logits: masked_fill"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Blocked logits are overwritten with the fill, scores.masked_fill(blocked, fill), as seed "
         "001 means to do. A blocked cell holds the fill itself, whatever its logit was. With -inf "
         "this is the same as adding; with a finite fill every blocked cell of a row is equal, so a "
         "fully blocked row gets uniform weights 1/Lk in every format, and a fill of -5 is exactly "
         "-5, which an allowed logit below -5 cannot beat.")},
}};

const std::array<ChoiceInfo<BlockedRows>, 3> kBlockedRows{{
    {BlockedRows::Nan, "nan", QT_TRANSLATE_NOOP("Pitfalls", "Plain softmax: NaN"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "A row with no allowed key is -inf everywhere, and softmax computes exp(-inf - (-inf)) = "
         "exp(NaN): every weight of the row is NaN, and the NaN reaches the output row. This is "
         "what torch.softmax and nn.MultiheadAttention return; one such row is enough to turn a "
         "loss into NaN. With a finite fill the row is not -inf and softmax returns what the fill "
         "gives (see the mask application). With a sink logit (--sink-logit, gpt-oss) the row is "
         "not empty for the softmax: the extra column takes all the weight and is dropped, so "
         "every weight of the row is 0, not NaN.")},
    {BlockedRows::Zero, "zero", QT_TRANSLATE_NOOP("Pitfalls", "Safe softmax: zeros"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "A row with no allowed key gets weight 0 on every key, so each head contributes 0 and the "
         "output row is out_proj.bias alone. This is scaled_dot_product_attention's _safe_softmax "
         "since PyTorch 2.5 (for rows that are -inf everywhere), FlashAttention (a query without "
         "keys writes 0), and Keras 3 since 2025 (the softmax output is multiplied by the "
         "mask).")},
    {BlockedRows::Uniform, "uniform", QT_TRANSLATE_NOOP("Pitfalls", "Uniform: 1/Lk"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "A row with no allowed key spreads its weight evenly, 1/Lk on every key, blocked or not: "
         "what masked_fill with a finite fill such as -1e9 or finfo.min gives (every cell of the "
         "row holds the same value), and what adding -1e9 in float32 usually gives (logit - 1e9 "
         "rounds to -1e9 for |logit| < 32). The row's output is the mean of all value vectors, "
         "including the keys that were meant to be hidden, as in rows 1 and 2 of seed 002's "
         "attn_mask.")},
}};

const std::array<ChoiceInfo<NumberFormat>, 4> kFormats{{
    {NumberFormat::Native, "", QT_TRANSLATE_NOOP("Pitfalls", "The inputs' own format"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "float32 for MaskScope's synthetic inputs; float32 or float64 as loaded from files. "
         "Nothing is rounded beyond the compute type.")},
    {NumberFormat::Float32, "f32", QT_TRANSLATE_NOOP("Pitfalls", "float32"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "IEEE single precision: 24-bit significand, finite up to 3.4e38. -1e9 and "
         "finfo(float32).min both fit; -1e9 swamps any realistic logit, since the spacing of "
         "float32 near 1e9 is 64. float64 files are converted.")},
    {NumberFormat::Float16, "f16", QT_TRANSLATE_NOOP("Pitfalls", "float16 (emulated)"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "IEEE half precision: 11-bit significand, finite only up to 65504. -1e9 does not fit: "
         "torch.tensor(-1e9).half() and adding -1e9 to a half tensor give -inf, and "
         "masked_fill(mask, -1e9) on a half tensor raises 'value cannot be converted to type "
         "at::Half without overflow'; MaskScope converts it as .half() does, to -inf, and warns. "
         "finfo(float16).min = -65504 fits, but logit + (-65504) overflows to -inf once the logit "
         "is -16 or less, so a fully blocked row can still become NaN when the mask is added. "
         "Softmax saturates: weights below 3e-8 round to exactly 0, and near 1 the spacing is "
         "0.0005. Every stored intermediate is rounded; products accumulate in float32.")},
    {NumberFormat::BFloat16, "bf16", QT_TRANSLATE_NOOP("Pitfalls", "bfloat16 (emulated)"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Brain float: float32's range with an 8-bit significand, about 3 significant digits. "
         "-1e9 fits but is stored as -998244352; finfo(bfloat16).min = -3.39e38. Logits, weights "
         "and outputs keep only about 3 digits: a weight of 0.9997 rounds to 1.0, so the weights "
         "of a row can add up to slightly more than 1. Every stored intermediate is rounded; "
         "products accumulate in float32, as PyTorch's CPU bfloat16 kernels do.")},
}};

const std::array<BlockedRowOutcomeInfo, 6> kOutcomes{{
    {BlockedRowOutcome::Ordinary, "ordinary", QT_TRANSLATE_NOOP("Pitfalls", "has allowed keys"),
     QT_TRANSLATE_NOOP("Pitfalls", "The row has at least one allowed key: an ordinary softmax.")},
    {BlockedRowOutcome::Nan, "nan", QT_TRANSLATE_NOOP("Pitfalls", "no allowed key: weights NaN"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "Every cell of the row is -inf; softmax divides 0 by 0, and NaN spreads into the output "
         "row.")},
    {BlockedRowOutcome::Zero, "zero",
     QT_TRANSLATE_NOOP("Pitfalls", "no allowed key: weights 0 (safe softmax)"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "The safe softmax sets the row's weights to 0; the output row is out_proj.bias.")},
    {BlockedRowOutcome::Uniform, "uniform",
     QT_TRANSLATE_NOOP("Pitfalls", "no allowed key: weights uniform (1/Lk)"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "The row's weight is spread evenly over every key, the blocked ones included; its output "
         "is the mean of all value vectors.")},
    {BlockedRowOutcome::FillDependent, "fill-dependent",
     QT_TRANSLATE_NOOP("Pitfalls", "no allowed key: softmax of logit + fill"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "The finite fill was added to every logit of the row. Softmax ignores a common shift, so "
         "where the format still resolves logit + fill the row gets its unmasked weights; where "
         "the fill swamps the logits they become equal and the weights uniform; in float16 logit "
         "+ fill may even overflow to -inf and give NaN.")},
    {BlockedRowOutcome::MaskNotApplied, "mask-not-applied",
     QT_TRANSLATE_NOOP("Pitfalls", "no allowed key, but the mask was never applied"),
     QT_TRANSLATE_NOOP("Pitfalls",
         "The mask blocks every key of this row, but masked_fill's result was thrown away: the "
         "row's weights are the unmasked ones.")},
}};

const char* const kWarningTemplates[] = {
    QT_TRANSLATE_NOOP("Pitfalls",
        "the fill %1 does not fit in %2: PyTorch's masked_fill refuses it (value cannot be "
        "converted without overflow), and .to(%2) turns it into %3, which MaskScope uses"),
    QT_TRANSLATE_NOOP("Pitfalls",
        "the fill %1 is not negative, so it blocks nothing: a blocked key keeps its weight or gains "
        "more; blocking needs a large negative fill (neg-inf, lowest or -1e9)"),
};

template <typename Info, std::size_t N>
const Info& infoOf(const std::array<Info, N>& table, decltype(Info::id) id)
{
    return *std::find_if(table.begin(), table.end(), [id](const Info& i) { return i.id == id; });
}

// Looks `text` up among the tables' cliNames; throws InputError listing them otherwise.
template <typename Info, std::size_t N>
decltype(Info::id) parseChoice(const std::array<Info, N>& table, std::string_view option,
                               std::string_view text)
{
    std::string names;
    for (const Info& i : table) {
        if (*i.cliName == '\0')
            continue;
        if (text == i.cliName)
            return i.id;
        if (!names.empty())
            names += ", ";
        names += i.cliName;
    }
    throw InputError(std::string(option) + " expects one of " + names + ", got '" + std::string(text) + "'");
}

} // namespace

const std::array<PitfallInfo, kPitfallCount>& pitfallInfos() { return kPitfalls; }
const PitfallInfo& pitfallInfo(Pitfall p) { return infoOf(kPitfalls, p); }
const std::array<ChoiceInfo<MaskApply>, 2>& maskApplyInfos() { return kMaskApply; }
const ChoiceInfo<MaskApply>& maskApplyInfo(MaskApply a) { return infoOf(kMaskApply, a); }
const std::array<ChoiceInfo<BlockedRows>, 3>& blockedRowsInfos() { return kBlockedRows; }
const ChoiceInfo<BlockedRows>& blockedRowsInfo(BlockedRows b) { return infoOf(kBlockedRows, b); }
const std::array<ChoiceInfo<NumberFormat>, 4>& numberFormatInfos() { return kFormats; }
const ChoiceInfo<NumberFormat>& numberFormatInfo(NumberFormat f) { return infoOf(kFormats, f); }
const std::array<BlockedRowOutcomeInfo, 6>& blockedRowOutcomeInfos() { return kOutcomes; }
const BlockedRowOutcomeInfo& blockedRowOutcomeInfo(BlockedRowOutcome o) { return infoOf(kOutcomes, o); }

Pitfall parsePitfall(std::string_view text)
{
    return parseChoice(kPitfalls, "--bug", text);
}

MaskApply parseMaskApply(std::string_view text)
{
    return parseChoice(kMaskApply, "--mask-apply", text);
}

BlockedRows parseBlockedRows(std::string_view text)
{
    return parseChoice(kBlockedRows, "--blocked-rows", text);
}

NumberFormat parseNumberFormat(std::string_view text)
{
    // The names dtypeName() writes into JSON read back too.
    if (text == "float32") return NumberFormat::Float32;
    if (text == "float16") return NumberFormat::Float16;
    if (text == "bfloat16") return NumberFormat::BFloat16;
    return parseChoice(kFormats, "--dtype", text);
}

const char* Warning::textTemplate() const
{
    return kWarningTemplates[static_cast<int>(id)];
}

std::string Warning::text() const
{
    return substituteArgs(textTemplate(), args);
}

std::string substituteArgs(std::string_view text, const std::vector<std::string>& args)
{
    std::string out;
    for (std::size_t k = 0; k < text.size(); ++k) {
        const char next = k + 1 < text.size() ? text[k + 1] : '\0';
        const bool digit = next >= '1' && next <= '9';
        if (text[k] == '%' && digit && static_cast<std::size_t>(next - '1') < args.size()) {
            out += args[static_cast<std::size_t>(next - '1')];
            ++k;
        } else {
            out += text[k];
        }
    }
    return out;
}

} // namespace maskscope
