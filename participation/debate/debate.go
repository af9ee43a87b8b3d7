package debate

import "github.com/civickit/civickit"

// ErrNotAuthor: a participant tried to change a contribution that is not
// theirs (e.g. edit someone else's comment).
var ErrNotAuthor = civickit.Sentinel(civickit.ErrForbidden, "debate: not the author")

// Limits of debate inputs.
const (
	MaxCommentLen   = 5000 // runes of a comment
	MaxStatementLen = 1000 // runes of a statement (Polis suggests 140)
)
