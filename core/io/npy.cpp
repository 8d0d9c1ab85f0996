// SPDX-License-Identifier: MIT
#include "io/npy.h"

#include "base/contract.h"
#include "io/readonlyfile.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace maskscope {

namespace {

constexpr std::string_view kMagic{"\x93NUMPY", 6};
constexpr std::size_t kPreludeSize = kMagic.size() + 2; // magic, major, minor
constexpr std::size_t kAlignment = 64;                  // NumPy >= 1.24 pads headers to 64 bytes
// NumPy's npy_intp bound: a larger dimension cannot come from NumPy and cannot index Eigen.
constexpr std::size_t kMaxDim = static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max());
// Hostile text is quoted in messages; keep those messages short.
constexpr std::size_t kMaxQuoted = 40;

[[noreturn]] void fail(const std::string& name, const std::string& problem)
{
    throw InputError(name + ": " + problem);
}

/// Header bytes come from untrusted files: quote them printable, on one line and bounded.
std::string printable(std::string_view text)
{
    std::string out;
    for (unsigned char c : text.substr(0, kMaxQuoted)) {
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
        }
    }
    if (text.size() > kMaxQuoted)
        out += "...";
    return out;
}

/// Python's tuple spelling: (), (3,), (2, 3).
std::string shapeText(const std::vector<std::size_t>& shape)
{
    std::string out = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + (shape.size() == 1 ? ",)" : ")");
}

/// Byte size of an array of this shape, or nothing when the count or the byte size overflows size_t.
std::optional<std::size_t> checkedByteSize(const std::vector<std::size_t>& shape, std::size_t elementSize)
{
    if (std::find(shape.begin(), shape.end(), std::size_t{0}) != shape.end())
        return 0;
    constexpr std::size_t max = std::numeric_limits<std::size_t>::max();
    std::size_t bytes = elementSize;
    for (std::size_t dim : shape) {
        if (bytes > max / dim)
            return std::nullopt;
        bytes *= dim;
    }
    return bytes;
}

/// The arrays in memory are native order; the files are little-endian. Only big-endian hosts swap.
void swapToOrFromLittleEndian(std::uint8_t* data, std::size_t size, std::size_t elementSize)
{
    if constexpr (std::endian::native == std::endian::big) {
        for (std::size_t i = 0; i + elementSize <= size; i += elementSize)
            std::reverse(data + i, data + i + elementSize);
    } else {
        (void)data;
        (void)size;
        (void)elementSize;
    }
}

NpyType typeFromDescr(std::string_view descr, const std::string& name)
{
    const char order = descr.empty() ? '\0' : descr.front();
    const std::string_view code = descr.empty() ? descr : descr.substr(1);
    const bool littleEndian = order == '<' || order == '='; // '=' read as little-endian, as NumPy writes it on x86/ARM
    if (code == "b1" && (littleEndian || order == '|' || order == '>'))
        return NpyType::Bool; // one byte: byte order is meaningless
    if ((code == "f4" || code == "f8") && littleEndian)
        return code == "f4" ? NpyType::Float32 : NpyType::Float64;
    if ((code == "f4" || code == "f8") && order == '>')
        fail(name, "dtype '" + std::string(descr) + "' is big-endian, which is not supported; save with arr.astype('<"
                       + std::string(code) + "')");
    fail(name, "dtype '" + printable(descr) + "' is not supported: expected float32, float64 or bool");
}

struct Header {
    NpyType type = NpyType::Float32;
    std::vector<std::size_t> shape;
};

/// Strict parser of the header dict, a Python literal such as
/// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
/// Accepts exactly what Python's literal syntax allows for these three keys (either quote, optional
/// trailing commas, any whitespace), nothing more.
class HeaderParser {
public:
    HeaderParser(std::string_view text, const std::string& name, bool allowLongSuffix)
        : text_(text), name_(name), allowLongSuffix_(allowLongSuffix)
    {
    }

    Header parse()
    {
        parseDict();
        return checkedHeader();
    }

private:
    std::string_view text_;
    const std::string& name_;
    const bool allowLongSuffix_; // Python 2 NumPy wrote shapes as (3L, 4L) in version 1.0 files
    std::size_t pos_ = 0;
    std::optional<std::string> descr_;
    std::optional<bool> fortranOrder_;
    std::optional<std::vector<std::size_t>> shape_;

