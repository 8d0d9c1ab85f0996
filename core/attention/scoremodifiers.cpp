// SPDX-License-Identifier: MIT
#include "attention/scoremodifiers.h"

#include "base/contract.h"

#include <cmath>
#include <string>

namespace maskscope {

void ScoreModifiers::validate() const
{
    if (softcap && !(std::isfinite(*softcap) && *softcap > 0))
        throw InputError("soft-cap must be a finite number above 0, got " + std::to_string(*softcap));
    for (const double x : sinkLogits)
        if (!std::isfinite(x))
            throw InputError("sink logits must be finite numbers, got " + std::to_string(x));
}

void ScoreModifiers::validate(int heads) const
{
    validate();
    const auto given = static_cast<int>(sinkLogits.size());
    if (given > 1 && given != heads)
        throw InputError(std::to_string(given) + " sink logits given for " + std::to_string(heads) +
                         " heads: give one for all heads or one per head");
}

std::optional<double> ScoreModifiers::sinkLogit(int head) const
{
    if (sinkLogits.empty())
        return std::nullopt;
    return sinkLogits.size() == 1 ? sinkLogits.front() : sinkLogits[static_cast<size_t>(head)];
}

namespace {

bool isPowerOfTwo(int n)
{
    return n > 0 && (n & (n - 1)) == 0;
}

// 2^(-8k/n) for k = 1..n: start = ratio = 2^(-8/n), as the authors write it.
std::vector<double> powerOfTwoSlopes(int n)
{
    std::vector<double> slopes;
    for (int k = 1; k <= n; ++k)
        slopes.push_back(std::exp2(-8.0 * k / n));
    return slopes;
}

} // namespace

std::vector<double> alibiSlopes(int heads)
{
    MASKSCOPE_EXPECTS(heads >= 1);
    if (isPowerOfTwo(heads))
        return powerOfTwoSlopes(heads);
    int closest = 1;
    while (closest * 2 < heads)
        closest *= 2;
    std::vector<double> slopes = powerOfTwoSlopes(closest);
    const std::vector<double> doubled = alibiSlopes(2 * closest);
    for (int k = 0; static_cast<int>(slopes.size()) < heads; k += 2)
        slopes.push_back(doubled[static_cast<size_t>(k)]);
    return slopes;
}

template <typename T>
void applyScoreModifiers(const ScoreModifiers& modifiers, double slope, int queryOffset,
                         Eigen::Ref<const Matrix<T>> logits, Eigen::Ref<Matrix<T>> scores)
{
    if (scores.data() != logits.data())
        scores = logits;
    const T s = static_cast<T>(slope);
    if (modifiers.alibi)
        for (Eigen::Index i = 0; i < scores.rows(); ++i) {
            const long long ip = i + queryOffset;
            T* row = &scores.coeffRef(i, 0);
            for (Eigen::Index j = 0; j < scores.cols(); ++j)
                row[j] -= s * static_cast<T>(ip >= j ? ip - j : j - ip);
        }
    if (modifiers.softcap) {
        const T cap = static_cast<T>(*modifiers.softcap);
        scores = cap * (scores.array() / cap).tanh();
    }
}

template <typename T>
void applyScoreModifiers(const ScoreModifiers& modifiers, double slope, int queryOffset,
                         const Matrix<T>& logits, Matrix<T>& scores)
{
    if (&scores != &logits)
        scores.resize(logits.rows(), logits.cols());
    applyScoreModifiers<T>(modifiers, slope, queryOffset, Eigen::Ref<const Matrix<T>>(logits),
                           Eigen::Ref<Matrix<T>>(scores));
}

template void applyScoreModifiers<float>(const ScoreModifiers&, double, int, const Matrix<float>&,
                                         Matrix<float>&);
template void applyScoreModifiers<double>(const ScoreModifiers&, double, int, const Matrix<double>&,
                                          Matrix<double>&);
template void applyScoreModifiers<float>(const ScoreModifiers&, double, int,
                                         Eigen::Ref<const Matrix<float>>, Eigen::Ref<Matrix<float>>);
template void applyScoreModifiers<double>(const ScoreModifiers&, double, int,
                                          Eigen::Ref<const Matrix<double>>, Eigen::Ref<Matrix<double>>);

} // namespace maskscope
