include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS scoringjobs EXPORT scoringjobsTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/scoringjobs DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET scoringjobs_cli)
  # Component "cli": what the Debian package holds (packaging/CMakeLists.txt).
  install(TARGETS scoringjobs_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)
endif()

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/scoringjobs)
install(EXPORT scoringjobsTargets NAMESPACE scoringjobs:: DESTINATION ${config_dir})
configure_package_config_file(cmake/scoringjobsConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/scoringjobsConfig.cmake" INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/scoringjobsConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/scoringjobsConfig.cmake"
  "${CMAKE_CURRENT_BINARY_DIR}/scoringjobsConfigVersion.cmake" DESTINATION ${config_dir})
