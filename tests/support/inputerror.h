// SPDX-License-Identifier: MIT
#pragma once
// Checking the errors of untrusted input: InputError, one line, "<name>: <problem>".

#include "base/types.h"

#include <QString>
#include <QTest>

#include <optional>
#include <string>

namespace maskscope::testing {

/// The message of the InputError `f` throws, or nothing when it throws none.
template <typename F>
std::optional<std::string> inputErrorOf(F f)
{
    try {
        f();
    } catch (const InputError& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

} // namespace maskscope::testing

/// Fails the test unless `f` throws an InputError "<name>: ..." on one line containing `phrase`.
#define EXPECT_INPUT_ERROR(f, name, phrase)                                                         \
    do {                                                                                           \
        const std::optional<std::string> message_ = maskscope::testing::inputErrorOf(f);           \
        QVERIFY2(message_.has_value(), "no InputError thrown");                                    \
        const QString text_ = QString::fromStdString(*message_);                                   \
        QVERIFY2(text_.startsWith(QString::fromStdString(name) + ": "), qPrintable(text_));        \
        QVERIFY2(text_.contains(phrase), qPrintable(text_ + "  <- lacks: " + (phrase)));           \
        QVERIFY2(!text_.contains('\n') && !text_.contains('\r'), qPrintable(text_));               \
    } while (false)
