//===- Files.cpp - Files and processes through POSIX ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "runtime/support/Files.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace exaforge::support;

namespace {
/// The failure of a system call on `path`, with errno's reason.
Error systemError(const std::string &path, const char *what) {
  return makeError(path, ": ", what, ": ", std::strerror(errno));
}
} // namespace

std::string exaforge::support::joinPath(const std::string &directory,
                                        const std::string &name) {
  if (directory.empty())
    return name;
  if (directory.back() == '/')
    return directory + name;
  return directory + "/" + name;
}

std::string exaforge::support::getFileName(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool exaforge::support::exists(const std::string &path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

bool exaforge::support::isDirectory(const std::string &path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

Expected<std::string> exaforge::support::readFile(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return systemError(path, "cannot read");
  std::string contents;
  char buffer[65536];
  while (true) {
    ssize_t count = ::read(fd, buffer, sizeof(buffer));
    if (count < 0 && errno == EINTR)
      continue;
    if (count < 0) {
      Error error = systemError(path, "cannot read");
      ::close(fd);
      return error;
    }
    if (count == 0)
      break;
    contents.append(buffer, static_cast<size_t>(count));
  }
  ::close(fd);
  return contents;
}

Error exaforge::support::createDirectories(const std::string &path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST)
      return systemError(prefix, "cannot create the directory");
    if (slash == std::string::npos)
      break;
  }
  if (!isDirectory(path))
    return makeError(path, ": not a directory");
  return Error::success();
}

Expected<std::string>
exaforge::support::createTemporaryDirectory(const std::string &prefix,
                                            const std::string &parent) {
  const char *tmp = std::getenv("TMPDIR");
  std::string directory = !parent.empty() ? parent
                          : tmp && *tmp   ? std::string(tmp)
                                          : std::string("/tmp");
  std::string pattern = joinPath(directory, prefix + "-XXXXXX");
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (!mkdtemp(name.data()))
    return systemError(pattern, "cannot create the directory");
  return std::string(name.data());
}

Expected<std::vector<std::string>>
exaforge::support::listDirectory(const std::string &path) {
  DIR *dir = opendir(path.c_str());
  if (!dir)
    return systemError(path, "cannot list");
  std::vector<std::string> names;
  while (const dirent *entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..")
      names.push_back(std::move(name));
  }
  closedir(dir);
  return names;
}

void exaforge::support::removeDirectoryWithFiles(const std::string &path) {
  if (Expected<std::vector<std::string>> names = listDirectory(path))
    for (const std::string &name : *names)
      unlink(joinPath(path, name).c_str());
  rmdir(path.c_str());
}

Expected<std::string> exaforge::support::findProgram(const std::string &name) {
  if (name.find('/') != std::string::npos)
    return name;
  const char *path = std::getenv("PATH");
  std::string directories = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t begin = 0;
  while (begin <= directories.size()) {
    size_t end = directories.find(':', begin);
    if (end == std::string::npos)
      end = directories.size();
    std::string directory = directories.substr(begin, end - begin);
    std::string candidate = joinPath(directory.empty() ? "." : directory, name);
    if (!isDirectory(candidate) && access(candidate.c_str(), X_OK) == 0)
      return candidate;
    begin = end + 1;
  }
  return makeError("cannot find '", name, "' on PATH");
}

std::string exaforge::support::getExecutablePath() {
  std::vector<char> buffer(4096);
  ssize_t length = readlink("/proc/self/exe", buffer.data(), buffer.size());
  if (length <= 0 || static_cast<size_t>(length) >= buffer.size())
    return "";
  return std::string(buffer.data(), static_cast<size_t>(length));
}

Expected<uint64_t> exaforge::support::getFileSize(const std::string &path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0)
    return systemError(path, "cannot read");
  return static_cast<uint64_t>(info.st_size);
}

Expected<MappedFile> MappedFile::open(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return systemError(path, "cannot read");
  struct stat info;
  if (fstat(fd, &info) != 0) {
    Error error = systemError(path, "cannot read");
    ::close(fd);
    return error;
  }
  MappedFile file;
  if (info.st_size > 0) {
    void *data = mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ,
                      MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) {
      Error error = systemError(path, "cannot map");
      ::close(fd);
      return error;
    }
    file.data = static_cast<const char *>(data);
    file.size = static_cast<size_t>(info.st_size);
  }
  ::close(fd);
  return file;
}

MappedFile::MappedFile(MappedFile &&other) noexcept
    : data(other.data), size(other.size) {
  other.data = nullptr;
  other.size = 0;
}

MappedFile &MappedFile::operator=(MappedFile &&other) noexcept {
  if (this != &other) {
    if (data)
      munmap(const_cast<char *>(data), size);
    data = other.data;
    size = other.size;
    other.data = nullptr;
    other.size = 0;
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data)
    munmap(const_cast<char *>(data), size);
}
