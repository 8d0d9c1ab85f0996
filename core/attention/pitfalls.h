// SPDX-License-Identifier: MIT
#pragma once
// The pitfall lab: the mistakes people really make with attention masks (each one a switch the
// engine can turn on), how the mask reaches the logits, what a row without an allowed key
// returns, and the number format of the forward pass — with their explanations as plain data.
//
// Explanations are English text in tables (pitfalls.cpp). Translation: every text is marked
// there with QT_TRANSLATE_NOOP(kPitfallTextContext, ...), defined as a no-op because the core
// never includes Qt; lupdate reads the file as text, so adding core/pitfalls.cpp to the sources
// of qt_add_translations extracts them. The window shows them with
// QCoreApplication::translate(kPitfallTextContext, text). Identifiers (the enums and cliName)
// are stable and never translated.

#include "base/types.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace maskscope {

/// A deliberate mistake, to show what it does to the numbers. Mistakes compose: several can be
/// on at once, each applied where the buggy code would apply it.
enum class Pitfall {
    MaskedFillNotInplace, ///< seed 001: masked_fill's result discarded; the mask is never applied
    QprojForKv,           ///< seed 001: K = q_proj(k), V = q_proj(v)
    InvertedPolarity,     ///< a True = keep mask read as True = blocked, or the reverse
    UnmaskedPadding,      ///< the padding rule dropped; every other rule stays
    CausalBackwards       ///< seed 000's prose: blocked on and below the diagonal (j <= i')
};
inline constexpr int kPitfallCount = 5;

/// A set of pitfalls; a small value type.
class PitfallSet {
public:
    PitfallSet() = default;
    PitfallSet(std::initializer_list<Pitfall> pitfalls);

    bool has(Pitfall p) const { return (bits_ & bit(p)) != 0; }
    void set(Pitfall p, bool on = true) { bits_ = on ? bits_ | bit(p) : bits_ & ~bit(p); }
    bool empty() const { return bits_ == 0; }
    std::vector<Pitfall> list() const; ///< in the order of the enum

    friend bool operator==(const PitfallSet&, const PitfallSet&) = default;

private:
    static std::uint32_t bit(Pitfall p) { return 1u << static_cast<unsigned>(p); }
    std::uint32_t bits_ = 0;
};

/// How the mask reaches the logits.
enum class MaskApply {
    Add,    ///< masked = scores + mask: PyTorch's float attn_mask, the TF tutorial's logits += mask * -1e9
    Replace ///< masked = blocked ? mask value : scores: scores.masked_fill(blocked, fill)
};

/// What a row with no allowed key returns.
enum class BlockedRows {
    Nan,    ///< plain softmax: exp(-inf - -inf) = NaN (nn.MultiheadAttention)
    Zero,   ///< safe softmax: weights 0, output row = out_proj.bias (SDPA >= 2.5, FlashAttention, Keras 3)
    Uniform ///< 1/Lk on every key: what masked_fill with a finite fill gives
};

/// The number format of the forward pass.
/// Emulation model of Float16 and BFloat16 — nn.MultiheadAttention(batch_first=True) run with
/// .half() / .bfloat16() tensors. Storage is float32; "rounded" means round to nearest even, with
/// overflow to +-inf and NaN kept, exactly as torch's .to(dtype) converts a float32. Rounded, in
/// order: the inputs and parameters; each of the q, k, v projections twice, after the product
/// and again after adding the bias (MultiheadAttention hands F.linear a transposed input, for
/// which PyTorch adds the bias separately instead of fusing it into addmm); q divided by
/// sqrt(d_k), the divisor itself rounded to the format first (PyTorch converts the Python
/// scalar to the tensor's type); the logits; the scores after the score modifiers; the additive
/// mask (so -1e9 becomes -inf in float16); the masked logits; the weights; each head's output;
/// the mean weights (their sum, then the quotient); the output (out_proj's input is contiguous:
/// the bias is fused, one rounding). Products and sums accumulate in float32 and are rounded
/// once; softmax runs in float32 on the rounded masked logits and its result is rounded.
/// Verified bit for bit against PyTorch 1.13 on the CPU: bfloat16 against the real module;
/// float16, which 1.13 cannot multiply on the CPU, against the same steps with float32 products
/// rounded by .half() (what fp32 accumulation on a GPU does). Known differences: PyTorch adds a
/// float mask inside baddbmm with one rounding where MaskScope rounds the logits (it shows them)
/// and then the masked logits (the same bits for 0/-inf masks); and 1.13's CPU bmm rounds each
/// product and partial sum for tiny matrices (fewer than 400 multiply-adds), where later
/// versions accumulate in float32 as MaskScope does.
enum class NumberFormat {
    Native,  ///< the inputs' own type: float32, or float64 for float64 files; nothing extra rounded
    Float32, ///< float32 (float64 files are converted)
    Float16, ///< IEEE half, emulated as above
    BFloat16 ///< bfloat16, emulated as above
};

