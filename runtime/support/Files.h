//===- Files.h - Files and processes through POSIX --------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The file system calls the runtime, the tensor files and the launcher
// make, on POSIX directly (the runtime links no LLVM): reading a file,
// mapping one read-only, paths, directories, and finding programs.
// Errors name the file and give the system's reason.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_SUPPORT_FILES_H
#define EXAFORGE_RUNTIME_SUPPORT_FILES_H

#include "runtime/support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace exaforge::support {

/// `directory` and `name` joined with one '/'.
std::string joinPath(const std::string &directory, const std::string &name);
/// The part of `path` after its last '/'.
std::string getFileName(const std::string &path);

bool exists(const std::string &path);
bool isDirectory(const std::string &path);

/// The contents of the file `path`.
Expected<std::string> readFile(const std::string &path);
/// Creates `path` and its missing parents.
Error createDirectories(const std::string &path);
/// Creates a new directory named `prefix`-XXXXXX under `parent`, or under
/// $TMPDIR (or /tmp) when `parent` is empty.
Expected<std::string> createTemporaryDirectory(const std::string &prefix,
                                               const std::string &parent = "");
/// Removes the directory `path` and the files in it (not recursive).
void removeDirectoryWithFiles(const std::string &path);
/// The names of the entries of directory `path` ("." and ".." excluded).
Expected<std::vector<std::string>> listDirectory(const std::string &path);
/// The path of `name` found on $PATH.
Expected<std::string> findProgram(const std::string &name);
/// The path of the running executable.
std::string getExecutablePath();

/// A file mapped read-only into memory; unmapped when destroyed.
class MappedFile {
public:
  /// Maps the file `path` (an empty file maps to no memory).
  static Expected<MappedFile> open(const std::string &path);
  MappedFile() = default;
  MappedFile(MappedFile &&other) noexcept;
  MappedFile &operator=(MappedFile &&other) noexcept;
  MappedFile(const MappedFile &) = delete;
  MappedFile &operator=(const MappedFile &) = delete;
  ~MappedFile();

  const char *getData() const { return data; }
  size_t getSize() const { return size; }
  /// True when memory is mapped.
  explicit operator bool() const { return data != nullptr; }

private:
  const char *data = nullptr;
  size_t size = 0;
};

/// The size of the file `path` in bytes.
Expected<uint64_t> getFileSize(const std::string &path);

} // namespace exaforge::support

#endif // EXAFORGE_RUNTIME_SUPPORT_FILES_H
