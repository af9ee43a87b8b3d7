package storage

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation/vote"
)

// VoteStore implements vote.Store (the links between a consultation and
// its ballot-box elections) with bun, in the participation domain's
// table vote_elections.
type VoteStore struct {
	partDB
}

var _ vote.Store = (*VoteStore)(nil)

// NewVoteStore returns the vote store on db. It needs the participation
// domain (links refer to consultations); the elections themselves live
// in the ballot box's store (NewBallotBoxStore).
func NewVoteStore(db *DB) *VoteStore {
	db.mustHaveDomain(DomainParticipation, "NewVoteStore")
	return &VoteStore{partDB{db: db}}
}

type voteElectionRow struct {
	bun.BaseModel `bun:"table:vote_elections,alias:ve"`

	ElectionID     uuid.UUID `bun:"election_id,pk"`
	ConsultationID uuid.UUID `bun:"consultation_id"`
	CreatedAt      int64     `bun:"created_at"`
}

func (r *voteElectionRow) toDomain() vote.Link {
	return vote.Link{ElectionID: r.ElectionID, ConsultationID: r.ConsultationID, CreatedAt: fromMicros(r.CreatedAt)}
}

// CreateLink implements vote.Store.
func (s *VoteStore) CreateLink(ctx context.Context, l *vote.Link) error {
	l.CreatedAt = truncate(l.CreatedAt)
	row := &voteElectionRow{ElectionID: l.ElectionID, ConsultationID: l.ConsultationID, CreatedAt: micros(l.CreatedAt)}
	_, err := s.db.bun.NewInsert().Model(row).Exec(ctx)
	return mapErr("create vote link", err)
}

// GetLink implements vote.Store.
func (s *VoteStore) GetLink(ctx context.Context, electionID uuid.UUID) (*vote.Link, error) {
	var r voteElectionRow
	if err := s.db.bun.NewSelect().Model(&r).Where("ve.election_id = ?", electionID).Scan(ctx); err != nil {
		return nil, mapErr("get vote link", err)
	}
	l := r.toDomain()
	return &l, nil
}

// ListLinks implements vote.Store.
func (s *VoteStore) ListLinks(ctx context.Context, consultationID uuid.UUID, after string, limit int) (civickit.Page[vote.Link], error) {
	var cur idCursor
	n, set, err := pageQuery(after, limit, &cur)
	if err != nil {
		return civickit.Page[vote.Link]{}, err
	}
	var rows []voteElectionRow
	q := s.db.bun.NewSelect().Model(&rows).Where("ve.consultation_id = ?", consultationID)
	var vals []any
	if set {
		id, err := cursorID(cur.ID)
		if err != nil {
			return civickit.Page[vote.Link]{}, err
		}
		vals = []any{cur.N, id}
	}
	if err := keyset(q, []sortKey{{expr: "ve.created_at"}, {expr: "ve.election_id"}}, vals, n).Scan(ctx); err != nil {
		return civickit.Page[vote.Link]{}, mapErr("list vote links", err)
	}
	return pageOf(rows, n, noErr((*voteElectionRow).toDomain),
		func(r *voteElectionRow) any { return idCursor{N: r.CreatedAt, ID: r.ElectionID.String()} })
}