    [[noreturn]] void malformed(const std::string& what) const
    {
        fail(name_, "malformed header: " + what + " at header offset " + std::to_string(pos_));
    }

    bool atEnd() const { return pos_ >= text_.size(); }

    void skipSpace()
    {
        while (!atEnd() && std::string_view(" \t\n\r\f").find(text_[pos_]) != std::string_view::npos)
            ++pos_;
    }

    /// Skips whitespace, then consumes `c` if it comes next.
    bool consume(char c)
    {
        skipSpace();
        if (atEnd() || text_[pos_] != c)
            return false;
        ++pos_;
        return true;
    }

    void expect(char c, const char* what)
    {
        if (!consume(c))
            unexpected(what);
    }

    /// Reports whatever sits at the current position where `what` should be.
    [[noreturn]] void unexpected(const char* what) const
    {
        if (atEnd())
            malformed(std::string("unexpected end of header; expected ") + what);
        const std::string c = printable(text_.substr(pos_, 1));
        const char* quote = c == "'" ? "\"" : "'"; // a stray quote shows as "'"
        malformed("unexpected character " + (quote + c + quote) + "; expected " + what);
    }

    /// The run of characters up to a delimiter, for reading bare words and numbers.
    std::string_view token()
    {
        skipSpace();
        const std::size_t start = pos_;
        while (!atEnd() && std::string_view(",:)}] \t\n\r\f").find(text_[pos_]) == std::string_view::npos)
            ++pos_;
        return text_.substr(start, pos_ - start);
    }

    void parseDict()
    {
        expect('{', "'{' opening the header dict");
        while (!consume('}')) {
            requireMoreDict();
            parseEntry();
            if (consume('}'))
                break;
            requireMoreDict();
            expect(',', "',' or '}' after a dict entry");
        }
        skipSpace();
        if (!atEnd())
            malformed("unexpected text after the dict");
    }

    void requireMoreDict()
    {
        skipSpace();
        if (atEnd())
            malformed("unterminated dict; expected '}'");
    }

    void parseEntry()
    {
        const std::string key = parseString("a quoted key");
        expect(':', "':' after the key");
        if (key == "descr")
            setOnce(descr_, key, [this] { return parseDescr(); });
        else if (key == "fortran_order")
            setOnce(fortranOrder_, key, [this] { return parseBool(); });
        else if (key == "shape")
            setOnce(shape_, key, [this] { return parseShape(); });
        else
            fail(name_, "unexpected key '" + printable(key)
                            + "' in the header; expected exactly 'descr', 'fortran_order' and 'shape'");
    }

    template <typename Field, typename Parse>
    void setOnce(std::optional<Field>& field, const std::string& key, Parse parse)
    {
        if (field)
            fail(name_, "duplicate key '" + key + "' in the header");
        field = parse();
    }

    std::string parseString(const char* what)
    {
        skipSpace();
        const char quote = atEnd() ? '\0' : text_[pos_];
        if (quote != '\'' && quote != '"')
            unexpected(what);
        const std::size_t start = ++pos_;
        // A one-quoted Python string ends at the matching quote and cannot span lines.
        while (!atEnd() && text_[pos_] != quote && text_[pos_] != '\n') {
            if (text_[pos_] == '\\')
                malformed("escape sequences in header strings are not supported");
            ++pos_;
        }
        if (atEnd() || text_[pos_] != quote)
            malformed("unterminated string");
        return std::string(text_.substr(start, pos_++ - start));
    }

    std::string parseDescr()
    {
        skipSpace();
        if (!atEnd() && text_[pos_] == '[')
            fail(name_, "structured dtypes (a list in 'descr') are not supported: expected float32, float64 or bool");
        return parseString("a quoted dtype in 'descr'");
    }

    bool parseBool()
    {
        const std::string_view word = token();
        if (word == "True" || word == "False")
            return word == "True";
        malformed("'fortran_order' must be True or False, not '" + printable(word) + "'");
    }

