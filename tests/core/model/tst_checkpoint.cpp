// SPDX-License-Identifier: MIT
// Widening stored tensors and multiplying by them a block at a time (checkpoint.h): BF16 widens
// bit-exactly for every one of its 65536 patterns at any offset and length, and the blocked
// products agree with the product by the whole widened matrix, across block boundaries, in
// every storage type.
#include "model/checkpoint.h"

#include "base/random.h"

#include <QTest>

#include <bit>
#include <cstring>

using namespace maskscope;

namespace {

/// Little-endian bytes of `values` stored as `type`. The values must be small integers, which
/// all three types hold exactly (F16's bits are composed here by hand, independently of the
/// widening under test).
std::vector<std::uint8_t> stored(const std::vector<float>& values, StorageType type)
{
    std::vector<std::uint8_t> bytes;
    for (const float v : values) {
        const auto bits = std::bit_cast<std::uint32_t>(v);
        if (type == StorageType::F32) {
            for (int i = 0; i < 4; ++i)
                bytes.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
        } else if (type == StorageType::BF16) {
            bytes.push_back(static_cast<std::uint8_t>(bits >> 16));
            bytes.push_back(static_cast<std::uint8_t>(bits >> 24));
        } else { // F16 of a small integer n (|n| < 2048): sign, exponent 15 + e, 10-bit mantissa
            const int n = static_cast<int>(v);
            std::uint16_t h = n < 0 ? 0x8000 : 0;
            int magnitude = n < 0 ? -n : n;
            if (magnitude != 0) {
                int e = 0;
                while ((magnitude >> (e + 1)) != 0)
                    ++e;
                h |= static_cast<std::uint16_t>(((15 + e) << 10) | (((magnitude << 10) >> e) & 0x3ff));
            }
            bytes.push_back(static_cast<std::uint8_t>(h));
            bytes.push_back(static_cast<std::uint8_t>(h >> 8));
        }
    }
    return bytes;
}

/// Integers in [-128, 128): every storage type holds them exactly.
std::vector<float> exactValues(std::size_t n, std::uint64_t seed)
{
    Random random(seed);
    std::vector<float> v(n);
    for (float& x : v)
        x = static_cast<float>(static_cast<int>(random.uniform(-128, 128)));
    return v;
}

Matrix<float> randomMatrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed)
{
    Random random(seed);
    Matrix<float> m(rows, cols);
    random.uniformFloats(-1, 1, m.data(), static_cast<std::size_t>(m.size()));
    return m;
}

} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT

private slots:
    void bf16WidensEveryPatternExactly();
    void blockedProductsAgreeWithTheWholeMatrix_data();
    void blockedProductsAgreeWithTheWholeMatrix();
};

void TestCheckpoint::bf16WidensEveryPatternExactly()
{
    std::vector<std::uint8_t> bytes;
    for (std::uint32_t h = 0; h < 65536; ++h) {
        bytes.push_back(static_cast<std::uint8_t>(h));
        bytes.push_back(static_cast<std::uint8_t>(h >> 8));
    }
    const TensorView view{StorageType::BF16, {65536}, bytes.data()};
    // Offsets and lengths that are not multiples of any chunk or vector width.
    for (const auto& [offset, count] : {std::pair<std::int64_t, std::int64_t>{0, 65536}, {1, 65535}, {3, 1029}, {65535, 1}}) {
        std::vector<float> out(static_cast<std::size_t>(count));
        widen(view, offset, count, out.data());
        for (std::int64_t i = 0; i < count; ++i) {
            const auto expected = static_cast<std::uint32_t>(offset + i) << 16;
            QVERIFY2(std::bit_cast<std::uint32_t>(out[static_cast<std::size_t>(i)]) == expected,
                     qPrintable(QString("pattern %1").arg(offset + i)));
        }
    }
}

void TestCheckpoint::blockedProductsAgreeWithTheWholeMatrix_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    // 2^19 floats per block: 1300 columns make blocks of 403 rows, so 1000 rows end inside a block.
    for (const auto& [name, type] : {std::pair{"F32", StorageType::F32}, {"BF16", StorageType::BF16}, {"F16", StorageType::F16}}) {
        QTest::addRow("%s 1000x1300", name) << static_cast<int>(type) << 1000 << 1300;
        QTest::addRow("%s 7x5", name) << static_cast<int>(type) << 7 << 5;
        QTest::addRow("%s 1x1", name) << static_cast<int>(type) << 1 << 1;
    }
}

void TestCheckpoint::blockedProductsAgreeWithTheWholeMatrix()
{
    QFETCH(int, type);
    QFETCH(int, rows);
    QFETCH(int, cols);
    const std::vector<float> values = exactValues(static_cast<std::size_t>(rows) * cols, 7);
    const std::vector<std::uint8_t> bytes = stored(values, static_cast<StorageType>(type));
    const TensorView w{static_cast<StorageType>(type), {rows, cols}, bytes.data()};
    const Matrix<float> whole = Eigen::Map<const Matrix<float>>(values.data(), rows, cols);
    QCOMPARE(widenMatrix(w), whole);

    const Matrix<float> x = randomMatrix(5, cols, 11);
    const Matrix<float> expected = x * whole.transpose();
    const Matrix<float> got = timesTransposed(x, w);
    QCOMPARE(got.rows(), Eigen::Index{5});
    QCOMPARE(got.cols(), Eigen::Index{rows});
    const float scale = 128.0f * static_cast<float>(cols);
    QVERIFY2((got - expected).cwiseAbs().maxCoeff() <= 1e-6f * scale, "x · Wᵀ");

    const Matrix<float> y = randomMatrix(3, rows, 13);
    const Matrix<float> product = times(y, w);
    QCOMPARE(product.cols(), Eigen::Index{cols});
    QVERIFY2((product - y * whole).cwiseAbs().maxCoeff() <= 1e-6f * 128.0f * static_cast<float>(rows), "x · W");
}

QTEST_APPLESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
