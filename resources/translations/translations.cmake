# SPDX-License-Identifier: MIT
# Translations (Qt Linguist): resources/translations/maskscope_<lang>.ts, compiled to .qm by
# lrelease and embedded under :/i18n/ in maskscope_figure. Included from ui/figure/CMakeLists.txt.
#
#   cmake --build build --target update_translations
#
# re-reads the sources into the .ts files (new strings arrive unfinished, vanished ones are
# dropped); translate them with Qt Linguist or a text editor, and tst_translations checks that
# none is left. Qt 6.4's qt_add_translations runs lupdate with one set of options for every .ts
# file, but maskscope_en.ts must hold only the plural forms (-pluralonly: English needs "1 row" /
# "2 rows", every other string is its own source text), so the update target is spelled out.
find_package(Qt6 REQUIRED COMPONENTS LinguistTools)

set(MASKSCOPE_TS_DIR ${PROJECT_SOURCE_DIR}/resources/translations)
set(MASKSCOPE_TS_ZH ${MASKSCOPE_TS_DIR}/maskscope_zh_CN.ts)
set(MASKSCOPE_TS_EN ${MASKSCOPE_TS_DIR}/maskscope_en.ts)
# What lupdate reads: every source of ui/, app/ and core/. The core never includes Qt: its texts
# are marked with QT_TRANSLATE_NOOP, a no-op define lupdate still sees (core/pitfalls.cpp); core
# files without marks add nothing, and a file marked later is read without reconfiguring.
file(GLOB_RECURSE MASKSCOPE_TR_SOURCES CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/ui/*.cpp ${PROJECT_SOURCE_DIR}/ui/*.h
  ${PROJECT_SOURCE_DIR}/app/*.cpp ${PROJECT_SOURCE_DIR}/app/*.h
  ${PROJECT_SOURCE_DIR}/core/*.cpp ${PROJECT_SOURCE_DIR}/core/*.h)
list(SORT MASKSCOPE_TR_SOURCES)
# The same list for the update target and for tst_translations (which runs lupdate itself).
set(MASKSCOPE_TR_SOURCE_LIST ${CMAKE_BINARY_DIR}/maskscope_translation_sources.lst)
# Sources include each other as "<folder>/<file>.h" from core/ and ui/: lupdate needs those
# include paths (one "-I" line each in the list) to see the namespaces of the classes.
list(PREPEND MASKSCOPE_TR_SOURCES -I${PROJECT_SOURCE_DIR}/core -I${PROJECT_SOURCE_DIR}/ui)
list(JOIN MASKSCOPE_TR_SOURCES "\n" source_lines)
file(GENERATE OUTPUT ${MASKSCOPE_TR_SOURCE_LIST} CONTENT "${source_lines}\n")
set(MASKSCOPE_LUPDATE_OPTIONS -no-obsolete -locations none -no-ui-lines)

add_custom_target(update_translations
  COMMAND Qt6::lupdate ${MASKSCOPE_LUPDATE_OPTIONS} @${MASKSCOPE_TR_SOURCE_LIST} -ts ${MASKSCOPE_TS_ZH}
  COMMAND Qt6::lupdate ${MASKSCOPE_LUPDATE_OPTIONS} -pluralonly @${MASKSCOPE_TR_SOURCE_LIST} -ts ${MASKSCOPE_TS_EN}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "Updating resources/translations/*.ts from the sources"
  VERBATIM)

qt_add_lrelease(maskscope_figure TS_FILES ${MASKSCOPE_TS_ZH} ${MASKSCOPE_TS_EN}
  QM_FILES_OUTPUT_VARIABLE MASKSCOPE_QM_FILES)
qt_add_resources(maskscope_figure maskscope_translations PREFIX /i18n BASE ${CMAKE_CURRENT_BINARY_DIR}
  FILES ${MASKSCOPE_QM_FILES})
