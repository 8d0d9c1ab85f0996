// SPDX-License-Identifier: MIT
// Tests of core/npy: round trips, hand-built headers of every version, NumPy's own files, and a
// corpus of corrupted files (tests/data/npy_corrupt, made by tests/tools/make_npy_corpus.py).

#include "io/npy.h"

#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "inputerror.h"
#include "npywriter.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <optional>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace maskscope;

namespace {

const QString kCorruptDir = QStringLiteral(MASKSCOPE_TEST_DATA "/npy_corrupt");
const QString kValidDir = QStringLiteral(MASKSCOPE_TEST_DATA "/npy_valid");

/// The phrase each corrupted file's error must contain, by file name without ".npy".
const std::map<QString, QString>& corpusPhrases()
{
    static const std::map<QString, QString> phrases = {
        {"empty", "the file is empty"},
        {"too_short", "too short to be an .npy file (4 bytes)"},
        {"text_file", "bad magic"},
        {"bad_magic", "bad magic"},
        {"bad_version", "unsupported .npy format version 4.0"},
        {"bad_minor_version", "unsupported .npy format version 1.1"},
        {"truncated_length_field", "too short to be an .npy file (10 bytes)"},
        {"header_beyond_file", "truncated header: it declares 4096 bytes"},
        {"header_length_4gb", "truncated header: it declares 4294967295 bytes"},
        {"truncated_header", "truncated header: it declares 118 bytes but only 30 follow"},
        {"empty_header", "malformed header: unexpected end of header; expected '{'"},
        {"not_a_dict", "malformed header: unexpected character '['; expected '{'"},
        {"unterminated_dict", "malformed header: unterminated dict"},
        {"unterminated_string", "malformed header: unterminated string"},
        {"missing_colon", "expected ':' after the key"},
        {"missing_comma", "expected ',' or '}' after a dict entry"},
        {"escape_in_string", "escape sequences in header strings are not supported"},
        {"nul_in_header", "unexpected character '\\x00'"},
        {"text_after_dict", "unexpected text after the dict"},
        {"unquoted_key", "unexpected character 'd'; expected a quoted key"},
        {"missing_key_shape", "the header is missing key 'shape'"},
        {"missing_key_descr", "the header is missing key 'descr'"},
        {"extra_key", "unexpected key 'extra'"},
        {"duplicate_key", "duplicate key 'descr'"},
        {"non_ascii_key_v3", "unexpected key 'd\\xc3\\xa9scr'"},
        {"dtype_int64", "dtype '<i8' is not supported: expected float32, float64 or bool"},
        {"dtype_big_endian", "dtype '>f4' is big-endian"},
        {"dtype_complex64", "dtype '<c8' is not supported"},
        {"dtype_uint8", "dtype '|u1' is not supported"},
        {"dtype_structured", "structured dtypes"},
        {"dtype_control_char", "dtype '<f\\x014' is not supported"},
        {"dtype_not_string", "expected a quoted dtype"},
        {"fortran_order_true", "Fortran order is not supported; save with np.ascontiguousarray"},
        {"fortran_order_not_bool", "'fortran_order' must be True or False, not '0'"},
        {"negative_dim", "negative dimension -3"},
        {"float_dim", "shape entry '3.0' is not an integer"},
        {"name_dim", "shape entry 'n' is not an integer"},
        {"shape_int", "'shape' is not a tuple"},
        {"shape_parenthesised_int", "'shape' (6) is not a tuple; a 1-d shape is written (6,)"},
        {"shape_list", "'shape' is not a tuple"},
        {"shape_empty_entry", "unexpected character ','; expected a dimension"},
        {"unterminated_shape", "unexpected end of header; expected ',' or ')' in the shape"},
        {"dim_beyond_int64", "shape entry 18446744073709551616 is too large"},
        {"shape_count_overflows", "its size in bytes overflows"},
        {"shape_bytes_overflow", "its size in bytes overflows"},
        {"huge_shape", "truncated: header declares 4611686018427387904 bytes of data but the file has 24"},
        {"truncated_data", "truncated: header declares 24 bytes of data but the file has 20"},
        {"no_data", "truncated: header declares 24 bytes of data but the file has 0"},
        {"trailing_bytes", "3 unexpected bytes after the data"},
        {"bool_byte_2", "bool element 2 has byte value 2; expected 0 or 1"},
    };
    return phrases;
}

std::vector<std::uint8_t> fileBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

/// A hand-built .npy image: magic, version major.0, a 2-byte (v1) or 4-byte length, header, data.
std::vector<std::uint8_t> image(int major, const std::string& header, const std::vector<std::uint8_t>& data)
{
    const std::size_t lengthBytes = major == 1 ? 2 : 4;
    std::vector<std::uint8_t> bytes(8 + lengthBytes + header.size() + data.size());
    const std::uint8_t prelude[] = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<std::uint8_t>(major), 0};
    auto out = std::copy(std::begin(prelude), std::end(prelude), bytes.begin());
    for (std::size_t i = 0; i < lengthBytes; ++i)
        *out++ = static_cast<std::uint8_t>(header.size() >> (8 * i));
    out = std::copy(header.begin(), header.end(), out);
    std::copy(data.begin(), data.end(), out);
    return bytes;
}

