// SPDX-License-Identifier: MIT
// safetensors headers: valid files read into views of the right bytes; hostile headers (each a
// one-line InputError naming the file and the tensor); and thousands of seeded mutations of a
// valid file, each of which must either load with every view inside the file or throw InputError.
#include "model/safetensors.h"

#include "base/random.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "inputerror.h"

#include <bit>
#include <cstring>

using namespace maskscope;

namespace {

/// A safetensors image: the 8-byte length, `header` as written, then `dataBytes` bytes
/// (byte i has value i mod 251).
std::vector<std::uint8_t> image(const std::string& header, std::size_t dataBytes)
{
    std::vector<std::uint8_t> bytes(8 + header.size() + dataBytes);
    std::uint64_t n = header.size();
    for (std::size_t i = 0; i < 8; ++i, n >>= 8)
        bytes[i] = static_cast<std::uint8_t>(n & 0xff);
    std::memcpy(bytes.data() + 8, header.data(), header.size());
    for (std::size_t i = 0; i < dataBytes; ++i)
        bytes[8 + header.size() + i] = static_cast<std::uint8_t>(i % 251);
    return bytes;
}

void putFloat(std::vector<std::uint8_t>& bytes, std::size_t at, float x)
{
    const auto bits = std::bit_cast<std::uint32_t>(x);
    for (int i = 0; i < 4; ++i)
        bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(bits >> (8 * i));
}

const std::string kValidHeader =
    R"({"__metadata__": {"format": "pt"}, "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},)"
    R"( "b": {"dtype": "BF16", "shape": [4], "data_offsets": [24, 32]},)"
    R"( "c": {"dtype": "F16", "shape": [2, 0], "data_offsets": [32, 32]}, "d": {"dtype": "F16", "shape": [], "data_offsets": [32, 34]}})";
constexpr std::size_t kValidData = 34;

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private slots:
    void readsViewsOfTheRightBytes();
    void openMapsTheFile();
    void hostileHeaders_data();
    void hostileHeaders();
    void mutationsLoadOrThrowInputError();
};

void TestSafetensors::readsViewsOfTheRightBytes()
{
    std::vector<std::uint8_t> bytes = image(kValidHeader, kValidData);
    const std::size_t data = 8 + kValidHeader.size();
    for (int i = 0; i < 6; ++i)
        putFloat(bytes, data + 4 * static_cast<std::size_t>(i), 0.5f * static_cast<float>(i) - 1.0f);
    // bfloat16 1.0 (0x3f80) and -2.0 (0xc000), then 0x7f80 (+inf), 0x0001 (the smallest subnormal)
    const std::uint8_t bf16[] = {0x80, 0x3f, 0x00, 0xc0, 0x80, 0x7f, 0x01, 0x00};
    std::memcpy(bytes.data() + data + 24, bf16, sizeof bf16);
    const auto tensors = parseSafetensors(bytes.data(), bytes.size(), "x.safetensors");
    QCOMPARE(tensors.size(), std::size_t{4}); // __metadata__ is not a tensor
    const TensorView& a = tensors.at("a");
    QCOMPARE(a.type, StorageType::F32);
    QCOMPARE(a.shape, (std::vector<std::int64_t>{2, 3}));
    const Matrix<float> m = widenMatrix(a);
    QCOMPARE(m.rows(), 2);
    QCOMPARE(m(1, 2), 1.5f);
    QCOMPARE(m(0, 0), -1.0f);
    const TensorView& b = tensors.at("b");
    QCOMPARE(b.type, StorageType::BF16);
    float v[4];
    widen(b, 0, 4, v);
    QCOMPARE(v[0], 1.0f);
    QCOMPARE(v[1], -2.0f);
    QVERIFY(std::isinf(v[2]) && v[2] > 0);
    QCOMPARE(std::bit_cast<std::uint32_t>(v[3]), 0x00010000u);
    QCOMPARE(tensors.at("c").elements(), std::int64_t{0});
    QCOMPARE(tensors.at("d").elements(), std::int64_t{1}); // a scalar
    QCOMPARE(tensors.at("d").data, bytes.data() + data + 32);
}

