# Turns migrations/NNN_name.sql into a C++ source holding them as raw strings,
# so the library carries its schema and never reads SQL from disk at run time.
function(scoringjobs_embed_migrations out_var)
  file(GLOB migration_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/migrations/[0-9][0-9][0-9]_*.sql")
  list(SORT migration_files)
  set(generated "${CMAKE_CURRENT_BINARY_DIR}/embedded_migrations.cpp")
  add_custom_command(
    OUTPUT "${generated}"
    COMMAND "${CMAKE_COMMAND}" -DOUTPUT=${generated} "-DINPUTS=${migration_files}"
            -P "${PROJECT_SOURCE_DIR}/cmake/GenerateMigrations.cmake"
    DEPENDS ${migration_files} "${PROJECT_SOURCE_DIR}/cmake/GenerateMigrations.cmake"
    COMMENT "Embedding schema migrations"
    VERBATIM)
  set(${out_var} "${generated}" PARENT_SCOPE)
endfunction()
