// SPDX-License-Identifier: MIT
// The export's large buffers (largebuffer.h): sized as asked, writable to the last byte, and an
// image over one behaves as any image: painted on, copied, converted, and freed with its last
// copy (the sanitizer tree checks the freeing). Sizes past the address space give nothing.
#include "figure/largebuffer.h"

#include <QPainter>
#include <QTest>

#include <cstring>
#include <limits>

using namespace maskscope::ui;

class TestLargeBuffer : public QObject {
    Q_OBJECT
private slots:
    void buffersHaveTheirSize()
    {
        for (std::size_t size : {std::size_t{1}, std::size_t{4095}, std::size_t{5} << 20, (std::size_t{9} << 20) + 7}) {
            LargeBuffer buffer(size);
            QVERIFY(buffer.data() != nullptr);
            QCOMPARE(buffer.size(), size);
            std::memset(buffer.data(), 0x5a, size);
            QCOMPARE(int(buffer.data()[size - 1]), 0x5a);
        }
        QCOMPARE(LargeBuffer(0).size(), std::size_t{0});
        QVERIFY(LargeBuffer(0).data() == nullptr);
        QVERIFY(LargeBuffer(std::numeric_limits<std::size_t>::max() - 4096).data() == nullptr);
    }

    void imagesBehaveAsImages()
    {
        for (QSize size : {QSize(3, 2), QSize(1725, 1750)}) {
            QImage image = largeImage(size, QImage::Format_RGB32);
            QCOMPARE(image.size(), size);
            QCOMPARE(image.format(), QImage::Format_RGB32);
            image.fill(Qt::white);
            {
                QPainter painter(&image);
                painter.fillRect(QRect(0, 0, 1, 1), Qt::red);
            }
            const QImage copy = image; // shares the buffer until one side writes
            image.setPixel(size.width() - 1, size.height() - 1, qRgb(0, 0, 255));
            QCOMPARE(copy.pixel(size.width() - 1, size.height() - 1), qRgb(255, 255, 255));
            QCOMPARE(image.pixel(size.width() - 1, size.height() - 1), qRgb(0, 0, 255));
            QCOMPARE(image.pixel(0, 0), qRgb(255, 0, 0));
            QCOMPARE(image.convertToFormat(QImage::Format_ARGB32).pixel(0, 0), qRgb(255, 0, 0));
        }
        QVERIFY(largeImage(QSize(0, 10), QImage::Format_RGB32).isNull());
        QVERIFY(largeImage(QSize(-1, 10), QImage::Format_RGB32).isNull());
    }
};

QTEST_GUILESS_MAIN(TestLargeBuffer)
#include "tst_largebuffer.moc"
