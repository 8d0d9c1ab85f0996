// SPDX-License-Identifier: MIT
// What the process may still allocate: cgroup limits read from a fake cgroup tree, and the
// address-space limit of a child process.
#include "base/memorylimits.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include "sanitizers.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace maskscope;

namespace {

// Writes `text` to root/path, making the directories.
void put(const QTemporaryDir& root, const QString& path, const QByteArray& text)
{
    QVERIFY(QDir(root.path()).mkpath(QFileInfo(root.filePath(path)).path()));
    QFile f(root.filePath(path));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text + "\n");
}

constexpr std::size_t kMiB = 1024 * 1024;

} // namespace

class TestMemoryLimits : public QObject {
    Q_OBJECT
private slots:
    void cgroupV2TakesTheTightestLevel()
    {
        QTemporaryDir root;
        put(root, "ci/job/memory.max", QByteArray::number(qulonglong(2048 * kMiB)));
        put(root, "ci/job/memory.current", QByteArray::number(qulonglong(500 * kMiB)));
        put(root, "ci/memory.max", QByteArray::number(qulonglong(1024 * kMiB)));
        put(root, "ci/memory.current", QByteArray::number(qulonglong(900 * kMiB))); // siblings use most
        const auto left = cgroupBytesLeft("0::/ci/job\n", root.path().toStdString());
        QVERIFY(left.has_value());
        QCOMPARE(*left, 124 * kMiB);
    }
    void cgroupV2MaxIsNoLimit()
    {
        QTemporaryDir root;
        put(root, "a/memory.max", "max");
        put(root, "a/memory.current", "12345");
        QVERIFY(!cgroupBytesLeft("0::/a\n", root.path().toStdString()).has_value());
        QVERIFY(!cgroupBytesLeft("0::/not/there\n", root.path().toStdString()).has_value());
        QVERIFY(!cgroupBytesLeft("", root.path().toStdString()).has_value());
    }
    void cgroupV2UsageBeyondTheLimitLeavesNothing()
    {
        QTemporaryDir root;
        put(root, "memory.max", "1000");
        put(root, "memory.current", "4000");
        QCOMPARE(cgroupBytesLeft("0::/\n", root.path().toStdString()), std::optional<std::size_t>(0));
    }
    void cgroupV1IsReadToo()
    {
        QTemporaryDir root;
        put(root, "memory/docker/abc/memory.limit_in_bytes", QByteArray::number(qulonglong(512 * kMiB)));
        put(root, "memory/docker/abc/memory.usage_in_bytes", QByteArray::number(qulonglong(12 * kMiB)));
        put(root, "memory/memory.limit_in_bytes", "9223372036854771712"); // v1's "no limit"
        const std::string cgroup = "12:pids:/docker/abc\n4:memory:/docker/abc\n1:name=systemd:/x\n0::/\n";
        QCOMPARE(cgroupBytesLeft(cgroup, root.path().toStdString()), std::optional<std::size_t>(500 * kMiB));
        // The controller may share its line with others.
        QCOMPARE(cgroupBytesLeft("5:cpu,memory:/docker/abc\n", root.path().toStdString()),
                 std::optional<std::size_t>(500 * kMiB));
    }
    void theAddressSpaceLimitBindsInAChild()
    {
        if (maskscope::testing::addressSpaceIsReservedBySanitizer())
            QSKIP("AddressSanitizer reserves terabytes of address space: RLIMIT_AS cannot bind (tested in the ordinary build)");
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            const rlimit limit{rlim_t(1024) * kMiB, rlim_t(1024) * kMiB};
            if (setrlimit(RLIMIT_AS, &limit) != 0)
                _exit(10);
            const auto left = addressSpaceBytesLeft();
            if (!left || *left == 0 || *left >= 1024 * kMiB)
                _exit(11);
            const MemoryBudget budget = memoryBudget();
            if (!budget.known || budget.bytes != *left || budget.limit.find("ulimit -v") == std::string::npos)
                _exit(12);
            _exit(0);
        }
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
    }
};

QTEST_GUILESS_MAIN(TestMemoryLimits)
#include "tst_memorylimits.moc"