void TestSafetensors::openMapsTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("m.safetensors");
    const std::vector<std::uint8_t> bytes = image(kValidHeader, kValidData);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
    f.close();
    const SafetensorsFile file = openSafetensors(path.toStdString());
    QCOMPARE(file.file->size(), bytes.size());
    QCOMPARE(file.tensors.at("a").data, file.file->data() + 8 + kValidHeader.size());
    const std::string missing = dir.filePath("none.safetensors").toStdString();
    EXPECT_INPUT_ERROR([&] { openSafetensors(missing); }, missing, "cannot open (No such file or directory)");
}

void TestSafetensors::hostileHeaders_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("dataBytes");
    QTest::addColumn<QString>("phrase");
    const auto t = [](const char* body) { return QByteArray(R"({"w": )") + body + "}"; };
    QTest::newRow("not an object") << QByteArray("[]") << 0 << "the header is an array, not an object";
    QTest::newRow("invalid JSON") << QByteArray("{\"w\": ") << 0 << "invalid JSON at byte 6: unexpected end of text";
    QTest::newRow("invalid UTF-8 name") << QByteArray("{\"w\xff\": 1}") << 0 << "invalid UTF-8";
    QTest::newRow("duplicate name")
        << QByteArray(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})")
        << 8 << "duplicate key \"w\"";
    QTest::newRow("description not an object") << t("3") << 0 << "tensor w: its description is not an object";
    QTest::newRow("I64") << t(R"({"dtype": "I64", "shape": [1], "data_offsets": [0, 8]})") << 8
                         << "tensor w: dtype I64 is not supported (supported: F32, F16, BF16)";
    QTest::newRow("no dtype") << t(R"({"shape": [1], "data_offsets": [0, 4]})") << 4 << "tensor w: no dtype string";
    QTest::newRow("no shape") << t(R"({"dtype": "F32", "data_offsets": [0, 4]})") << 4 << "tensor w: no shape array";
    QTest::newRow("fractional shape") << t(R"({"dtype": "F32", "shape": [1.0], "data_offsets": [0, 4]})") << 4
                                      << "tensor w: shape entries must be non-negative integers";
    QTest::newRow("negative shape") << t(R"({"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]})") << 4
                                    << "tensor w: shape entries must be non-negative integers";
    QTest::newRow("shape past int64") << t(R"({"dtype": "F32", "shape": [9223372036854775808], "data_offsets": [0, 4]})") << 4
                                      << "tensor w: shape entries must be non-negative integers";
    QTest::newRow("shape overflows") << t(R"({"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 4]})")
                                     << 4 << "its shape and dtype need more than 2^64";
    QTest::newRow("size disagrees") << t(R"({"dtype": "BF16", "shape": [3], "data_offsets": [0, 8]})") << 8
                                    << "tensor w: data_offsets span 8 bytes, its shape and dtype need 6";
    QTest::newRow("one offset") << t(R"({"dtype": "F32", "shape": [1], "data_offsets": [4]})") << 4
                                << "data_offsets must be an array of two integers";
    QTest::newRow("offset 1e30") << t(R"({"dtype": "F32", "shape": [1], "data_offsets": [0, 1e30]})") << 4
                                 << "data_offsets must be non-negative integers";
    QTest::newRow("offset past uint64") << t(R"({"dtype": "F32", "shape": [1], "data_offsets": [0, 18446744073709551616]})")
                                        << 4 << "data_offsets must be non-negative integers";
    QTest::newRow("reversed") << t(R"({"dtype": "F32", "shape": [1], "data_offsets": [8, 4]})") << 8
                              << "tensor w: data_offsets [8, 4] are reversed";
    QTest::newRow("out of range") << t(R"({"dtype": "F32", "shape": [1], "data_offsets": [4, 8]})") << 6
                                  << "tensor w: data_offsets end 8 is past the 6 data bytes of the file";
    QTest::newRow("overlap")
        << QByteArray(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})")
        << 8 << "tensor b: its bytes overlap those of tensor a";
    QTest::newRow("control character in a name") << QByteArray("{\"a\\nb\": 1}") << 0
                                                  << "tensor a?b: its description is not an object";
    QTest::newRow("too deep") << QByteArray(200, '[') << 0 << "nested deeper than 64 levels";
}

