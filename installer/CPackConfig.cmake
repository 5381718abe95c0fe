# Packaging with CPack. Included at the end of the top-level CMakeLists.txt, after every target and
# install() rule exists.
#
#   Debian/Ubuntu .deb (built and tested here):  scripts/package-deb.sh   → out/marketstream_<ver>_<arch>.deb
#     (= cmake -B build-deb -DMS_BUILD_TESTS=OFF -DMS_BUILD_BENCH=OFF && ninja marketstream
#        && cpack -G DEB --config build-deb/CPackConfig.cmake)
#   Windows NSIS installer, macOS DragNDrop image: settings below, BUILT ELSEWHERE (there is no Qt 6
#   for MinGW or macOS SDK on the Debian build machines).
#
# What gets packaged: every install() rule of the project — bin/marketstream (app/), the .desktop
# entry and icons (resources/CMakeLists.txt), and the copyright notice below.

set(CPACK_PACKAGE_NAME "marketstream")
set(CPACK_PACKAGE_VENDOR "MarketStream")
set(CPACK_PACKAGE_CONTACT "MarketStream maintainers <maintainers@marketstream.invalid>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION [[
MarketStream streams market data (simulator, replay, CryptoCompare,
Finnhub) through Kafka into PostgreSQL or SQLite, builds OHLCV/VWAP
candles, shows them live in a Qt desktop window and exports them to
Power BI. It also runs without a window: marketstream --headless.

Distributed under the GPL-3: it links Qt Charts, which Debian ships
under the GPL-3.]])
set(CPACK_PACKAGE_INSTALL_DIRECTORY "MarketStream")
set(CPACK_PACKAGE_EXECUTABLES "marketstream" "MarketStream")
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_CURRENT_LIST_DIR}/copyright")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build.*/" "/out/" "\\\\.env$" "\\\\.deb$")
set(CPACK_RPM_PACKAGE_LICENSE "GPL-3.0-or-later")

# The license notice goes where Debian expects it (a .deb has no License field; this file is it).
if(UNIX AND NOT APPLE)
  install(FILES "${CMAKE_CURRENT_LIST_DIR}/copyright" DESTINATION share/doc/marketstream)
endif()

# ---- Debian (.deb) -----------------------------------------------------------------------------
if(UNIX AND NOT APPLE)
  set(CPACK_GENERATOR "DEB")
  set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)            # marketstream_<version>_<arch>.deb
  set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
  set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
  # Depends: dpkg-shlibdeps reads the binary's NEEDED libraries (Qt 6, librdkafka1, libpq5, ...).
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  # ...plus what ldd cannot see: Qt's SQL driver plugins are loaded at run time by name.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-psql, libqt6sql6-sqlite")
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, kcat")
endif()

# ---- Windows: NSIS installer + ZIP — BUILT ELSEWHERE (Windows with the MSVC Qt 6 kit) ---------
if(WIN32)
  set(CPACK_GENERATOR "NSIS;ZIP")
  set(CPACK_NSIS_PACKAGE_NAME "MarketStream")
  set(CPACK_NSIS_DISPLAY_NAME "MarketStream ${PROJECT_VERSION}")
  set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\marketstream.exe")
  set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
  set(CPACK_NSIS_MODIFY_PATH ON)                      # offers to put marketstream on PATH
  set(CPACK_NSIS_EXECUTABLES_DIRECTORY "bin")
  set(CPACK_NSIS_CREATE_ICONS_EXTRA
      "CreateShortCut '$SMPROGRAMS\\\\$STARTMENU_FOLDER\\\\MarketStream.lnk' '$INSTDIR\\\\bin\\\\marketstream.exe'")
  set(CPACK_NSIS_DELETE_ICONS_EXTRA "Delete '$SMPROGRAMS\\\\$START_MENU\\\\MarketStream.lnk'")
  if(EXISTS "${PROJECT_SOURCE_DIR}/resources/icons/marketstream.ico")
    set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/marketstream.ico")
    set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/icons/marketstream.ico")
  endif()
  # Qt DLLs, plugins (platforms, sqldrivers, tls) and librdkafka/libpq next to the exe.
  find_program(MS_WINDEPLOYQT windeployqt HINTS "${Qt6_DIR}/../../../bin")
  if(MS_WINDEPLOYQT)
    install(CODE "execute_process(COMMAND \"${MS_WINDEPLOYQT}\" --release --no-translations
                  \"\${CMAKE_INSTALL_PREFIX}/bin/marketstream.exe\")")
  endif()
  install(CODE "file(GET_RUNTIME_DEPENDENCIES EXECUTABLES \"\${CMAKE_INSTALL_PREFIX}/bin/marketstream.exe\"
                RESOLVED_DEPENDENCIES_VAR _deps PRE_EXCLUDE_REGEXES \"api-ms-.*\" \"ext-ms-.*\"
                POST_EXCLUDE_REGEXES \".*[Ss]ystem32.*\")
                file(INSTALL \${_deps} DESTINATION \"\${CMAKE_INSTALL_PREFIX}/bin\")")
endif()

# ---- macOS: DragNDrop disk image — BUILT ELSEWHERE (macOS with the Qt 6 kit) ------------------
# The .app bundle needs MACOSX_BUNDLE on the marketstream target and `BUNDLE DESTINATION .` in its
# install(TARGETS) (app/CMakeLists.txt), then macdeployqt; the settings below describe the image.
if(APPLE)
  set(CPACK_GENERATOR "DragNDrop")
  set(CPACK_DMG_VOLUME_NAME "MarketStream ${PROJECT_VERSION}")
  set(CPACK_DMG_FORMAT "UDZO")
  set(CPACK_BUNDLE_NAME "MarketStream")
  set(CPACK_PACKAGE_FILE_NAME "MarketStream-${PROJECT_VERSION}-macOS")
  find_program(MS_MACDEPLOYQT macdeployqt HINTS "${Qt6_DIR}/../../../bin")
  if(MS_MACDEPLOYQT)
    install(CODE "execute_process(COMMAND \"${MS_MACDEPLOYQT}\"
                  \"\${CMAKE_INSTALL_PREFIX}/MarketStream.app\" -always-overwrite)")
  endif()
endif()

include(CPack)
