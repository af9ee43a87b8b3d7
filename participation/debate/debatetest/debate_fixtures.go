package debatetest

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation/debate"
	"github.com/civickit/civickit/participation/participationtest"
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

// NewComment returns a valid comment unique to i in the consultation, by
// author, replying to parent when it is not nil (Depth follows), created
// at BaseTime plus i minutes, through a channel that varies with i.
func NewComment(rng *rand.Rand, consultationID, author uuid.UUID, parent *debate.Comment, i int) *debate.Comment {
	at := participationtest.BaseTime.Add(time.Duration(i) * time.Minute)
	c := &debate.Comment{
		ID: participationtest.NewID(rng), ConsultationID: consultationID, Depth: 1, AuthorID: author,
		Body:       fmt.Sprintf("%s (n°%d)", commentBodies[rng.IntN(len(commentBodies))], i),
		Alignment:  []debate.Alignment{debate.AlignFor, debate.AlignNeutral, debate.AlignAgainst}[rng.IntN(3)],
		Provenance: participationtest.Provenance(civickit.Channels()[i%len(civickit.Channels())], i),
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
func NewStatement(rng *rand.Rand, consultationID uuid.UUID, author *uuid.UUID, i int) *debate.Statement {
	st := &debate.Statement{
		ID: participationtest.NewID(rng), ConsultationID: consultationID,
		Text:       fmt.Sprintf("%s (%d)", statementTexts[rng.IntN(len(statementTexts))], i),
		Provenance: participationtest.Provenance(civickit.ChannelWeb, i),
		CreatedAt:  participationtest.BaseTime.Add(time.Duration(i) * time.Minute),
	}
	if author != nil {
		a := *author
		st.AuthorID = &a
		st.Provenance = participationtest.Provenance(civickit.Channels()[i%len(civickit.Channels())], i)
	} else {
		st.SeededBy = "organiser-1"
	}
	return st
}

// ThreadOrder returns comments in the order debate.Store.ListComments
// must list them: depth first, each comment before its replies, siblings
// by CreatedAt (to the microsecond), then by ID bytes.
func ThreadOrder(comments []debate.Comment) []debate.Comment {
	children := map[uuid.UUID][]debate.Comment{}
	var roots []debate.Comment
	for _, c := range comments {
		if c.ParentID == nil {
			roots = append(roots, c)
		} else {
			children[*c.ParentID] = append(children[*c.ParentID], c)
		}
	}
	sibling := func(a, b debate.Comment) int {
		return cmp.Or(participationtest.CanonTime(a.CreatedAt).Compare(participationtest.CanonTime(b.CreatedAt)), bytes.Compare(a.ID[:], b.ID[:]))
	}
	var out []debate.Comment
	var walk func(level []debate.Comment)
	walk = func(level []debate.Comment) {
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
func CanonComment(c debate.Comment) debate.Comment {
	c.CreatedAt, c.UpdatedAt = participationtest.CanonTime(c.CreatedAt), participationtest.CanonTime(c.UpdatedAt)
	if c.ParentID != nil {
		id := *c.ParentID
		c.ParentID = &id
	}
	return c
}

// CanonStatement returns s in canonical form for comparisons.
func CanonStatement(s debate.Statement) debate.Statement {
	s.CreatedAt = participationtest.CanonTime(s.CreatedAt)
	if s.AuthorID != nil {
		id := *s.AuthorID
		s.AuthorID = &id
	}
	return s
}

// debateCreateComment, debateCreateStatement and debateCreateProposal
// store a new contribution and fail on a replay.
func debateCreateComment(st stores, c *debate.Comment) error {
	return debateNotReplayed(st.CreateComment(context.Background(), c))
}

func debateCreateStatement(st stores, s *debate.Statement) error {
	return debateNotReplayed(st.CreateStatement(context.Background(), s))
}

func debateNotReplayed(replayed bool, err error) error {
	if err == nil && replayed {
		return errors.New("a new contribution was reported as replayed")
	}
	return err
}
