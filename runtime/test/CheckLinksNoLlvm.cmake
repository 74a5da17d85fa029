#===- CheckLinksNoLlvm.cmake - The runtime needs no LLVM -------------------===#
#
# Run as `cmake -DFILES=a;b;... -P CheckLinksNoLlvm.cmake`: fails when `ldd`
# shows that one of FILES (the runtime libraries and exaforge-run) loads
# libLLVM, libMLIR or an MLIR runner library, which a compute node running
# compiled models should not need.
#
#===----------------------------------------------------------------------===#

find_program(LDD ldd REQUIRED)
set(failed FALSE)
foreach(file IN LISTS FILES)
  execute_process(COMMAND ${LDD} ${file} OUTPUT_VARIABLE libraries
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(SEND_ERROR "ldd ${file} failed")
    set(failed TRUE)
    continue()
  endif()
  string(REGEX MATCHALL "lib(LLVM|MLIR|mlir_[a-z_]+)[^ \t\n]*" found
         "${libraries}")
  if(found)
    list(REMOVE_DUPLICATES found)
    message(SEND_ERROR "${file} loads ${found}")
    set(failed TRUE)
  else()
    message(STATUS "${file}: no LLVM or MLIR library")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "the runtime must not load LLVM or MLIR libraries")
endif()
