# SPDX-License-Identifier: MIT
# Precompiled headers: most of a translation unit's compile time goes into parsing the standard
# library, Qt and Eigen again (a window test preprocesses to ~290k lines, 5% of them ours). Each
# group of targets compiled with the same flags parses them once: its first target compiles the
# PCH, the others reuse it (REUSE_FROM). Only heavy, stable system headers go in, never our own
# (a change of ours would rebuild every PCH and with it everything), and never into the kernels
# of cmake/IsaKernels.cmake, which are compiled per x86-64 level and must share no code.
#
# GCC uses a PCH only when the flags match and every macro defined when it was built is defined
# alike where it is used (a reusing target may define more, unless the headers test them: Qt
# Test's headers test QT_GUI_LIB and QT_WIDGETS_LIB). CMake compiles with -Winvalid-pch, so a PCH
# that does not fit shows up as a warning (the build must stay warning-free).

option(MASKSCOPE_PCH "Precompile the standard library, Qt and Eigen headers (faster builds)" ON)

set(MASKSCOPE_PCH_STD <algorithm> <array> <cmath> <cstdint> <cstring> <functional> <limits> <map>
    <memory> <optional> <set> <string> <string_view> <utility> <variant> <vector>)
set(MASKSCOPE_PCH_EIGEN <Eigen/Core>)
set(MASKSCOPE_PCH_QTCORE <QByteArray> <QCoreApplication> <QDir> <QFile> <QFileInfo> <QJsonArray>
    <QJsonDocument> <QJsonObject> <QObject> <QString> <QStringList> <QTemporaryDir>)
set(MASKSCOPE_PCH_QTGUI <QColor> <QFutureWatcher> <QImage> <QPainter> <QThreadPool> <QTimer>)
set(MASKSCOPE_PCH_QTWIDGETS <QAbstractButton> <QAction> <QApplication> <QCheckBox> <QComboBox>
    <QDockWidget> <QLabel> <QLineEdit> <QMainWindow> <QMenu> <QMenuBar> <QMessageBox> <QPushButton>
    <QSettings> <QSpinBox> <QWidget>)
set(MASKSCOPE_PCH_QTEST <QProcess> <QSignalSpy> <QTest>)

# The groups: what their targets include most.
set(MASKSCOPE_PCH_GROUP_core ${MASKSCOPE_PCH_STD} ${MASKSCOPE_PCH_EIGEN})
set(MASKSCOPE_PCH_GROUP_gui ${MASKSCOPE_PCH_GROUP_core} ${MASKSCOPE_PCH_QTCORE} ${MASKSCOPE_PCH_QTGUI})
set(MASKSCOPE_PCH_GROUP_widgets ${MASKSCOPE_PCH_GROUP_gui} ${MASKSCOPE_PCH_QTWIDGETS})
set(MASKSCOPE_PCH_GROUP_tests_core ${MASKSCOPE_PCH_GROUP_core} ${MASKSCOPE_PCH_QTCORE} ${MASKSCOPE_PCH_QTEST})
set(MASKSCOPE_PCH_GROUP_tests_gui ${MASKSCOPE_PCH_GROUP_gui} ${MASKSCOPE_PCH_QTEST})
set(MASKSCOPE_PCH_GROUP_tests_widgets ${MASKSCOPE_PCH_GROUP_widgets} ${MASKSCOPE_PCH_QTEST})

# maskscope_precompile_headers(<target> <group>): <target> gets the PCH of <group> (core, gui,
# widgets, tests_core, tests_gui, tests_widgets). The group's first target compiles it, every
# later one reuses that PCH and so depends on the first target.
function(maskscope_precompile_headers target group)
  if(NOT MASKSCOPE_PCH)
    return()
  endif()
  if(NOT DEFINED MASKSCOPE_PCH_GROUP_${group})
    message(FATAL_ERROR "maskscope_precompile_headers: no PCH group '${group}'")
  endif()
  get_property(host GLOBAL PROPERTY MASKSCOPE_PCH_HOST_${group})
  if(host)
    target_precompile_headers(${target} REUSE_FROM ${host})
  else()
    target_precompile_headers(${target} PRIVATE ${MASKSCOPE_PCH_GROUP_${group}})
    set_property(GLOBAL PROPERTY MASKSCOPE_PCH_HOST_${group} ${target})
  endif()
endfunction()