    std::vector<std::size_t> parseShape()
    {
        skipSpace();
        if (atEnd() || text_[pos_] != '(')
            fail(name_, "'shape' is not a tuple; write it as (2, 3), (3,) or ()");
        ++pos_;
        std::vector<std::size_t> dims;
        if (consume(')'))
            return dims;
        for (;;) {
            dims.push_back(parseDim());
            if (consume(',')) {
                if (consume(')'))
                    return dims;
                continue;
            }
            expect(')', "',' or ')' in the shape");
            if (dims.size() == 1)
                fail(name_, "'shape' (" + std::to_string(dims[0]) + ") is not a tuple; a 1-d shape is written ("
                                + std::to_string(dims[0]) + ",)");
            return dims;
        }
    }

    std::size_t parseDim()
    {
        std::string_view word = token();
        if (word.empty())
            unexpected("a dimension");
        if (allowLongSuffix_ && word.size() > 1 && (word.back() == 'L' || word.back() == 'l'))
            word.remove_suffix(1);
        const bool negative = word.front() == '-';
        const std::string_view digits = negative ? word.substr(1) : word;
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
            fail(name_, "shape entry '" + printable(word) + "' is not an integer");
        if (negative)
            fail(name_, "negative dimension " + printable(word) + " in the shape");
        return decimal(digits);
    }

    std::size_t decimal(std::string_view digits) const
    {
        std::size_t value = 0;
        for (char d : digits) {
            const auto digit = static_cast<std::size_t>(d - '0');
            if (value > (kMaxDim - digit) / 10)
                fail(name_, "shape entry " + printable(digits) + " is too large");
            value = value * 10 + digit;
        }
        return value;
    }

    Header checkedHeader() const
    {
        for (const auto& [present, key] : {std::pair{descr_.has_value(), "descr"},
                                           std::pair{fortranOrder_.has_value(), "fortran_order"},
                                           std::pair{shape_.has_value(), "shape"}}) {
            if (!present)
                fail(name_, std::string("the header is missing key '") + key + "'");
        }
        const NpyType type = typeFromDescr(*descr_, name_);
        if (*fortranOrder_)
            fail(name_, "Fortran order is not supported; save with np.ascontiguousarray");
        return Header{type, *shape_};
    }
};

/// Unsigned little-endian integer of `size` bytes at `at`.
std::size_t readLittleEndian(const std::uint8_t* at, std::size_t size)
{
    std::size_t value = 0;
    for (std::size_t i = size; i-- > 0;)
        value = (value << 8) | at[i];
    return value;
}

/// Checks magic and version; returns the size of the header-length field (2 or 4 bytes).
std::size_t checkPrelude(const std::vector<std::uint8_t>& bytes, const std::string& name)
{
    if (bytes.empty())
        fail(name, "the file is empty; expected an .npy file");
    if (bytes.size() < kPreludeSize)
        fail(name, "too short to be an .npy file (" + std::to_string(bytes.size()) + " bytes)");
    if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0)
        fail(name, "not an .npy file (bad magic; expected \\x93NUMPY)");
    const unsigned major = bytes[6];
    const unsigned minor = bytes[7];
    if (major < 1 || major > 3 || minor != 0)
        fail(name, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor)
                       + "; expected 1.0, 2.0 or 3.0");
    return major == 1 ? 2 : 4;
}

/// Parses the header of an image; `dataOffset` receives where the array data starts.
Header parseHeader(const std::vector<std::uint8_t>& bytes, const std::string& name, std::size_t& dataOffset)
{
    const std::size_t lengthSize = checkPrelude(bytes, name);
    const std::size_t headerStart = kPreludeSize + lengthSize;
    if (bytes.size() < headerStart)
        fail(name, "too short to be an .npy file (" + std::to_string(bytes.size()) + " bytes)");
    const std::size_t headerLength = readLittleEndian(bytes.data() + kPreludeSize, lengthSize);
    const std::size_t available = bytes.size() - headerStart;
    if (headerLength > available)
        fail(name, "truncated header: it declares " + std::to_string(headerLength) + " bytes but only "
                       + std::to_string(available) + " follow");
    // Version 3.0 headers are UTF-8 and 1.0/2.0 latin1; the grammar is ASCII and non-ASCII bytes
    // can only sit inside strings, which are compared byte-wise, so both read the same here.
    const std::string_view text(reinterpret_cast<const char*>(bytes.data() + headerStart), headerLength);
    dataOffset = headerStart + headerLength;
    return HeaderParser(text, name, bytes[6] == 1).parse();
}