void TestSafetensors::hostileHeaders()
{
    QFETCH(QByteArray, header);
    QFETCH(int, dataBytes);
    QFETCH(QString, phrase);
    const std::vector<std::uint8_t> bytes = image(header.toStdString(), static_cast<std::size_t>(dataBytes));
    EXPECT_INPUT_ERROR([&] { parseSafetensors(bytes.data(), bytes.size(), "h.safetensors"); },
                       std::string("h.safetensors"), phrase);
}

void TestSafetensors::mutationsLoadOrThrowInputError()
{
    const std::vector<std::uint8_t> valid = image(kValidHeader, kValidData);
    // The length field is also mutated: a length past the end and a length that cuts the header.
    {
        std::vector<std::uint8_t> bytes = valid;
        bytes[0] = 0xff;
        EXPECT_INPUT_ERROR([&] { parseSafetensors(bytes.data(), bytes.size(), "m"); }, std::string("m"), "past the end");
        bytes.resize(5);
        EXPECT_INPUT_ERROR([&] { parseSafetensors(bytes.data(), bytes.size(), "m"); }, std::string("m"), "too short");
    }
    Random random(20261206);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random.nextU64() % n); };
    const char interesting[] = "0123456789[]{},:\"-.eE \\u";
    int loaded = 0, refused = 0;
    for (int round = 0; round < 20000; ++round) {
        std::vector<std::uint8_t> bytes = valid;
        for (int edits = 1 + static_cast<int>(pick(3)); edits > 0; --edits) {
            if (bytes.size() <= 9)
                break;
            const std::size_t at = 8 + pick(std::min(kValidHeader.size(), bytes.size() - 9));
            switch (pick(5)) {
            case 0: bytes[at] = static_cast<std::uint8_t>(random.nextU64()); break;
            case 1: bytes[at] = static_cast<std::uint8_t>(interesting[pick(sizeof interesting - 1)]); break;
            case 2: // one byte less in the header, its length kept right
                bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at));
                --bytes[0];
                break;
            case 3: // one byte more in the header
                bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                             static_cast<std::uint8_t>(interesting[pick(sizeof interesting - 1)]));
                ++bytes[0];
                break;
            default: bytes.resize(std::max<std::size_t>(at, 8 + kValidHeader.size() - 40) + pick(60)); break;
            }
        }
        try {
            const auto tensors = parseSafetensors(bytes.data(), bytes.size(), "m");
            for (const auto& [name, view] : tensors) {
                const std::size_t size = static_cast<std::size_t>(view.elements()) * (view.type == StorageType::F32 ? 4 : 2);
                QVERIFY(view.data >= bytes.data() + 8 && view.data + size <= bytes.data() + bytes.size());
                std::vector<float> out(static_cast<std::size_t>(view.elements()));
                widen(view, 0, view.elements(), out.data()); // reads every byte: ASan checks the bounds too
            }
            ++loaded;
        } catch (const InputError& e) {
            const QString text = QString::fromUtf8(e.what());
            QVERIFY2(text.startsWith("m: ") && !text.contains('\n'), qPrintable(text));
            ++refused;
        }
    }
    qInfo("20000 mutated headers: %d loaded, %d refused", loaded, refused);
    QVERIFY(loaded > 0 && refused > 0); // the mutations reach both outcomes
}

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
