// Package formats reads and writes election files: the PrefLib types,
// BLT and Hill's HIL, ABIF, and CSV ranks. Read returns an Election whose
// ballots are a voting.Profile (ranked) or a voting.CardinalProfile;
// Write writes one back; Detect tells a file's format from its name or
// first bytes.
//
// # Formats
//
// PrefLib (https://www.preflib.org/format). The ordinal types soc, soi,
// toc and toi hold lines "count: 1,2,{3,4},5" (braces tie alternatives,
// absent alternatives are unranked). Each order is checked against its
// type: no ties in soc and soi, every alternative in soc and toc. The
// current layout (a "# KEY: value" header) and the legacy one (the number
// of alternatives, "i,name" lines, "voters,sum,unique", then
// "count,1,2,{3,4}") are both read; Write produces the current layout with
// orders by decreasing count, as PrefLib publishes them. An empty order
// ("4:") is a blank ballot and allowed in soi and toi.
//
// PrefLib header rules: NUMBER ALTERNATIVES and every ALTERNATIVE NAME are
// required, names distinct. NUMBER VOTERS and NUMBER UNIQUE ORDERS (the
// legacy counts line likewise) are optional but, when present, must match
// the lines read, so that a truncated file is an error rather than a
// smaller election. DATA TYPE, when present, must be the type asked for.
// A header line after the orders is an error. Orders repeated on several
// lines, which the specification forbids, are tolerated and merged; the
// unique-orders check counts lines. Other fields go to Election.Meta
// (TITLE to Election.Title); Write writes the specification's fields in
// its order, values from Meta, then the other Meta entries.
//
// PrefLib cat (categorical): "count: {1,2},3,{}" puts alternatives in the
// NUMBER CATEGORIES categories, best first, one group per category.
// Two categories read as approval ballots (the first approves, the second
// disapproves); k > 2 as graded ballots whose scale is the category names
// worst first, so category 1 is grade k-1. An alternative in no category
// is blank (voting.NoScore). Election.Categories keeps the names. Write
// takes approval ballots (categories from Election.Categories, default
// "Yes", "No") and graded ones, not score ballots.
//
// BLT, the format of Hill, Wichmann and Woodall's Meek STV program, also
// used by OpenSTV/OpaVote, Droop and OpenTally: "candidates seats", an
// optional line of withdrawn candidates ("-2 -5", Election.Withdrawn, kept
// on the ballots: exclude them with Profile.Restrict), ballot lines
// "weight c1 c2=c3 c4 0" ('=' ties candidates, OpenSTV's "-" for a
// skipped rank closes up), a lone 0, then the candidate names, quoted or
// single words, and the title; Wichmann's source and comment strings
// after the title go to Meta["source"] and Meta["comment"]. Comments run
// from '#' to the end of the line. Limits: weights must be positive
// integers (profiles count voters); a ballot and its closing 0 are on one
// line (lines may hold several ballots; a ballot split over lines is an
// error, not a guess); ballot IDs and C-style comments are not read; names
// cannot contain '"'. A missing title reads as "". Write writes seats as
// at least 1.
//
// HIL is David Hill's layout of the Tideman data (rangevoting.org/
// TidemanData.html). What could be checked against that description and
// the files in circulation: the same header without a withdrawn line, one
// ballot paper per line with count 1 (the counting program read it as a
// count, so any positive count is accepted), rankings without ties, 0 to
// end a ranking and a lone 0 to end the papers, then the names "each in
// parentheses" per the description, though the copies found quote them
// all on one line, and the election name last. Read accepts parentheses,
// quotes and single words; '=', '-' and withdrawn candidates are errors
// and '#' starts no comment. Write uses parentheses (quotes for a name
// holding ')') and writes aggregated counts.
//
// ABIF (github.com/electorama/abif, electowiki.org/wiki/ABIF): metadata
// lines {"title": "..."} (keys may be bare words as in the ABIF test
// files; values are kept as text in Meta), candidate declarations
// "=tok:[Full Name]", ballot lines "count: A>B=C" with "[Name]" usable
// inline, '#' comments, and ratings "A/5>B/3" or "A/5,B/3". A file with
// ratings reads as score ballots: range [min_rating, max_rating] from the
// metadata, default 0 and the highest rating seen; [0, 1] reads as
// approval; a rated candidate without a rating is blank. Mixing rated and
// unrated ballots is an error; the order written between rated
// candidates is not kept, only their ratings. Without ratings ',' ties
// like '='. Candidates are numbered in order of declaration or first use;
// Candidates are the full names, Election.Tokens the tokens when they
// differ. Not read: '*' weights, skipped ranks (">>"), per-ballot JSON.
// A file whose ballots are all blank reads as ranked.
//
// CSV: a header row of candidate names and one row per ballot with ranks
// (1 best, empty unranked, equal numbers tied, gaps allowed); a column
// headed "count" (any case) gives each row's count, default 1. Write
// writes one row per distinct ballot with a count column.
//
// # Errors
//
// A file that breaks a rule of its format is a *ParseError naming the
// line and the rule ("unknown candidate", "count not a positive integer",
// "voters mismatch"), matching ErrParse; errors of the io.Reader are
// returned as they are. Write refuses with ErrUnsupported what the
// format cannot hold instead of altering it: ties or truncated orders in
// a strict or complete PrefLib type, ties in HIL, cardinal ballots in a
// ranked format, names the syntax cannot quote.
//
// Text is passed through as bytes: the package neither checks nor
// converts encodings (a UTF-8 byte-order mark at the start is dropped).
//
// # Memory and speed
//
// Readers stream with bufio, one line at a time (lines up to 16 MiB,
// headers up to 2^20 candidates), and count each distinct ballot once
// under a compact key, so memory grows with the distinct ballots, not with
// the lines; the profile is built once per distinct ballot at the end of
// the file. A ballot line repeated verbatim, as in raw exports, is
// recognised by its text without being parsed again.
package formats
