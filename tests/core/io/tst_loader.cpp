// SPDX-License-Identifier: MIT
// Tests of core/loader: directories of .npy files written with writeNpy into a temporary
// directory, loaded whole, and broken one file at a time.

#include "io/loader.h"
#include "io/npy.h"

#include <QTemporaryDir>
#include <QTest>

#include "npywriter.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>

using namespace maskscope;

namespace {

using Shape = std::vector<std::size_t>;

/// The value stored at flat index i of the array tagged `tag`: distinct per file and per element.
/// float32 files hold multiples of 1/4, exact in float; float64 files hold multiples of 0.1,
/// which float cannot hold, so any narrowing on the way shows.
double storedValue(NpyType type, int tag, std::size_t i)
{
    const double v = type == NpyType::Float64 ? tag * 100.0 + static_cast<double>(i) * 0.1
                                              : tag * 100.0 + static_cast<double>(i) * 0.25;
    return type == NpyType::Float32 ? static_cast<double>(static_cast<float>(v)) : v;
}

using testing::npyArray;

NpyArray tagged(NpyType type, int tag, const Shape& shape)
{
    return npyArray(type, shape, [=](std::size_t i) { return storedValue(type, tag, i); });
}

// Tags of the files, so a value read back shows which file it came from.
enum Tag { kQuery = 1, kKey, kValue, kInProjWeight, kInProjBias, kOutProjWeight, kOutProjBias };

struct ModelShape {
    NpyType type = NpyType::Float32;
    std::size_t batch = 2, queryLen = 3, keyLen = 4, embed = 4;
    bool cross = true; ///< write key.npy and value.npy
};

/// A temporary directory holding a good model, for tests to load or break.
class ModelDir {
public:
    explicit ModelDir(const ModelShape& m) : shape_(m)
    {
        const std::size_t e = m.embed;
        write("query.npy", tagged(m.type, kQuery, {m.batch, m.queryLen, e}));
        if (m.cross) {
            write("key.npy", tagged(m.type, kKey, {m.batch, m.keyLen, e}));
            write("value.npy", tagged(m.type, kValue, {m.batch, m.keyLen, e}));
        }
        write("in_proj_weight.npy", tagged(m.type, kInProjWeight, {3 * e, e}));
        write("in_proj_bias.npy", tagged(m.type, kInProjBias, {3 * e}));
        write("out_proj.weight.npy", tagged(m.type, kOutProjWeight, {e, e}));
        write("out_proj.bias.npy", tagged(m.type, kOutProjBias, {e}));
    }

    std::string dir() const { return dir_.path().toStdString(); }
    std::string path(const char* file) const { return dir_.filePath(file).toStdString(); }
    void write(const char* file, const NpyArray& a) const { writeNpy(path(file), a); }
    void remove(const char* file) const { QVERIFY(QFile::remove(QString::fromStdString(path(file)))); }
    const ModelShape& shape() const { return shape_; }

private:
    QTemporaryDir dir_;
    ModelShape shape_;
};

/// Compares batch item b of `loaded` with the array tagged `tag`, element by element in C order.
template <typename T>
bool batchMatches(const std::vector<Matrix<T>>& loaded, NpyType type, int tag)
{
    std::size_t flat = 0;
    for (const Matrix<T>& m : loaded)
        for (Eigen::Index i = 0; i < m.rows(); ++i)
            for (Eigen::Index e = 0; e < m.cols(); ++e)
                if (static_cast<double>(m(i, e)) != storedValue(type, tag, flat++))
                    return false;
    return true;
}

template <typename Dense>
bool denseMatches(const Dense& m, NpyType type, int tag)
{
    std::size_t flat = 0;
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (Eigen::Index j = 0; j < m.cols(); ++j)
            if (static_cast<double>(m(i, j)) != storedValue(type, tag, flat++))
                return false;
    return true;
}

/// Checks every activation and parameter of `in` against the files of a ModelDir.
template <typename T>
void verifyInputs(const AttentionInputs<T>& in, const ModelShape& m, int heads, Tag keyTag, Tag valueTag)
{
    QCOMPARE(in.batch(), static_cast<int>(m.batch));
    QCOMPARE(in.queryLen(), static_cast<int>(m.queryLen));
    QCOMPARE(in.embedDim(), static_cast<int>(m.embed));
    QCOMPARE(in.heads, heads);
    QVERIFY(batchMatches(in.query, m.type, kQuery));
    QVERIFY(batchMatches(in.key, m.type, keyTag));
    QVERIFY(batchMatches(in.value, m.type, valueTag));
    QVERIFY(denseMatches(in.inProjWeight, m.type, kInProjWeight));
    QVERIFY(denseMatches(in.inProjBias, m.type, kInProjBias));
    QVERIFY(denseMatches(in.outProjWeight, m.type, kOutProjWeight));
    QVERIFY(denseMatches(in.outProjBias, m.type, kOutProjBias));
}

/// The message of the InputError `f` throws, or nothing when it throws none.
std::optional<QString> inputErrorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const InputError& e) {
        return QString::fromStdString(e.what());
    }
    return std::nullopt;
}

