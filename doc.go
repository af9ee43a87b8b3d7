// Package civickit is the shared kernel of the civickit SDK: the
// vocabulary every domain package (participation, voting/ballotbox,
// opendata, associations) and every technology package (storage, the
// reference server's httpapi) speaks, so that one concept has one home.
//
//   - errors.go: the error kinds (ErrNotFound, ErrConflict, ErrInvalid,
//     ErrForbidden, ErrWrongState, ...) that every package's errors match
//     with errors.Is, and Sentinel for a domain's own refined errors;
//   - validation.go: ValidationError, the one shape of "this input breaks
//     these rules", each FieldError naming a path, a rule and a parameter;
//   - page.go: Page[T] and opaque cursors, the one paging convention
//     (ctx, query, after, limit) of every List method;
//   - channel.go: Channel and Provenance, how a contribution or a ballot
//     reached the system (web, paper, kiosk, mediator, import);
//   - assurance.go and partialdate.go: identity assurance levels (eIDAS)
//     and birth dates of which only the year may be known;
//   - identity.go: the one census/identity model: identifiers are only
//     ever stored as keyed, salted hashes;
//   - fold.go: the one text folding used by every search index.
//
// The kernel imports no other civickit package, no storage and no
// net/http.
package civickit