void checkDataSize(const Header& header, std::size_t available, const std::string& name)
{
    const std::optional<std::size_t> declared = checkedByteSize(header.shape, npyElementSize(header.type));
    if (!declared)
        fail(name, "shape " + shapeText(header.shape) + " is too large: its size in bytes overflows");
    if (*declared > available)
        fail(name, "truncated: header declares " + std::to_string(*declared) + " bytes of data but the file has "
                       + std::to_string(available));
    if (*declared < available)
        fail(name, "the file has " + std::to_string(available - *declared)
                       + " unexpected bytes after the data declared by shape " + shapeText(header.shape));
}

void checkBoolBytes(const std::vector<std::uint8_t>& data, const std::string& name)
{
    const auto bad = std::find_if(data.begin(), data.end(), [](std::uint8_t b) { return b > 1; });
    if (bad != data.end())
        fail(name, "bool element " + std::to_string(bad - data.begin()) + " has byte value " + std::to_string(*bad)
                       + "; expected 0 or 1");
}

/// Parses an image it owns, so the data bytes move into the array instead of being copied.
NpyArray parseOwnedImage(std::vector<std::uint8_t> bytes, const std::string& name)
{
    std::size_t dataOffset = 0;
    Header header = parseHeader(bytes, name, dataOffset);
    checkDataSize(header, bytes.size() - dataOffset, name);
    bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(dataOffset));
    if (header.type == NpyType::Bool)
        checkBoolBytes(bytes, name);
    swapToOrFromLittleEndian(bytes.data(), bytes.size(), npyElementSize(header.type));
    return NpyArray{header.type, std::move(header.shape), std::move(bytes)};
}

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

// Headers are a few hundred bytes (NumPy itself refuses more than 10000 by default); the cap
// keeps a hostile length field from making us read gigabytes before any check.
constexpr std::size_t kMaxHeaderBytes = std::size_t{1} << 20;

/// Reads an .npy file in two steps: the header first, checked against the file's real size, and
/// the data only once the header has declared exactly as many bytes as the file holds. A file
/// larger than its header says (a sparse file of many GiB, say) is refused unread.
NpyArray readNpyFile(const std::string& path)
{
    const ReadOnlyFile file(path, "an .npy file");
    const std::size_t fileSize = file.size();
    std::vector<std::uint8_t> prefix;
    file.readAt(0, std::min(fileSize, kPreludeSize + 4), prefix);
    const std::size_t lengthSize = checkPrelude(prefix, path);
    if (prefix.size() < kPreludeSize + lengthSize)
        fail(path, "too short to be an .npy file (" + std::to_string(fileSize) + " bytes)");
    const std::size_t headerLength = readLittleEndian(prefix.data() + kPreludeSize, lengthSize);
    const std::size_t headerEnd = kPreludeSize + lengthSize + std::min(headerLength, fileSize);
    if (headerLength <= fileSize && headerLength > kMaxHeaderBytes)
        fail(path, "header of " + std::to_string(headerLength) + " bytes is too long (at most "
                       + std::to_string(kMaxHeaderBytes) + ")");
    file.readAt(0, std::min(headerEnd, fileSize), prefix);
    std::size_t dataOffset = 0;
    Header header = parseHeader(prefix, path, dataOffset);
    checkDataSize(header, fileSize - dataOffset, path);
    std::vector<std::uint8_t> data;
    file.readAt(dataOffset, fileSize - dataOffset, data);
    if (header.type == NpyType::Bool)
        checkBoolBytes(data, path);
    swapToOrFromLittleEndian(data.data(), data.size(), npyElementSize(header.type));
    return NpyArray{header.type, std::move(header.shape), std::move(data)};
}

const char* descrOf(NpyType type)
{
    switch (type) {
    case NpyType::Float32: return "<f4";
    case NpyType::Float64: return "<f8";
    case NpyType::Bool: return "|b1";
    }
    return "";
}

