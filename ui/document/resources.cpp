// SPDX-License-Identifier: MIT
#include "document/resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initMaskScopeResources()
{
    Q_INIT_RESOURCE(maskscope);
}

namespace maskscope::ui {

void ensureResources()
{
    static const bool registered = (initMaskScopeResources(), true);
    (void)registered;
}

} // namespace maskscope::ui
