// SPDX-License-Identifier: MIT
#include "model/safetensors.h"

#include "base/types.h"
#include "io/jsonparse.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <vector>

namespace maskscope {
namespace {

constexpr std::size_t kLengthBytes = 8;

struct Entry {
    std::string name;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

class HeaderReader {
public:
    HeaderReader(const std::string& name, const std::uint8_t* data, std::uint64_t dataSize)
        : name_(name), data_(data), dataSize_(dataSize)
    {
    }

    std::map<std::string, TensorView> read(const JsonValue& header)
    {
        if (!header.isObject())
            fail("the header is " + std::string(jsonKindName(header.kind)) + ", not an object");
        std::map<std::string, TensorView> tensors;
        std::vector<Entry> entries;
        for (const auto& [tensorName, description] : header.members) {
            if (tensorName == "__metadata__")
                continue; // free-form strings about the file, not a tensor
            Entry entry{tensorName};
            tensors.emplace(tensorName, tensor(tensorName, description, entry));
            entries.push_back(entry);
        }
        checkNoOverlap(entries);
        return tensors;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const { throw InputError(name_ + ": " + problem); }
    [[noreturn]] void failTensor(const std::string& tensor, const std::string& problem) const
    {
        fail("tensor " + printable(tensor) + ": " + problem);
    }

    StorageType storage(const std::string& tensor, const JsonValue& description) const
    {
        const JsonValue* dtype = description.find("dtype");
        if (!dtype || !dtype->isString())
            failTensor(tensor, "no dtype string");
        if (dtype->text == "F32")
            return StorageType::F32;
        if (dtype->text == "F16")
            return StorageType::F16;
        if (dtype->text == "BF16")
            return StorageType::BF16;
        failTensor(tensor, "dtype " + printable(dtype->text, 32) + " is not supported (supported: F32, F16, BF16)");
    }

    std::vector<std::int64_t> shape(const std::string& tensor, const JsonValue& description) const
    {
        const JsonValue* shape = description.find("shape");
        if (!shape || !shape->isArray())
            failTensor(tensor, "no shape array");
        std::vector<std::int64_t> dims;
        for (const JsonValue& d : shape->items) {
            const std::optional<std::uint64_t> n = d.unsignedInteger();
            if (!n || *n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                failTensor(tensor, "shape entries must be non-negative integers");
            dims.push_back(static_cast<std::int64_t>(*n));
        }
        return dims;
    }

    /// product(shape) × element size, or nothing when it overflows.
    static std::optional<std::uint64_t> byteSize(const std::vector<std::int64_t>& dims, std::uint64_t elementSize)
    {
        std::uint64_t bytes = elementSize;
        for (const std::int64_t d : dims) {
            const auto n = static_cast<std::uint64_t>(d);
            if (n != 0 && bytes > std::numeric_limits<std::uint64_t>::max() / n)
                return std::nullopt;
            bytes *= n;
        }
        return bytes;
    }

    void offsets(const std::string& tensor, const JsonValue& description, Entry& entry) const
    {
        const JsonValue* offsets = description.find("data_offsets");
        if (!offsets || !offsets->isArray() || offsets->items.size() != 2)
            failTensor(tensor, "data_offsets must be an array of two integers");
        const std::optional<std::uint64_t> begin = offsets->items[0].unsignedInteger();
        const std::optional<std::uint64_t> end = offsets->items[1].unsignedInteger();
        if (!begin || !end)
            failTensor(tensor, "data_offsets must be non-negative integers");
        if (*begin > *end)
            failTensor(tensor, "data_offsets [" + std::to_string(*begin) + ", " + std::to_string(*end) + "] are reversed");
        if (*end > dataSize_)
            failTensor(tensor, "data_offsets end " + std::to_string(*end) + " is past the "
                                   + std::to_string(dataSize_) + " data bytes of the file");
        entry.begin = *begin;
        entry.end = *end;
    }

    TensorView tensor(const std::string& tensor, const JsonValue& description, Entry& entry) const
    {
        if (!description.isObject())
            failTensor(tensor, "its description is not an object");
        TensorView view;
        view.type = storage(tensor, description);
        view.shape = shape(tensor, description);
        offsets(tensor, description, entry);
        const std::uint64_t elementSize = view.type == StorageType::F32 ? 4 : 2;
        const std::optional<std::uint64_t> expected = byteSize(view.shape, elementSize);
        if (!expected || *expected != entry.end - entry.begin)
            failTensor(tensor, "data_offsets span " + std::to_string(entry.end - entry.begin)
                                   + " bytes, its shape and dtype need "
                                   + (expected ? std::to_string(*expected) : std::string("more than 2^64")));
        view.data = data_ + entry.begin;
        return view;
    }

    void checkNoOverlap(std::vector<Entry>& entries) const
    {
        std::sort(entries.begin(), entries.end(),
                  [](const Entry& a, const Entry& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
        for (std::size_t i = 1; i < entries.size(); ++i) {
            const Entry& previous = entries[i - 1];
            if (entries[i].begin < previous.end && entries[i].end > entries[i].begin)
                failTensor(entries[i].name, "its bytes overlap those of tensor " + printable(previous.name));
        }
    }

    const std::string& name_;
    const std::uint8_t* data_;
    std::uint64_t dataSize_;
};

} // namespace

std::map<std::string, TensorView> parseSafetensors(const std::uint8_t* data, std::size_t size, const std::string& name)
{
    if (size < kLengthBytes)
        throw InputError(name + ": " + std::to_string(size) + " bytes is too short for a safetensors header");
    std::uint64_t headerLength = 0;
    for (std::size_t i = 0; i < kLengthBytes; ++i)
        headerLength |= static_cast<std::uint64_t>(data[i]) << (8 * i);
    if (headerLength > kMaxSafetensorsHeader)
        throw InputError(name + ": header length " + std::to_string(headerLength) + " is more than the "
                         + std::to_string(kMaxSafetensorsHeader) + " bytes a safetensors header may have");
    if (headerLength > size - kLengthBytes)
        throw InputError(name + ": header length " + std::to_string(headerLength) + " is past the end of the "
                         + std::to_string(size) + "-byte file");
    const std::string_view text(reinterpret_cast<const char*>(data + kLengthBytes), headerLength);
    const JsonValue header = parseJson(text, name);
    const std::size_t dataStart = kLengthBytes + headerLength;
    return HeaderReader(name, data + dataStart, size - dataStart).read(header);
}

SafetensorsFile openSafetensors(const std::string& path)
{
    SafetensorsFile result;
    result.file = std::make_shared<const MappedFile>(path, "a safetensors file");
    result.tensors = parseSafetensors(result.file->data(), result.file->size(), path);
    return result;
}

} // namespace maskscope
