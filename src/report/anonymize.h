#pragma once
// k-anonymity by generalisation and local suppression, for case-level exports.
//
// The data are records of quasi-identifiers (QIs): what a reader may know about a
// person from elsewhere (year of identification, sex, age, citizenship, …). Each
// QI has a generalisation hierarchy given as data, a table like ARX's: one row
// per value, the value (level 0) followed by its generalisations up to the most
// general level. The empty string means "not recorded": a value written empty
// has lost everything. A record is k-anonymous when the combination of its
// written values occurs at least k times among the written records.
//
// The search has three phases. All are deterministic (no randomness, no
// dependence on hash order) and only ever make classes larger or keep records
// out, so the result is k-anonymous by construction.
//  1. Full-domain generalisation (global recoding), an optimal lattice search as
//     ARX does it: every node of the lattice (one level per QI) recodes all
//     records alike; a node is admissible when leaving out (suppressing) the
//     records of its classes smaller than k stays within the allowance; the
//     chosen node is the admissible one with the least loss (ties: the lower
//     sum of levels, then the lower levels in QI order). Nodes are visited by
//     increasing sum of levels, and a node whose loss counted as if nothing were
//     suppressed (a lower bound of its loss, never lower for a more general node)
//     is no better than the best so far is not evaluated: the monotonicity
//     pruning. This phase alone is optimal and monotone: a larger k never loses
//     less.
//  2. Local recoding (AnonymizeOptions::local_recoding), Mondrian-style top-down
//     specialisation inside each class of that node: a class is split on the QI
//     and to the level (one or several down) that gain the most; the parts of
//     at least k records go down, the others stay together at the class's
//     level. A rest smaller than k is suppressed (within what is left of the
//     allowance), or made up to k with records lent by the part that loses least
//     by lending them, or else joined by the smallest parts — whichever loses
//     least. The parts are split again until nothing gains; each part is then
//     written at the lowest levels at which all its records agree. Never loses
//     more than phase 1 alone; a heuristic, so a larger k can occasionally lose
//     a little less.
//  3. Rescue: a suppressed record that can be written, truthfully at some level
//     of each QI, with the values of a class already written joins the one
//     where it loses least (a record no generalisation can hide stays out).
//
// The loss metric is ARX's "Loss" (Iyengar's LM) per cell: 0 for a value written
// as recorded, 1 for a recorded value written empty, and (leaves − 1) / (domain
// − 1) for a generalised value, where leaves is the number of rows of the
// hierarchy that generalise to it at that level and domain the number of rows.
// A value not recorded loses nothing; a suppressed record loses 1 in each of its
// recorded cells. The search minimises the sum over the QIs that can be
// generalised (over all when none can); the loss reported is that sum divided by
// the number of those cells recorded: 0 = nothing lost, 1 = every recorded value
// blanked or its record suppressed.
//
// Thread-safe: free functions over values.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"

namespace haven::report {

struct Hierarchy {
  std::string name;  // the QI, for summaries and error messages
  // One row per value that may occur: the value, then its generalisations from
  // level 1 to the most general. Every row has the same length, the height + 1.
  // REQUIRES (checked): the values of level 0 are distinct, and rows that agree
  // at a level agree at every level above it (a tree).
  std::vector<std::vector<std::string>> rows;
};

struct AnonymizeOptions {
  // Every combination of written QI values occurs at least k times. At least 2.
  int k = 11;
  // The fraction of the records (0 … 1) that may be suppressed to reach k.
  // Records that even the most general node cannot hide (their combination at
  // every QI's top level occurs fewer than k times) are always suppressed; when
  // they are more than the fraction, their number is the allowance.
  double suppression_limit = 0.05;
  // Phases 2 and 3 above. Off: the optimal full-domain node alone.
  bool local_recoding = true;
};

struct QiSummary {
  std::string name;
  int height = 0;  // levels above the exact value
  int level = 0;   // the level of the full-domain node chosen (phase 1)
  // Over the written records. A value not recorded in the first place is
  // `not_recorded` however it is written (always empty).
  std::size_t exact = 0;        // written as recorded
  std::size_t generalised = 0;  // written coarser, not empty
  std::size_t blanked = 0;      // written empty although recorded
  std::size_t not_recorded = 0;
};

struct AnonymizedRecord {
  bool suppressed = false;
  // Per QI, when written: the level it is written at, and the value written.
  std::vector<int> levels;
  std::vector<std::string> values;
};

struct Anonymization {
  std::vector<AnonymizedRecord> records;  // in the order of the input
  std::size_t written = 0;
  std::size_t suppressed = 0;
  std::size_t generalised = 0;      // written records with a recorded value written otherwise
  double loss = 0;                  // of the result, as above
  double full_domain_loss = 0;      // of the node of phase 1 alone, for comparison
  std::vector<int> node;            // that node: a level per QI
  std::vector<QiSummary> qis;       // in the order of the hierarchies
  std::size_t lattice_nodes = 0;    // the size of the lattice
  std::size_t evaluated_nodes = 0;  // nodes whose classes were counted (the rest pruned)
};

// `records[i][q]` is record i's exact value of QI q, a level-0 value of
// `hierarchies[q]`. Fails (validation) on a record of the wrong width, a value
// missing from its hierarchy, a table that is not a hierarchy, an option out of
// range, or a lattice of more than a million nodes.
Result<Anonymization> Anonymize(const std::vector<std::vector<std::string>>& records,
                                std::span<const Hierarchy> hierarchies,
                                const AnonymizeOptions& options);

}  // namespace haven::report
