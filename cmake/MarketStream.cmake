# Shared build settings: strict Qt defines and warnings live on one interface target that every
# project library links, so nobody can forget them.
add_library(ms_strict INTERFACE)
target_compile_definitions(ms_strict INTERFACE
  QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_CAST_FROM_BYTEARRAY QT_NO_FOREACH
  QT_NO_URL_CAST_FROM_STRING QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_USE_QSTRINGBUILDER
  QT_STRICT_ITERATORS QT_NO_KEYWORDS
  MS_VERSION="${PROJECT_VERSION}")
target_compile_options(ms_strict INTERFACE -Wall -Wextra -Wno-unused-parameter)

# ms_add_library(NAME <target> [QT <comp>...] [LIBS <lib>...])
# A library made of every .cpp/.h in the calling folder. Globbing keeps each folder's owner the only
# one who edits its file list.
function(ms_add_library)
  cmake_parse_arguments(A "" "NAME" "LIBS" ${ARGN})
  file(GLOB _src CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/*.h)
  list(FILTER _src INCLUDE REGEX "\\.cpp$")
  if(NOT _src)
    # A folder with headers only (or not started yet) is an interface library.
    add_library(${A_NAME} INTERFACE)
    target_include_directories(${A_NAME} INTERFACE ${PROJECT_SOURCE_DIR}/pipeline ${PROJECT_SOURCE_DIR})
    target_link_libraries(${A_NAME} INTERFACE ms_strict ${A_LIBS})
    return()
  endif()
  file(GLOB _hdr CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.h)
  add_library(${A_NAME} STATIC ${_src} ${_hdr})
  target_include_directories(${A_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/pipeline ${PROJECT_SOURCE_DIR})
  target_link_libraries(${A_NAME} PUBLIC ms_strict ${A_LIBS})
  set_target_properties(${A_NAME} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# ms_add_qtest(NAME <tst_x> SOURCES <files> LIBS <libs> [LABELS <labels>] [TIMEOUT s] [GUI])
# One QTest executable registered with CTest. GUI tests run on the offscreen platform.
function(ms_add_qtest)
  cmake_parse_arguments(A "GUI" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${A_NAME} ${A_SOURCES})
  target_link_libraries(${A_NAME} PRIVATE Qt6::Test ms_strict ${A_LIBS})
  target_compile_definitions(${A_NAME} PRIVATE
    MS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    MS_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
    MS_BINARY_DIR="${PROJECT_BINARY_DIR}"
    MS_APP_PATH="$<TARGET_FILE:marketstream>")
  add_test(NAME ${A_NAME} COMMAND ${A_NAME})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  # The app's data folder (default SQLite file, spool) is the build tree's, never the user's.
  set(_env "QT_QPA_PLATFORM=offscreen;XDG_RUNTIME_DIR=${PROJECT_BINARY_DIR}/xdg-runtime;XDG_DATA_HOME=${PROJECT_BINARY_DIR}/xdg-data")
  set_tests_properties(${A_NAME} PROPERTIES TIMEOUT ${A_TIMEOUT} LABELS "${A_LABELS}" ENVIRONMENT "${_env}")
endfunction()
