// SPDX-License-Identifier: MIT
#pragma once
// The Python of the conventions' snippets (conventions.h): the setup every snippet starts with,
// its constants and the mask rules as Python functions, in PyTorch or NumPy. Private to
// core/mask: conventions.cpp renders one snippet per framework on top of it.

#include "mask/conventions.h"

#include <string>

namespace maskscope::snippet {

enum class Dialect { Torch, NumPy };

/// Python source being written, line by line, in one dialect.
class Python {
public:
    explicit Python(Dialect d) : dialect_(d) {}
    Python& line(const std::string& text)
    {
        text_ += text;
        text_ += '\n';
        return *this;
    }
    bool torch() const { return dialect_ == Dialect::Torch; }
    const std::string& text() const { return text_; }

private:
    Dialect dialect_;
    std::string text_;
};

/// The setup every snippet of dialect `d` starts with: imports, constants (sizes, fill, padding,
/// rule parameters) and the rule functions; with `batchFree`, also the mask without padding.
Python setupFor(Dialect d, const MaskSpec& spec, const RenderContext& c, bool batchFree);

} // namespace maskscope::snippet