template <typename T>
std::vector<std::uint8_t> rawBytes(const std::vector<T>& values)
{
    std::vector<std::uint8_t> bytes(values.size() * sizeof(T));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    return bytes;
}

const std::vector<float> kSixFloats = {-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f};


double sampleValue(std::size_t i)
{
    return i % 3 == 0 ? 0.0 : static_cast<double>(i) * 0.3 - 2.0;
}

std::vector<std::size_t> toShape(const QList<int>& dims)
{
    return std::vector<std::size_t>(dims.begin(), dims.end());
}

} // namespace

class TestNpy : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void headerIsNumpysVersion1Layout();
    void rewritesNumpyFilesByteForByte_data();
    void rewritesNumpyFilesByteForByte();
    void headerVersions_data();
    void headerVersions();
    void headerSpellings_data();
    void headerSpellings();
    void boolSpellings_data();
    void boolSpellings();
    void longSuffixOnlyInVersion1();
    void numpyFiles_data();
    void numpyFiles();
    void corruptCorpus_data();
    void corruptCorpus();
    void corpusMatchesPhraseTable();
    void missingFile();
    void directoryIsNotAFile();
    void specialFilesAreRefusedUnread();
    void fileLargerThanItsHeaderIsRefusedUnread();
    void writeToMissingDirectory();
    void serializeRejectsInconsistentArray();
};

void TestNpy::roundTrip_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QList<int>>("dims");
    const std::pair<const char*, NpyType> types[] = {
        {"float32", NpyType::Float32}, {"float64", NpyType::Float64}, {"bool", NpyType::Bool}};
    const std::pair<const char*, QList<int>> shapes[] = {
        {"0-d", {}}, {"1-d", {7}}, {"2-d", {3, 4}}, {"3-d", {2, 3, 5}}, {"empty", {0, 3}}, {"long", {1000}}};
    for (const auto& [typeName, type] : types)
        for (const auto& [shapeName, dims] : shapes)
            QTest::addRow("%s %s", typeName, shapeName) << static_cast<int>(type) << dims;
}

void TestNpy::roundTrip()
{
    QFETCH(int, type);
    QFETCH(QList<int>, dims);
    const NpyArray written = testing::npyArray(static_cast<NpyType>(type), toShape(dims), sampleValue);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("a.npy").toStdString();
    writeNpy(path, written);
    const NpyArray read = readNpy(path);

    QCOMPARE(read.type, written.type);
    QCOMPARE(read.shape, written.shape);
    QCOMPARE(read.data, written.data);
    QCOMPARE(read.elementCount(), written.elementCount());
    for (std::size_t i = 0; i < read.elementCount(); ++i)
        QCOMPARE(read.at(i), written.at(i));
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));
}

