package participationtest

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/civickit/civickit"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit/participation"
)

var (
	commentBodies = []string{
		"Je suis favorable à ce projet, à condition de garder les arbres.",
		"Quid du stationnement des riverains pendant les travaux ?",
		"Les familles du quartier attendent ça depuis dix ans.",
		"Il faudrait d'abord chiffrer l'entretien sur vingt ans.",
		"Bonne idée, mais l'accès PMR doit être prévu dès le départ.",
	}
	statementTexts = []string{
		"La place doit rester piétonne le samedi.",
		"Il faut plus de bancs à l'ombre.",
		"Les pistes cyclables doivent être séparées de la chaussée.",
		"Le budget participatif devrait doubler.",
		"La cantine devrait proposer un menu végétarien chaque jour.",
	}
)

// DebateProvenance returns a valid provenance on channel ch, collected by
// agent-i at the first fixture access point when the channel needs it.
func DebateProvenance(ch civickit.Channel, i int) civickit.Provenance {
	p := civickit.Provenance{Channel: ch}
	if ch.Assisted() && ch != civickit.ChannelKiosk {
		p.CollectedBy = fmt.Sprintf("agent-%d", i)
	}
	switch ch {
	case civickit.ChannelPaper, civickit.ChannelKiosk, civickit.ChannelMediator:
		p.Place = "bm-part-dieu"
	}
	return p
}

// NewComment returns a valid comment unique to i in the consultation, by
// author, replying to parent when it is not nil (Depth follows), created
// at BaseTime plus i minutes, through a channel that varies with i.
func NewComment(rng *rand.Rand, consultationID, author uuid.UUID, parent *participation.Comment, i int) *participation.Comment {
	at := BaseTime.Add(time.Duration(i) * time.Minute)
	c := &participation.Comment{
		ID: NewID(rng), ConsultationID: consultationID, Depth: 1, AuthorID: author,
		Body:       fmt.Sprintf("%s (n°%d)", commentBodies[rng.IntN(len(commentBodies))], i),
		Alignment:  []participation.Alignment{participation.AlignFor, participation.AlignNeutral, participation.AlignAgainst}[rng.IntN(3)],
		Provenance: DebateProvenance(civickit.Channels()[i%len(civickit.Channels())], i),
		Version:    1, CreatedAt: at, UpdatedAt: at,
	}
	if parent != nil {
		id := parent.ID
		c.ParentID, c.Depth = &id, parent.Depth+1
	}
	return c
}

// NewStatement returns a valid statement unique to i in the consultation:
// by author, or seeded by an organiser when author is nil; created at
// BaseTime plus i minutes.
func NewStatement(rng *rand.Rand, consultationID uuid.UUID, author *uuid.UUID, i int) *participation.Statement {
	st := &participation.Statement{
		ID: NewID(rng), ConsultationID: consultationID,
		Text:       fmt.Sprintf("%s (%d)", statementTexts[rng.IntN(len(statementTexts))], i),
		Provenance: DebateProvenance(civickit.ChannelWeb, i),
		CreatedAt:  BaseTime.Add(time.Duration(i) * time.Minute),
	}
	if author != nil {
		a := *author
		st.AuthorID = &a
		st.Provenance = DebateProvenance(civickit.Channels()[i%len(civickit.Channels())], i)
	} else {
		st.SeededBy = "organiser-1"
	}
	return st
}

// ThreadOrder returns comments in the order DebateStore.ListComments
// must list them: depth first, each comment before its replies, siblings
// by CreatedAt (to the microsecond), then by ID bytes.
func ThreadOrder(comments []participation.Comment) []participation.Comment {
	children := map[uuid.UUID][]participation.Comment{}
	var roots []participation.Comment
	for _, c := range comments {
		if c.ParentID == nil {
			roots = append(roots, c)
		} else {
			children[*c.ParentID] = append(children[*c.ParentID], c)
		}
	}
	sibling := func(a, b participation.Comment) int {
		return cmp.Or(CanonTime(a.CreatedAt).Compare(CanonTime(b.CreatedAt)), bytes.Compare(a.ID[:], b.ID[:]))
	}
	var out []participation.Comment
	var walk func(level []participation.Comment)
	walk = func(level []participation.Comment) {
		slices.SortFunc(level, sibling)
		for _, c := range level {
			out = append(out, c)
			walk(children[c.ID])
		}
	}
	walk(roots)
	return out
}

// CanonComment returns c in canonical form for comparisons.
func CanonComment(c participation.Comment) participation.Comment {
	c.CreatedAt, c.UpdatedAt = CanonTime(c.CreatedAt), CanonTime(c.UpdatedAt)
	if c.ParentID != nil {
		id := *c.ParentID
		c.ParentID = &id
	}
	return c
}

// CanonStatement returns s in canonical form for comparisons.
func CanonStatement(s participation.Statement) participation.Statement {
	s.CreatedAt = CanonTime(s.CreatedAt)
	if s.AuthorID != nil {
		id := *s.AuthorID
		s.AuthorID = &id
	}
	return s
}

// NewProposal returns a valid proposal unique to i in the consultation,
// by author, created at BaseTime plus i minutes, through a channel that
// varies with i.
func NewProposal(rng *rand.Rand, consultationID, author uuid.UUID, i int) *participation.Proposal {
	topic := statementTexts[rng.IntN(len(statementTexts))]
	return &participation.Proposal{
		ID: NewID(rng), ConsultationID: consultationID, AuthorID: author,
		Title:      fmt.Sprintf("Proposition n°%d", i),
		Body:       topic + " Coût estimé : " + fmt.Sprint(1000*(1+rng.IntN(90))) + " €.",
		Provenance: DebateProvenance(civickit.Channels()[i%len(civickit.Channels())], i),
		CreatedAt:  BaseTime.Add(time.Duration(i) * time.Minute),
	}
}

// CanonProposal returns p in canonical form for comparisons.
func CanonProposal(p participation.Proposal) participation.Proposal {
	p.CreatedAt = CanonTime(p.CreatedAt)
	return p
}

// debateCreateComment, debateCreateStatement and debateCreateProposal
// store a new contribution and fail on a replay.
func debateCreateComment(st participation.Store, c *participation.Comment) error {
	return debateNotReplayed(st.CreateComment(context.Background(), c))
}

func debateCreateStatement(st participation.Store, s *participation.Statement) error {
	return debateNotReplayed(st.CreateStatement(context.Background(), s))
}

func debateCreateProposal(st participation.Store, p *participation.Proposal) error {
	return debateNotReplayed(st.CreateProposal(context.Background(), p))
}

func debateNotReplayed(replayed bool, err error) error {
	if err == nil && replayed {
		return errors.New("a new contribution was reported as replayed")
	}
	return err
}
