# SPDX-License-Identifier: MIT
# Hot kernels compiled once per x86-64 level and chosen at run time (see core/attention/kernels.h
# and README, "Portable build and run-time kernel choice").
#
# Each level's sources are compiled with -march=<level> and MASKSCOPE_ISA_NS=isa_<level>, then
# partially linked into one object whose symbols are all made local except the level's entry
# point, maskscope::isa_<level>::kernelTable(). Why not just a namespace: the Eigen and standard
# library templates a level instantiates are weak symbols named alike in every level, and the
# linker would keep one arbitrary copy for all of them (an AVX-512 copy running on an older
# processor, or a baseline copy slowing down the v4 kernel). --force-group-allocation dissolves
# the COMDAT groups so that the final link cannot fold the levels' copies together either.

set(MASKSCOPE_ISA_LEVELS x86-64 x86-64-v2 x86-64-v3 x86-64-v4)

# maskscope_isa_kernels(<target> SOURCES <files> [SHARED_SOURCES <files>] [LIBS <targets>]
#                       [ENTRY <name>])
# Adds the kernels to <target>: with MASKSCOPE_ISA_DISPATCH one linked object per level of
# SOURCES and SHARED_SOURCES (the latter: code <target> also compiles for itself, which the
# kernels need at their own level), otherwise SOURCES once, at the build's own flags, as the
# single level "native". LIBS: what the sources need to compile (include paths, definitions).
# ENTRY: the level's entry point, maskscope::<level namespace>::<name>() (default: kernelTable),
# the one symbol its linked object exports.
function(maskscope_isa_kernels target)
  cmake_parse_arguments(ARG "" "ENTRY" "SOURCES;SHARED_SOURCES;LIBS" ${ARGN})
  if(NOT ARG_ENTRY)
    set(ARG_ENTRY kernelTable)
  endif()
  string(LENGTH "${ARG_ENTRY}" entryLength)
  if(NOT MASKSCOPE_ISA_DISPATCH)
    target_sources(${target} PRIVATE ${ARG_SOURCES})
    set_property(SOURCE ${ARG_SOURCES} APPEND PROPERTY COMPILE_DEFINITIONS
                 MASKSCOPE_ISA_NS=isa_native MASKSCOPE_ISA_LEVEL="native")
    set_property(SOURCE ${ARG_SOURCES} PROPERTY SKIP_PRECOMPILE_HEADERS ON) # <target>'s PCH: not for kernels
    return()
  endif()
  foreach(level IN LISTS MASKSCOPE_ISA_LEVELS)
    string(REPLACE "-" "_" ns "isa_${level}")
    string(LENGTH "${ns}" nsLength)
    set(objects ${target}_${ns})
    add_library(${objects} OBJECT ${ARG_SOURCES} ${ARG_SHARED_SOURCES})
    target_link_libraries(${objects} PRIVATE ${ARG_LIBS})
    target_include_directories(${objects} PRIVATE $<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>)
    target_compile_definitions(${objects} PRIVATE $<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>)
    target_compile_definitions(${objects} PRIVATE MASKSCOPE_ISA_NS=${ns} MASKSCOPE_ISA_LEVEL="${level}")
    # -fno-gnu-unique: static locals of inline functions (Eigen's cache sizes) become weak symbols,
    # which objcopy can localize, instead of STB_GNU_UNIQUE ones, which it leaves global.
    target_compile_options(${objects} PRIVATE -march=${level} -fvisibility=hidden -fvisibility-inlines-hidden
                           -fno-gnu-unique)
    # GCC 12's AVX-512 intrinsic headers trip -Wmaybe-uninitialized when Eigen inlines them (GCC
    # bug 105593, fixed in GCC 13): about the compiler's header, not our code.
    if(level STREQUAL "x86-64-v4" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${objects} PRIVATE -Wno-maybe-uninitialized)
    endif()
    set_target_properties(${objects} PROPERTIES AUTOMOC OFF POSITION_INDEPENDENT_CODE ON)
    set(linked ${CMAKE_CURRENT_BINARY_DIR}/${objects}.o)
    add_custom_command(OUTPUT ${linked}
      COMMAND ${CMAKE_LINKER} -r --force-group-allocation -o ${linked}.partial $<TARGET_OBJECTS:${objects}>
      COMMAND ${CMAKE_OBJCOPY} --keep-global-symbol=_ZN9maskscope${nsLength}${ns}${entryLength}${ARG_ENTRY}Ev
              ${linked}.partial ${linked}
      DEPENDS ${objects} $<TARGET_OBJECTS:${objects}>
      COMMENT "Linking the ${level} kernels of ${target}"
      COMMAND_EXPAND_LISTS VERBATIM)
    target_sources(${target} PRIVATE ${linked})
    add_dependencies(${target} ${objects})
  endforeach()
endfunction()

# maskscope_isa_dispatch_source(<file>): <file> chooses among the levels of maskscope_isa_kernels
# (MASKSCOPE_ISA_LEVELS in core/attention/kernels.h names them).
function(maskscope_isa_dispatch_source file)
  if(MASKSCOPE_ISA_DISPATCH)
    set_property(SOURCE ${file} APPEND PROPERTY COMPILE_DEFINITIONS MASKSCOPE_ISA_DISPATCH)
  else()
    set_property(SOURCE ${file} APPEND PROPERTY COMPILE_DEFINITIONS
                 MASKSCOPE_ISA_NS=isa_native MASKSCOPE_ISA_LEVEL="native")
  endif()
endfunction()
