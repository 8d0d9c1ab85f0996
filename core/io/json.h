// SPDX-License-Identifier: MIT
#pragma once
// A small streaming JSON writer for dumps: exact numbers, non-finite values as strings.

#include "base/types.h"

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace maskscope {

/// Writes JSON to a stream. Numbers use the shortest text that reads back to the same value of
/// their type (float or double); -inf, inf and NaN become the strings "-inf", "inf", "nan".
/// Precondition: calls nest correctly (key() only directly inside an object).
class JsonWriter {
public:
    explicit JsonWriter(std::ostream& out) : out_(out) {}

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(bool b);
    JsonWriter& value(int n);
    JsonWriter& value(long long n);
    JsonWriter& value(unsigned long long n);
    JsonWriter& value(double x);
    JsonWriter& value(float x);
    JsonWriter& null();

    /// A matrix as an array of row arrays, one row per line.
    template <typename Derived>
    JsonWriter& matrix(const Eigen::DenseBase<Derived>& m)
    {
        beginArray();
        for (Eigen::Index i = 0; i < m.rows(); ++i) {
            beginArray();
            for (Eigen::Index j = 0; j < m.cols(); ++j)
                value(m(i, j));
            endArray();
        }
        return endArray();
    }
    JsonWriter& strings(const std::vector<std::string>& items);
    JsonWriter& bools(const std::vector<bool>& items);

private:
    void separate();
    void raw(std::string_view text);

    std::ostream& out_;
    std::vector<bool> hasItems_; // per open container: has it an item yet
    bool afterKey_ = false;
};

/// The JSON text of a number (see JsonWriter); exposed for tests.
std::string jsonNumber(double x);
std::string jsonNumber(float x);

/// JSON string literal with escapes. Always valid UTF-8: well-formed UTF-8 sequences pass
/// through, and each byte that is not part of one becomes \ufffd (U+FFFD, the replacement
/// character), so that raw bytes from a command line or a file never make invalid JSON.
std::string jsonString(std::string_view text);

} // namespace maskscope