/// One way to break the good float32 cross-attention model (B 2, Lq 3, Lk 4, E 4).
struct BrokenModel {
    const char* name;
    std::function<void(const ModelDir&)> breakIt;
    int heads;
    const char* file;   ///< the file the message must name
    const char* phrase; ///< what the message must say about it
};

const std::vector<BrokenModel>& brokenModels()
{
    using enum NpyType;
    static const std::vector<BrokenModel> cases = {
        {"missing query", [](const ModelDir& d) { d.remove("query.npy"); }, 2, "query.npy",
         "cannot open (No such file or directory)"},
        {"missing in_proj_weight", [](const ModelDir& d) { d.remove("in_proj_weight.npy"); }, 2,
         "in_proj_weight.npy", "cannot open (No such file or directory)"},
        {"corrupt out_proj.bias",
         [](const ModelDir& d) { QFile(QString::fromStdString(d.path("out_proj.bias.npy"))).resize(20); }, 2,
         "out_proj.bias.npy", "truncated header"},
        {"2-d query", [](const ModelDir& d) { d.write("query.npy", tagged(Float32, kQuery, {3, 4})); }, 2,
         "query.npy", "shape (3, 4) but expected (B, Lq, E)"},
        {"empty query", [](const ModelDir& d) { d.write("query.npy", tagged(Float32, kQuery, {2, 0, 4})); }, 2,
         "query.npy", "shape (2, 0, 4) has an empty dimension"},
        {"bool query", [](const ModelDir& d) { d.write("query.npy", tagged(Bool, kQuery, {2, 3, 4})); }, 2,
         "query.npy", "dtype bool but query must be float32 or float64"},
        {"key with other E", [](const ModelDir& d) { d.write("key.npy", tagged(Float32, kKey, {2, 4, 5})); }, 2,
         "key.npy", "shape (2, 4, 5) but expected (2, Lk, 4) = (B, Lk, E) with B = 2 and E = 4 from query.npy"},
        {"key with other batch", [](const ModelDir& d) { d.write("key.npy", tagged(Float32, kKey, {1, 4, 4})); },
         2, "key.npy", "shape (1, 4, 4) but expected (2, Lk, 4)"},
        {"value with other Lk", [](const ModelDir& d) { d.write("value.npy", tagged(Float32, kValue, {2, 5, 4})); },
         2, "value.npy", "shape (2, 5, 4) but expected (2, 4, 4) = (B, Lk, E) with B = 2, E = 4 from query.npy and "
                         "Lk = 4 from key.npy"},
        {"value without key", [](const ModelDir& d) { d.remove("key.npy"); }, 2, "value.npy",
         "value.npy is given without key.npy"},
        {"in_proj_weight shape",
         [](const ModelDir& d) { d.write("in_proj_weight.npy", tagged(Float32, kInProjWeight, {12, 3})); }, 2,
         "in_proj_weight.npy", "shape (12, 3) but expected (12, 4) = (3*E, E) with E = 4 from query.npy"},
        {"in_proj_bias shape",
         [](const ModelDir& d) { d.write("in_proj_bias.npy", tagged(Float32, kInProjBias, {4})); }, 2,
         "in_proj_bias.npy", "shape (4,) but expected (12,) = (3*E,) with E = 4 from query.npy"},
        {"out_proj.weight shape",
         [](const ModelDir& d) { d.write("out_proj.weight.npy", tagged(Float32, kOutProjWeight, {4, 3})); }, 2,
         "out_proj.weight.npy", "shape (4, 3) but expected (4, 4) = (E, E)"},
        {"out_proj.bias shape",
         [](const ModelDir& d) { d.write("out_proj.bias.npy", tagged(Float32, kOutProjBias, {4, 1})); }, 2,
         "out_proj.bias.npy", "shape (4, 1) but expected (4,) = (E,)"},
        {"float64 parameter in float32 model",
         [](const ModelDir& d) { d.write("in_proj_bias.npy", tagged(Float64, kInProjBias, {12})); }, 2,
         "in_proj_bias.npy", "dtype float64 but query.npy is float32; activations and parameters must share"},
        {"float64 key in float32 model",
         [](const ModelDir& d) { d.write("key.npy", tagged(Float64, kKey, {2, 4, 4})); }, 2, "key.npy",
         "dtype float64 but query.npy is float32"},
        {"bool parameter",
         [](const ModelDir& d) { d.write("out_proj.bias.npy", tagged(Bool, kOutProjBias, {4})); }, 2,
         "out_proj.bias.npy", "dtype bool but activations and parameters must be float32 or float64"},
        {"heads not dividing E", [](const ModelDir&) {}, 3, "query.npy",
         "d_model 4 (the last dimension) is not divisible by 3 heads"},
        {"float key_padding_mask",
         [](const ModelDir& d) { d.write("key_padding_mask.npy", tagged(Float32, 0, {2, 4})); }, 2,
         "key_padding_mask.npy", "dtype float32 but key_padding_mask must be bool"},
        {"key_padding_mask batch differs from query",
         [](const ModelDir& d) { d.write("key_padding_mask.npy", tagged(Bool, 0, {3, 4})); }, 2,
         "key_padding_mask.npy", "shape (3, 4) but expected (2, 4) = (B, Lk) with B = 2 from query.npy"},
        {"key_padding_mask Lk differs from key",
         [](const ModelDir& d) { d.write("key_padding_mask.npy", tagged(Bool, 0, {2, 3})); }, 2,
         "key_padding_mask.npy", "Lk = 4 from key.npy"},
        {"attn_mask Lk differs from key",
         [](const ModelDir& d) { d.write("attn_mask.npy", tagged(Bool, 0, {3, 5})); }, 2, "attn_mask.npy",
         "shape (3, 5) but expected (3, 4) = (Lq, Lk) with Lq = 3 from query.npy and Lk = 4 from key.npy"},
        {"3-d attn_mask", [](const ModelDir& d) { d.write("attn_mask.npy", tagged(Float32, 0, {4, 3, 4})); }, 2,
         "attn_mask.npy", "shape (4, 3, 4) but expected (3, 4) = (Lq, Lk)"},
    };
    return cases;
}

} // namespace