void TestNpy::headerIsNumpysVersion1Layout()
{
    const NpyArray a = testing::npyArray(NpyType::Float32, {2, 3}, sampleValue);
    const std::vector<std::uint8_t> bytes = serializeNpy(a);
    QCOMPARE(bytes[6], std::uint8_t{1});
    QCOMPARE(bytes[7], std::uint8_t{0});
    const std::size_t headerLength = bytes[8] | (bytes[9] << 8);
    QCOMPARE((10 + headerLength) % 64, std::size_t{0});
    const std::string header(bytes.begin() + 10, bytes.begin() + 10 + static_cast<std::ptrdiff_t>(headerLength));
    QVERIFY(header.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
    QCOMPARE(header.back(), '\n');
    QCOMPARE(bytes.size(), 10 + headerLength + 24);
}

void TestNpy::rewritesNumpyFilesByteForByte_data()
{
    QTest::addColumn<QString>("file");
    for (const char* file : {"float32_2x3.npy", "float64_3x2.npy", "bool_5.npy", "float64_scalar.npy"})
        QTest::newRow(file) << kValidDir + "/" + file;
}

void TestNpy::rewritesNumpyFilesByteForByte()
{
    QFETCH(QString, file);
    const std::vector<std::uint8_t> numpyBytes = fileBytes(file);
    QVERIFY(!numpyBytes.empty());
    QCOMPARE(serializeNpy(readNpy(file.toStdString())), numpyBytes);
}

void TestNpy::headerVersions_data()
{
    QTest::addColumn<int>("major");
    QTest::newRow("1.0") << 1;
    QTest::newRow("2.0") << 2;
    QTest::newRow("3.0") << 3;
}

void TestNpy::headerVersions()
{
    QFETCH(int, major);
    const std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n";
    const NpyArray a = parseNpy(image(major, header, rawBytes(kSixFloats)), "v.npy");
    QCOMPARE(a.type, NpyType::Float32);
    QCOMPARE(a.shape, (std::vector<std::size_t>{2, 3}));
    for (std::size_t i = 0; i < kSixFloats.size(); ++i)
        QCOMPARE(a.at(i), static_cast<double>(kSixFloats[i]));
}

void TestNpy::headerSpellings_data()
{
    QTest::addColumn<QString>("header");
    QTest::newRow("double quotes, no trailing comma")
        << R"({"descr": "<f4", "fortran_order": False, "shape": (2, 3)})";
    QTest::newRow("keys reordered, trailing commas")
        << "{'shape': (2, 3,), 'fortran_order': False, 'descr': '<f4',}";
    QTest::newRow("whitespace everywhere")
        << " \t{ 'descr' :\t'<f4' ,\n 'fortran_order' : False ,\r\n 'shape' : ( 2 ,\n3 ) }  \n";
    QTest::newRow("no padding or newline") << "{'descr':'<f4','fortran_order':False,'shape':(2,3)}";
    QTest::newRow("native order '='") << "{'descr': '=f4', 'fortran_order': False, 'shape': (2, 3), }";
    QTest::newRow("Python 2 long dims") << "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }";
    QTest::newRow("mixed quotes") << R"({'descr': "<f4", "fortran_order": False, 'shape': (2, 3)})";
}

void TestNpy::headerSpellings()
{
    QFETCH(QString, header);
    const NpyArray a = parseNpy(image(1, header.toStdString(), rawBytes(kSixFloats)), "h.npy");
    QCOMPARE(a.type, NpyType::Float32);
    QCOMPARE(a.shape, (std::vector<std::size_t>{2, 3}));
    QCOMPARE(a.at(5), 1.5);
}

void TestNpy::boolSpellings_data()
{
    QTest::addColumn<QString>("descr");
    QTest::newRow("|b1") << "|b1";
    QTest::newRow("<b1") << "<b1";
    QTest::newRow("=b1") << "=b1";
}

void TestNpy::boolSpellings()
{
    QFETCH(QString, descr);
    const std::string header = "{'descr': '" + descr.toStdString() + "', 'fortran_order': False, 'shape': (3,)}";
    const NpyArray a = parseNpy(image(1, header, {1, 0, 1}), "b.npy");
    QCOMPARE(a.type, NpyType::Bool);
    QVERIFY(a.boolAt(0) && !a.boolAt(1) && a.boolAt(2));
    QCOMPARE(a.at(2), 1.0);
}

void TestNpy::longSuffixOnlyInVersion1()
{
    // Only Python 2 NumPy wrote "3L", and it wrote only version 1.0 files.
    const std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (6L,)}";
    QCOMPARE(parseNpy(image(1, header, rawBytes(kSixFloats)), "l.npy").shape, std::vector<std::size_t>{6});
    EXPECT_INPUT_ERROR([&] { parseNpy(image(2, header, rawBytes(kSixFloats)), "l.npy"); }, std::string("l.npy"),
                       "shape entry '6L' is not an integer");
}

void TestNpy::numpyFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("type");
    QTest::addColumn<QList<int>>("dims");
    QTest::addColumn<QList<double>>("values");
    const double inf = std::numeric_limits<double>::infinity();
    const int f32 = static_cast<int>(NpyType::Float32);
    const int f64 = static_cast<int>(NpyType::Float64);
    const int b = static_cast<int>(NpyType::Bool);
    QTest::newRow("float32 C order") << "float32_2x3.npy" << f32 << QList<int>{2, 3}
                                     << QList<double>{-1, -0.5, 0, 0.5, 1, 1.5};
    QTest::newRow("float64") << "float64_3x2.npy" << f64 << QList<int>{3, 2}
                             << QList<double>{0.1, -2.5, 1e300, -0.0, inf, -inf};
    QTest::newRow("bool") << "bool_5.npy" << b << QList<int>{5} << QList<double>{1, 0, 0, 1, 1};
    QTest::newRow("0-d float64") << "float64_scalar.npy" << f64 << QList<int>{} << QList<double>{2.75};
    QTest::newRow("contiguous transpose") << "float32_contiguous_transpose.npy" << f32 << QList<int>{3, 2}
                                          << QList<double>{0, 3, 1, 4, 2, 5};
    QTest::newRow("version 2.0") << "float32_v2.npy" << f32 << QList<int>{2, 2, 1} << QList<double>{0, 1, 2, 3};
    QTest::newRow("version 3.0 bool") << "bool_v3.npy" << b << QList<int>{1, 2} << QList<double>{0, 1};
}

