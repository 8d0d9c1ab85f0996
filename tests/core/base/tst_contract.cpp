// SPDX-License-Identifier: MIT
// The contract macros as a Debug build compiles them: NDEBUG is undefined here whatever the
// build type, so this suite checks that a violated contract is caught in every configuration.
#undef NDEBUG
#include "base/contract.h"

#include "io/npy.h"
#include "mask/maskspec.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

#include <cstring>
#include <string>

using namespace maskscope;

namespace maskscope::testing {
int conditionEvaluationsCompiledOut(); // contract_compiledout.cpp, compiled with NDEBUG
}

namespace {

constexpr const char* kViolateArgument = "--violate-a-precondition";

// Thrown by the test's failure handler, so that a violation can be observed and survived.
struct Caught {
    contract::Violation violation;
};

[[noreturn]] void throwViolation(const contract::Violation& v)
{
    throw Caught{v};
}

// Runs `body` and returns the violation it reported; fails the test if it reported none.
template <typename Body>
contract::Violation violationOf(Body body)
{
    try {
        body();
    } catch (const Caught& c) {
        return c.violation;
    }
    QTest::qFail("no contract violation was reported", __FILE__, __LINE__);
    return {};
}

bool endsWith(const char* text, const char* suffix)
{
    const std::size_t n = std::strlen(text), m = std::strlen(suffix);
    return n >= m && std::strcmp(text + n - m, suffix) == 0;
}

} // namespace

class TestContract : public QObject {
    Q_OBJECT
private slots:
    void init() { contract::setFailureHandler(throwViolation); }
    void cleanup() { contract::setFailureHandler(nullptr); }

    void aViolatedPreconditionReportsConditionFileAndLine()
    {
        int line = 0;
        const contract::Violation v = violationOf([&] {
            line = __LINE__ + 1;
            MASKSCOPE_EXPECTS(1 + 1 == 3);
        });
        QCOMPARE(std::string(v.kind), std::string("precondition"));
        QCOMPARE(std::string(v.condition), std::string("1 + 1 == 3"));
        QVERIFY2(endsWith(v.file, "tst_contract.cpp"), v.file);
        QCOMPARE(v.line, line);
    }
    void aViolatedPostconditionSaysSo()
    {
        const int size = 2;
        const contract::Violation v = violationOf([&] { MASKSCOPE_ENSURES(size == 3); });
        QCOMPARE(std::string(v.kind), std::string("postcondition"));
        QCOMPARE(std::string(v.condition), std::string("size == 3"));
    }
    void aHeldContractEvaluatesItsConditionOnceAndReportsNothing()
    {
        int evaluations = 0;
        MASKSCOPE_EXPECTS(++evaluations == 1);
        MASKSCOPE_ENSURES(++evaluations == 2);
        QCOMPARE(evaluations, 2);
    }
    void releaseBuildsNeitherEvaluateNorReport()
    {
        QCOMPARE(testing::conditionEvaluationsCompiledOut(), 0);
    }
    void theDefaultHandlerPrintsTheViolationAndAborts()
    {
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(kViolateArgument)});
        QVERIFY(child.waitForFinished(60000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        const QByteArray err = child.readAllStandardError();
        QVERIFY2(err.contains("tst_contract.cpp:"), err.constData());
        QVERIFY2(err.contains(": precondition failed: sizeof(int) == 0"), err.constData());
    }
    // The core library's own checks are on only where it was compiled without NDEBUG.
    void theCoreChecksDocumentedPreconditions()
    {
        if (!contract::checkedInCore())
            QSKIP("the core library was compiled with NDEBUG: its contracts are compiled out");
        const MaskSpec spec; // batch 1, 8 x 8
        const contract::Violation item = violationOf([&] { allowedAt(spec, 1, 0, 0); });
        QVERIFY2(std::string(item.condition).find("b < spec.batch") != std::string::npos, item.condition);
        const contract::Violation key = violationOf([&] { allowedAt(spec, 0, 0, 8); });
        QVERIFY2(std::string(key.condition).find("j < spec.keyLen") != std::string::npos, key.condition);
        NpyArray array;
        array.shape = {2};
        array.data.resize(2 * sizeof(float));
        const contract::Violation element = violationOf([&] { array.at(2); });
        QCOMPARE(std::string(element.condition), std::string("i < elementCount()"));
    }
};

int main(int argc, char** argv)
{
    if (argc == 2 && std::strcmp(argv[1], kViolateArgument) == 0) {
        MASKSCOPE_EXPECTS(sizeof(int) == 0); // the default handler must end the process here
        return 0;
    }
    TestContract test;
    QCoreApplication app(argc, argv);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_contract.moc"