class TestLoader : public QObject {
    Q_OBJECT

private slots:
    void float32CrossAttention();
    void float64SelfAttention();
    void keyWithoutValueUsesKeyAsValue();
    void boolAttnMask();
    void floatAttnMask_data();
    void floatAttnMask();
    void keyPaddingMaskInSelfAttention();
    void brokenModel_data();
    void brokenModel();
    void headsMustBePositive();
};

void TestLoader::float32CrossAttention()
{
    const ModelDir dir(ModelShape{});
    const LoadedModel model = loadModel(dir.dir(), 2);
    QCOMPARE(model.dtype(), DType::Float32);
    QVERIFY(!model.selfAttention);
    QCOMPARE(model.batch(), 2);
    QCOMPARE(model.queryLen(), 3);
    QCOMPARE(model.keyLen(), 4);
    QCOMPARE(model.embedDim(), 4);
    QVERIFY(!model.attnMask && !model.keyPaddingMask);
    const auto* in = std::get_if<AttentionInputs<float>>(&model.inputs);
    QVERIFY(in);
    verifyInputs(*in, dir.shape(), 2, kKey, kValue);
    QCOMPARE(in->query[1](2, 3), static_cast<float>(storedValue(NpyType::Float32, kQuery, (1 * 3 + 2) * 4 + 3)));
}

void TestLoader::float64SelfAttention()
{
    ModelShape shape;
    shape.type = NpyType::Float64;
    shape.cross = false;
    shape.keyLen = shape.queryLen;
    shape.embed = 6;
    const ModelDir dir(shape);
    const LoadedModel model = loadModel(dir.dir(), 3);
    QCOMPARE(model.dtype(), DType::Float64);
    QVERIFY(model.selfAttention);
    QCOMPARE(model.keyLen(), 3);
    const auto* in = std::get_if<AttentionInputs<double>>(&model.inputs);
    QVERIFY(in);
    verifyInputs(*in, shape, 3, kQuery, kQuery); // key and value are the query
    QCOMPARE(in->query[1](2, 5), 100.0 + ((1 * 3 + 2) * 6 + 5) * 0.1);
}

void TestLoader::keyWithoutValueUsesKeyAsValue()
{
    const ModelDir dir(ModelShape{});
    dir.remove("value.npy");
    const LoadedModel model = loadModel(dir.dir(), 4);
    QVERIFY(!model.selfAttention);
    verifyInputs(std::get<AttentionInputs<float>>(model.inputs), dir.shape(), 4, kKey, kKey);
}

