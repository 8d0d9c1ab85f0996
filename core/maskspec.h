#pragma once
// Mask rules and the allowed matrix they define.

#include "fill.h"
#include "types.h"

#include <optional>
#include <string>
#include <vector>

namespace maskscope {

enum class PadSide { Right, Left };

const char* padSideName(PadSide side); ///< "right" or "left"

/// A mask loaded from a file in PyTorch nn.MultiheadAttention's spelling.
struct LoadedAttnMask {
    bool isBool = true;          ///< bool: true = blocked; float: added to the logits
    BoolMatrix blocked;          ///< (Lq, Lk), used when isBool
    Matrix<double> additive;     ///< (Lq, Lk), used when !isBool (float32 files widened exactly)
};

/// Everything that decides which key j query i may see, for every batch item.
///
/// Meaning: allowed(b)(i, j) is true iff query i of batch item b may attend to key j.
/// Preconditions checked by validate(): queryLen, keyLen, batch >= 1; validLens empty or of
/// size batch with 0 <= validLens[b] <= keyLen; loaded masks of matching shapes.
struct MaskSpec {
    int queryLen = 8;
    int keyLen = 8;
    int batch = 1;
    /// Valid (non-padding) length of each batch item's key sequence; empty = no padding.
    /// In self-attention (selfAttention == true) it is also the query's valid length.
    std::vector<int> validLens;
    PadSide padSide = PadSide::Right;
    bool causal = false;         ///< key j allowed iff j <= i (top-left alignment, as torch.tril)
    bool selfAttention = true;   ///< queries and keys are the same sequence
    Fill fill;
    std::optional<LoadedAttnMask> attnMask;   ///< PyTorch attn_mask, (Lq, Lk)
    std::optional<BoolMatrix> keyPaddingMask; ///< PyTorch key_padding_mask, (B, Lk), true = pad

    /// Throws InputError naming the first violated precondition.
    void validate() const;

    /// True iff key j of batch item b is padding.
    bool keyIsPad(int b, int j) const;
    /// True iff query i of batch item b is padding (self-attention with padding only).
    /// Padded query rows are computed as usual (PyTorch does not block them); this only flags them.
    bool queryIsPad(int b, int i) const;
    std::vector<bool> queryPadFlags(int b) const;
    std::vector<bool> keyPadFlags(int b) const;
};

/// The allowed matrix of batch item b: (queryLen, keyLen), true = may attend.
/// Causal AND not padded AND not blocked by a loaded mask. A loaded float mask blocks where it is
/// -inf or <= kFloatMaskBlockThreshold; less negative values are biases and leave the cell allowed.
/// Precondition: spec.validate() passes, 0 <= b < batch.
BoolMatrix allowedMatrix(const MaskSpec& spec, int b);

/// Values at or below this in a loaded float attn_mask count as blocking (for display).
inline constexpr double kFloatMaskBlockThreshold = -1e4;

/// The additive mask of batch item b in precision T: (queryLen, keyLen).
/// Synthetic rules: 0 where allowed, spec.fill where blocked.
/// Loaded masks as nn.MultiheadAttention combines them: a bool attn_mask becomes -inf where
/// true; a float attn_mask is used as is; key_padding_mask then sets padded keys to -inf.
/// Writes into `out` (resized only when the shape changes, so buffers are reused).
template <typename T>
void additiveMask(const MaskSpec& spec, int b, Matrix<T>& out);

/// Row i has no allowed key in `allowed`.
std::vector<bool> fullyBlockedRows(const BoolMatrix& allowed);

} // namespace maskscope