/// The header dict as NumPy writes it, padded with spaces so the data starts 64-byte aligned.
std::string headerText(const NpyArray& array)
{
    std::string header = std::string("{'descr': '") + descrOf(array.type) + "', 'fortran_order': False, 'shape': "
                         + shapeText(array.shape) + ", }";
    const std::size_t unpadded = kPreludeSize + 2 + header.size() + 1; // 2-byte length, final '\n'
    const std::size_t padded = (unpadded + kAlignment - 1) / kAlignment * kAlignment;
    header.append(padded - unpadded, ' ');
    return header + '\n';
}

void writeFileBytes(const std::string& path, const std::vector<std::uint8_t>& bytes)
{
    const std::string temporary = path + ".tmp";
    errno = 0;
    FilePtr file(std::fopen(temporary.c_str(), "wb"), &std::fclose);
    if (!file)
        fail(path, "cannot write (" + errnoText() + ")");
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file.get()) == bytes.size();
    const bool closed = std::fclose(file.release()) == 0;
    std::error_code ec;
    if (!written || !closed) {
        const std::string reason = errnoText();
        std::filesystem::remove(temporary, ec);
        fail(path, "cannot write (" + reason + ")");
    }
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        fail(path, "cannot write (" + ec.message() + ")");
    }
}

} // namespace

const char* npyTypeName(NpyType t)
{
    switch (t) {
    case NpyType::Float32: return "float32";
    case NpyType::Float64: return "float64";
    case NpyType::Bool: return "bool";
    }
    return "unknown";
}

std::size_t npyElementSize(NpyType t)
{
    switch (t) {
    case NpyType::Float32: return 4;
    case NpyType::Float64: return 8;
    case NpyType::Bool: return 1;
    }
    return 1;
}

std::size_t NpyArray::elementCount() const
{
    std::size_t count = 1;
    for (std::size_t dim : shape)
        count *= dim;
    return count;
}

double NpyArray::at(std::size_t i) const
{
    MASKSCOPE_EXPECTS(i < elementCount());
    const std::uint8_t* element = data.data() + i * npyElementSize(type);
    switch (type) {
    case NpyType::Float32: {
        float value;
        std::memcpy(&value, element, sizeof value);
        return value;
    }
    case NpyType::Float64: {
        double value;
        std::memcpy(&value, element, sizeof value);
        return value;
    }
    case NpyType::Bool: return *element ? 1.0 : 0.0;
    }
    return 0.0;
}

bool NpyArray::boolAt(std::size_t i) const
{
    return at(i) != 0.0;
}

NpyArray readNpy(const std::string& path)
{
    return readNpyFile(path);
}

NpyArray parseNpy(const std::vector<std::uint8_t>& bytes, const std::string& name)
{
    return parseOwnedImage(bytes, name);
}

std::vector<std::uint8_t> serializeNpy(const NpyArray& array)
{
    const std::optional<std::size_t> size = checkedByteSize(array.shape, npyElementSize(array.type));
    if (!size || *size != array.data.size())
        throw std::invalid_argument("serializeNpy: data size does not match shape " + shapeText(array.shape));
    const std::string header = headerText(array);
    if (header.size() > 0xffff)
        throw std::invalid_argument("serializeNpy: shape " + shapeText(array.shape) + " is too long for version 1.0");
    // Sized once and filled by copies: GCC 12 misreads growing inserts at -O3 as overflows.
    std::vector<std::uint8_t> bytes(kPreludeSize + 2 + header.size() + array.data.size());
    const std::uint8_t prelude[] = {1, 0, static_cast<std::uint8_t>(header.size() & 0xff),
                                    static_cast<std::uint8_t>(header.size() >> 8)};
    auto out = std::copy(kMagic.begin(), kMagic.end(), bytes.begin());
    out = std::copy(std::begin(prelude), std::end(prelude), out);
    out = std::copy(header.begin(), header.end(), out);
    std::copy(array.data.begin(), array.data.end(), out);
    const std::size_t dataStart = bytes.size() - array.data.size();
    swapToOrFromLittleEndian(bytes.data() + dataStart, array.data.size(), npyElementSize(array.type));
    return bytes;
}

void writeNpy(const std::string& path, const NpyArray& array)
{
    writeFileBytes(path, serializeNpy(array));
}

} // namespace maskscope
