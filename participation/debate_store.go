package participation

// DebateStore persists comments, votes, reports, moderation decisions and
// statements (owned by the debate work).
type DebateStore interface{}
