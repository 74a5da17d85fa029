//===- EinsumEquation.cpp - Parsed ONNX Einsum equations ------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements parseEinsumEquation (EinsumEquation.h).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/EinsumEquation.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace exaforge::graph;

namespace {

/// One term of an equation: its letters, with the position of `...` among
/// them (none when absent).
struct Term {
  std::string letters;
  std::optional<size_t> ellipsisAt;
};

/// Splits `text` (spaces removed) into letters and an optional `...`;
/// failure on any other character or a second `...`.
FailureOr<Term> parseTerm(StringRef text, std::string &error) {
  Term term;
  for (size_t i = 0; i < text.size();) {
    if (text.substr(i).starts_with("...")) {
      if (term.ellipsisAt) {
        error = "'...' appears twice in term '" + text.str() + "'";
        return failure();
      }
      term.ellipsisAt = term.letters.size();
      i += 3;
      continue;
    }
    if (!llvm::isAlpha(text[i])) {
      error = "unexpected character '" + std::string(1, text[i]) +
              "' in term '" + text.str() + "'";
      return failure();
    }
    term.letters.push_back(text[i]);
    ++i;
  }
  return term;
}

} // namespace

FailureOr<EinsumEquation>
exaforge::graph::parseEinsumEquation(StringRef equation,
                                     ArrayRef<int64_t> inputRanks,
                                     std::string &error) {
  std::string compact;
  for (char c : equation)
    if (c != ' ')
      compact.push_back(c);
  StringRef text(compact);
  auto [lhs, rhs] = text.split("->");
  bool explicitOutput = text.contains("->");

  SmallVector<StringRef> inputTexts;
  lhs.split(inputTexts, ',');
  if (inputTexts.size() != inputRanks.size()) {
    error = "equation has " + std::to_string(inputTexts.size()) +
            " input terms but the op has " +
            std::to_string(inputRanks.size()) + " inputs";
    return failure();
  }
  SmallVector<Term> terms;
  for (StringRef inputText : inputTexts) {
    FailureOr<Term> term = parseTerm(inputText, error);
    if (failed(term))
      return failure();
    terms.push_back(*term);
  }

  EinsumEquation result;
  // The ellipsis of each input stands for the dimensions its letters leave.
  SmallVector<int64_t> ellipsisRanks;
  for (auto [term, rank] : llvm::zip(terms, inputRanks)) {
    int64_t letters = term.letters.size();
    int64_t ellipsisRank = rank - letters;
    if (ellipsisRank < 0 || (!term.ellipsisAt && ellipsisRank != 0)) {
      error = "term '" + term.letters + "' does not match an input of rank " +
              std::to_string(rank);
      return failure();
    }
    ellipsisRanks.push_back(ellipsisRank);
    result.numEllipsisLoops = std::max(result.numEllipsisLoops, ellipsisRank);
  }

  // Letters get loops after the ellipsis loops, in order of appearance.
  std::map<char, int64_t> loopOfLetter;
  std::map<char, int64_t> uses;
  int64_t nextLoop = result.numEllipsisLoops;
  for (const Term &term : terms)
    for (char letter : term.letters) {
      if (!loopOfLetter.count(letter))
        loopOfLetter[letter] = nextLoop++;
      ++uses[letter];
    }
  result.numLoops = nextLoop;

  for (auto [term, ellipsisRank] : llvm::zip(terms, ellipsisRanks)) {
    SmallVector<int64_t> loops;
    for (auto [i, letter] : llvm::enumerate(term.letters)) {
      if (term.ellipsisAt == i)
        for (int64_t e = 0; e < ellipsisRank; ++e)
          loops.push_back(result.numEllipsisLoops - ellipsisRank + e);
      loops.push_back(loopOfLetter[letter]);
    }
    if (term.ellipsisAt == term.letters.size())
      for (int64_t e = 0; e < ellipsisRank; ++e)
        loops.push_back(result.numEllipsisLoops - ellipsisRank + e);
    result.inputs.push_back(std::move(loops));
  }

  if (!explicitOutput) {
    for (int64_t e = 0; e < result.numEllipsisLoops; ++e)
      result.output.push_back(e);
    for (auto [letter, count] : uses) // std::map: alphabetical order
      if (count == 1)
        result.output.push_back(loopOfLetter[letter]);
    return result;
  }

  FailureOr<Term> outputTerm = parseTerm(rhs, error);
  if (failed(outputTerm))
    return failure();
  auto appendEllipsis = [&] {
    for (int64_t e = 0; e < result.numEllipsisLoops; ++e)
      result.output.push_back(e);
  };
  for (auto [i, letter] : llvm::enumerate(outputTerm->letters)) {
    if (outputTerm->ellipsisAt == i)
      appendEllipsis();
    auto it = loopOfLetter.find(letter);
    if (it == loopOfLetter.end()) {
      error = "output letter '" + std::string(1, letter) +
              "' appears in no input term";
      return failure();
    }
    if (llvm::is_contained(result.output, it->second)) {
      error = "output letter '" + std::string(1, letter) + "' appears twice";
      return failure();
    }
    result.output.push_back(it->second);
  }
  if (outputTerm->ellipsisAt == outputTerm->letters.size())
    appendEllipsis();
  if (!outputTerm->ellipsisAt && result.numEllipsisLoops != 0) {
    error = "the inputs have '...' dimensions but the output term has no '...'";
    return failure();
  }
  return result;
}
