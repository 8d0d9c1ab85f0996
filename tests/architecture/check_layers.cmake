# SPDX-License-Identifier: MIT
# The architecture's contracts, checked on the sources (ctest runs this with cmake -P):
#  - arrows point down only: app -> window -> document -> figure -> core;
#  - core never includes Qt, the figure and the document never include Qt Widgets, the headless
#    commands never the window, and of the document only its session files;
#  - no source file is longer than 700 lines;
#  - every source file starts with its SPDX licence line (MIT, as LICENSE).
# Usage: cmake -DSOURCE_DIR=<project root> -P check_layers.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<project root>")
endif()

set(problems "")

# check_includes(<folder> <forbidden regex> <why>): every #include of every source under folder.
function(check_includes folder forbidden why)
  file(GLOB_RECURSE sources "${SOURCE_DIR}/${folder}/*.h" "${SOURCE_DIR}/${folder}/*.cpp")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    foreach(line IN LISTS includes)
      if(line MATCHES "${forbidden}")
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${source}")
        list(APPEND problems "${rel}: ${line} (${why})")
      endif()
    endforeach()
  endforeach()
  set(problems "${problems}" PARENT_SCOPE)
endfunction()

set(widgets "<Q(Widget|Application|MainWindow|Dialog|Menu|MenuBar|Action|ActionGroup|Label|PushButton|SpinBox|ComboBox|CheckBox|LineEdit|Layout|[HV]BoxLayout|FormLayout|GridLayout|GroupBox|ScrollArea|DockWidget|StatusBar|ToolTip|MessageBox|FileDialog|Slider|TextBrowser|PlainTextEdit|ProgressBar|StackedWidget|ToolButton|ButtonGroup|AbstractButton|RadioButton|DoubleSpinBox|DialogButtonBox)>|<QtWidgets")
check_includes(core "<Q[A-Za-z]*>|<Qt[A-Za-z]*/|\"(figure|document|window)/" "core is Eigen only, never Qt or ui")
check_includes(ui/figure "${widgets}|\"(document|window)/" "the figure links Qt Gui, never Widgets, document or window")
check_includes(ui/document "${widgets}|\"window/" "the document never uses widgets or the window")
check_includes(ui/window "\"[a-z]*app\\.h\"|\"cli\\.h\"|\"exportcommand\\.h\"" "the window never reaches up into app/")

# The headless commands (maskscope_commands: dump, bench, export) link the figure, never the
# window, so that `maskscope export` needs no widget library; of the document (no widgets either)
# they read and write only session files (--session, --save-session).
foreach(unit cli exportcommand uibenchoptions memorypolicy sessionargs)
  foreach(ext h cpp)
    set(source "${SOURCE_DIR}/app/${unit}.${ext}")
    file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"(document|window)/")
    list(FILTER includes EXCLUDE REGEX "\"document/sessionfile\.h\"")
    foreach(line IN LISTS includes)
      list(APPEND problems "app/${unit}.${ext}: ${line} (the headless commands never use the window, nor the document but its session files)")
    endforeach()
  endforeach()
endforeach()

file(GLOB_RECURSE all_sources
  "${SOURCE_DIR}/core/*.h" "${SOURCE_DIR}/core/*.cpp" "${SOURCE_DIR}/ui/*.h" "${SOURCE_DIR}/ui/*.cpp"
  "${SOURCE_DIR}/app/*.h" "${SOURCE_DIR}/app/*.cpp")
foreach(source IN LISTS all_sources)
  file(READ "${source}" text)
  string(REGEX MATCHALL "\n" newlines "${text}")
  list(LENGTH newlines count)
  if(count GREATER 700)
    file(RELATIVE_PATH rel "${SOURCE_DIR}" "${source}")
    list(APPEND problems "${rel}: ${count} lines (at most 700: split it by concern)")
  endif()
endforeach()

file(GLOB_RECURSE test_sources "${SOURCE_DIR}/tests/*.h" "${SOURCE_DIR}/tests/*.cpp")
foreach(source IN LISTS all_sources test_sources)
  file(STRINGS "${source}" first LIMIT_COUNT 1)
  if(NOT first STREQUAL "// SPDX-License-Identifier: MIT")
    file(RELATIVE_PATH rel "${SOURCE_DIR}" "${source}")
    list(APPEND problems "${rel}: the first line is not // SPDX-License-Identifier: MIT")
  endif()
endforeach()

if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "architecture check failed:\n  ${text}")
endif()
message(STATUS "architecture check passed")