void TestLoader::boolAttnMask()
{
    const ModelDir dir(ModelShape{});
    const auto blockedAt = [](std::size_t i) { return static_cast<double>(i % 4 > i / 4); }; // j > i
    dir.write("attn_mask.npy", npyArray(NpyType::Bool, {3, 4}, blockedAt));
    const LoadedModel model = loadModel(dir.dir(), 2);
    QVERIFY(model.attnMask);
    QVERIFY(model.attnMask->isBool);
    QCOMPARE(model.attnMask->blocked.rows(), 3);
    QCOMPARE(model.attnMask->blocked.cols(), 4);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j)
            QCOMPARE(model.attnMask->blocked(i, j), j > i);
}

void TestLoader::floatAttnMask_data()
{
    QTest::addColumn<int>("modelType");
    QTest::addColumn<int>("maskType");
    const int f32 = static_cast<int>(NpyType::Float32);
    const int f64 = static_cast<int>(NpyType::Float64);
    QTest::newRow("float32 mask, float32 model") << f32 << f32;
    QTest::newRow("float64 mask, float32 model") << f32 << f64;
    QTest::newRow("float32 mask, float64 model") << f64 << f32;
}

void TestLoader::floatAttnMask()
{
    QFETCH(int, modelType);
    QFETCH(int, maskType);
    ModelShape shape;
    shape.type = static_cast<NpyType>(modelType);
    const ModelDir dir(shape);
    const double ninf = -std::numeric_limits<double>::infinity();
    const auto bias = [=](std::size_t i) { return i == 5 ? ninf : static_cast<double>(i) * -0.1; };
    const NpyArray mask = npyArray(static_cast<NpyType>(maskType), {3, 4}, bias);
    dir.write("attn_mask.npy", mask);
    const LoadedModel model = loadModel(dir.dir(), 2);
    QVERIFY(model.attnMask);
    QVERIFY(!model.attnMask->isBool);
    const Matrix<double>& additive = model.attnMask->additive;
    QCOMPARE(additive.rows(), 3);
    QCOMPARE(additive.cols(), 4);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j)
            QCOMPARE(additive(i, j), mask.at(static_cast<std::size_t>(i * 4 + j))); // widened exactly
    QCOMPARE(additive(1, 1), ninf);
}

void TestLoader::keyPaddingMaskInSelfAttention()
{
    ModelShape shape;
    shape.cross = false;
    shape.keyLen = shape.queryLen;
    const ModelDir dir(shape);
    const auto padAt = [](std::size_t i) { return static_cast<double>(i == 2 || i == 5); }; // last key of each item
    dir.write("key_padding_mask.npy", npyArray(NpyType::Bool, {2, 3}, padAt));
    const LoadedModel model = loadModel(dir.dir(), 1);
    QVERIFY(model.keyPaddingMask);
    const BoolMatrix& pad = *model.keyPaddingMask;
    QCOMPARE(pad.rows(), 2);
    QCOMPARE(pad.cols(), 3);
    for (int b = 0; b < 2; ++b)
        for (int j = 0; j < 3; ++j)
            QCOMPARE(pad(b, j), j == 2);
}

void TestLoader::brokenModel_data()
{
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < brokenModels().size(); ++i)
        QTest::newRow(brokenModels()[i].name) << static_cast<int>(i);
}

void TestLoader::brokenModel()
{
    QFETCH(int, index);
    const BrokenModel& broken = brokenModels()[static_cast<std::size_t>(index)];
    const ModelDir dir(ModelShape{});
    broken.breakIt(dir);
    const std::optional<QString> message = inputErrorOf([&] { loadModel(dir.dir(), broken.heads); });
    QVERIFY2(message, "no InputError thrown");
    const QString file = QString::fromStdString(dir.path(broken.file));
    QVERIFY2(message->startsWith(file + ": "), qPrintable(*message + "  <- does not start with " + file));
    QVERIFY2(message->contains(broken.phrase), qPrintable(*message + "  <- lacks: " + broken.phrase));
    QVERIFY2(!message->contains('\n'), qPrintable(*message));
}

void TestLoader::headsMustBePositive()
{
    const ModelDir dir(ModelShape{});
    const std::optional<QString> message = inputErrorOf([&] { loadModel(dir.dir(), 0); });
    QVERIFY(message);
    QVERIFY2(message->contains("heads must be at least 1"), qPrintable(*message));
}

QTEST_APPLESS_MAIN(TestLoader)
#include "tst_loader.moc"