void TestNpy::numpyFiles()
{
    QFETCH(QString, file);
    QFETCH(int, type);
    QFETCH(QList<int>, dims);
    QFETCH(QList<double>, values);
    const NpyArray a = readNpy((kValidDir + "/" + file).toStdString());
    QCOMPARE(static_cast<int>(a.type), type);
    QCOMPARE(a.shape, toShape(dims));
    QCOMPARE(a.elementCount(), static_cast<std::size_t>(values.size()));
    for (std::size_t i = 0; i < a.elementCount(); ++i) {
        const double expected = values[static_cast<qsizetype>(i)];
        QCOMPARE(a.at(i), expected);
        QCOMPARE(std::signbit(a.at(i)), std::signbit(expected)); // -0.0 must stay negative
    }
}

void TestNpy::corruptCorpus_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("phrase");
    const QStringList files = QDir(kCorruptDir).entryList({"*.npy"}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 40, "corpus missing; run tests/tools/make_npy_corpus.py");
    for (const QString& file : files) {
        const auto entry = corpusPhrases().find(file.chopped(4));
        const QString phrase = entry == corpusPhrases().end() ? QString() : entry->second;
        QTest::newRow(qPrintable(file)) << kCorruptDir + "/" + file << phrase;
    }
}

void TestNpy::corruptCorpus()
{
    QFETCH(QString, path);
    QFETCH(QString, phrase);
    QVERIFY2(!phrase.isEmpty(), "no expected phrase in corpusPhrases() for this file");
    const std::string file = path.toStdString();
    EXPECT_INPUT_ERROR([&] { readNpy(file); }, file, phrase);
    // The in-memory parser names the image it was given.
    const std::vector<std::uint8_t> bytes = fileBytes(path);
    EXPECT_INPUT_ERROR([&] { parseNpy(bytes, "image.npy"); }, std::string("image.npy"), phrase);
}

void TestNpy::corpusMatchesPhraseTable()
{
    for (const auto& [name, phrase] : corpusPhrases())
        QVERIFY2(QFile::exists(kCorruptDir + "/" + name + ".npy"), qPrintable(name + ".npy is not in the corpus"));
}

void TestNpy::missingFile()
{
    const std::string path = (kCorruptDir + "/no_such_file.npy").toStdString();
    EXPECT_INPUT_ERROR([&] { readNpy(path); }, path, "cannot open (No such file or directory)");
}

void TestNpy::directoryIsNotAFile()
{
    const std::string path = kCorruptDir.toStdString();
    EXPECT_INPUT_ERROR([&] { readNpy(path); }, path, "cannot open (is a directory)");
}

void TestNpy::specialFilesAreRefusedUnread()
{
    // A FIFO with no writer would block a reader forever; /dev/zero never ends.
    QTemporaryDir dir;
    const std::string fifo = dir.filePath("query.npy").toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_INPUT_ERROR([&] { readNpy(fifo); }, fifo, "cannot read a FIFO; expected an .npy file");
    EXPECT_INPUT_ERROR([&] { readNpy("/dev/zero"); }, "/dev/zero", "cannot read a character device; expected an .npy file");
}

void TestNpy::fileLargerThanItsHeaderIsRefusedUnread()
{
    // A valid (2, 3) float32 array followed by a 16 GiB hole: refused from its size alone, so
    // neither time nor memory grows with the hole.
    QTemporaryDir dir;
    const std::string path = dir.filePath("sparse.npy").toStdString();
    writeNpy(path, testing::npyArray(NpyType::Float32, {2, 3}, sampleValue));
    const long long size = QFileInfo(QString::fromStdString(path)).size();
    QCOMPARE(::truncate(path.c_str(), size + (16LL << 30)), 0);
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    EXPECT_INPUT_ERROR([&] { readNpy(path); }, path, "unexpected bytes after the data declared by shape (2, 3)");
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    QVERIFY(after.ru_maxrss - before.ru_maxrss < 64 * 1024); // KiB
}

void TestNpy::writeToMissingDirectory()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("missing/a.npy").toStdString();
    const NpyArray a = testing::npyArray(NpyType::Float64, {2}, sampleValue);
    EXPECT_INPUT_ERROR([&] { writeNpy(path, a); }, path, "cannot write");
}

void TestNpy::serializeRejectsInconsistentArray()
{
    NpyArray a = testing::npyArray(NpyType::Float32, {2, 3}, sampleValue);
    a.data.pop_back();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, serializeNpy(a));
}

QTEST_APPLESS_MAIN(TestNpy)
#include "tst_npy.moc"