/// True for the formats the engine emulates by rounding (Float16, BFloat16).
inline bool roundsIntermediates(NumberFormat f)
{
    return f == NumberFormat::Float16 || f == NumberFormat::BFloat16;
}

/// Everything the pitfall lab changes. The defaults are the correct forward pass, computed by the
/// engine's ordinary path bit for bit.
struct Pitfalls {
    PitfallSet mistakes;
    MaskApply maskApply = MaskApply::Add;
    BlockedRows blockedRows = BlockedRows::Nan;
    NumberFormat format = NumberFormat::Native;

    bool has(Pitfall p) const { return mistakes.has(p); }

    friend bool operator==(const Pitfalls&, const Pitfalls&) = default;
};

/// What a row with no allowed key returned in a trace.
enum class BlockedRowOutcome {
    Ordinary,      ///< the row has an allowed key
    Nan,           ///< every cell -inf under plain softmax: NaN weights and output row
    Zero,          ///< safe softmax: weights 0, output row = out_proj.bias
    Uniform,       ///< 1/Lk on every key (the uniform policy, or every cell holding the same fill)
    FillDependent, ///< plain softmax of logit + finite fill: see BlockedRowOutcomeInfo
    MaskNotApplied ///< the mask was discarded (masked_fill not in place): an ordinary row
};

// ---- explanations (English; translatable, see the top of this file) -------------------------

/// The translation context of every text below.
inline constexpr const char* kPitfallTextContext = "Pitfalls";

/// A mistake and its explanation.
struct PitfallInfo {
    Pitfall id;
    const char* cliName;   ///< e.g. "masked-fill-not-inplace" (not translated)
    const char* seed;      ///< the source document it comes from, e.g. "001" (not translated): the
                           ///< one whose code or prose makes it, or that explains the masks involved
    const char* title;     ///< a few words
    const char* paragraph; ///< what the code does and what it does to the numbers
    const char* fix;       ///< the correct code
};

/// One choice of a setting (mask application, blocked rows, number format) and its explanation.
template <typename E>
struct ChoiceInfo {
    E id;
    const char* cliName;   ///< e.g. "replace" (not translated)
    const char* title;
    const char* paragraph;
};

/// What a fully blocked row returned, for a status line: e.g. "rows 3, 7: " + title.
struct BlockedRowOutcomeInfo {
    BlockedRowOutcome id;
    const char* name;      ///< e.g. "nan", as in JSON (not translated)
    const char* title;     ///< e.g. "no allowed key: weights NaN"
    const char* paragraph;
};

const std::array<PitfallInfo, kPitfallCount>& pitfallInfos(); ///< in the order of the enum
const PitfallInfo& pitfallInfo(Pitfall p);
const std::array<ChoiceInfo<MaskApply>, 2>& maskApplyInfos();
const ChoiceInfo<MaskApply>& maskApplyInfo(MaskApply a);
const std::array<ChoiceInfo<BlockedRows>, 3>& blockedRowsInfos();
const ChoiceInfo<BlockedRows>& blockedRowsInfo(BlockedRows b);
/// Native, Float32, Float16, BFloat16; Native's cliName is "" (it has no option value).
const std::array<ChoiceInfo<NumberFormat>, 4>& numberFormatInfos();
const ChoiceInfo<NumberFormat>& numberFormatInfo(NumberFormat f);
const std::array<BlockedRowOutcomeInfo, 6>& blockedRowOutcomeInfos();
const BlockedRowOutcomeInfo& blockedRowOutcomeInfo(BlockedRowOutcome o);

/// Parsers of the command-line spellings; each throws InputError naming the option, the text
/// and the accepted values.
Pitfall parsePitfall(std::string_view text);            ///< --bug
MaskApply parseMaskApply(std::string_view text);        ///< --mask-apply add|replace
BlockedRows parseBlockedRows(std::string_view text);    ///< --blocked-rows nan|zero|uniform
NumberFormat parseNumberFormat(std::string_view text);  ///< --dtype f32|f16|bf16 (or float32, ...)

/// A condition of a scenario worth a warning, e.g. a fill the number format cannot hold.
enum class PitfallWarning {
    FillOverflowsFormat, ///< %1 = the fill, %2 = the format, %3 = its value after conversion
    FillNotNegative      ///< %1 = the fill
};

/// One warning with its arguments; text() substitutes them into the English template.
struct Warning {
    PitfallWarning id;
    std::vector<std::string> args;

    const char* textTemplate() const; ///< with %1, %2, ... placeholders; translatable
    std::string text() const;         ///< the English text with the arguments in place
};

/// Replaces %1..%9 in `text` by args[0..8] (as QString::arg would).
std::string substituteArgs(std::string_view text, const std::vector<std::string>& args);

} // namespace maskscope
