package participation

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation/panel"
)

// Attributes are what a participant declared about themselves for the
// representativeness of a consultation's public and for citizens'
// panels (age band, gender, district, education…: category → value;
// panel.Declined when they chose not to say). They are personal data:
// stored apart from contributions, only with the participant's consent,
// erased with the rest (ErasePersonalData), never exported as such.
type Attributes struct {
	ParticipantID uuid.UUID         `json:"participant_id"`
	Values        map[string]string `json:"values"`
	ConsentedAt   time.Time         `json:"consented_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
}

// Limits of declared attributes.
const (
	MaxAttributes      = 50
	MaxAttributeLength = 100
)

// DeclareAttributes stores what the participant declared, replacing
// what was held. consent must be true: the participant agreed to these
// data being kept for representativeness and panels (rule "consent").
func (s *Service) DeclareAttributes(ctx context.Context, participantID uuid.UUID, values map[string]string, consent bool) (*Attributes, error) {
	ve := &civickit.ValidationError{}
	if !consent {
		ve.Add("consent", "required", "")
	}
	if len(values) > MaxAttributes {
		ve.Add("values", "max", fmt.Sprint(MaxAttributes))
	}
	clean := make(map[string]string, len(values))
	for k, v := range values {
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case k == "" || utf8.RuneCountInString(k) > MaxAttributeLength || !utf8.ValidString(k):
			ve.Add("values."+k, "category", "")
		case utf8.RuneCountInString(v) > MaxAttributeLength || !utf8.ValidString(v):
			ve.Add("values."+k, "max", fmt.Sprint(MaxAttributeLength))
		case v != "":
			clean[k] = v
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	a := &Attributes{ParticipantID: participantID, Values: clean, ConsentedAt: now, UpdatedAt: now}
	if err := s.store.PutAttributes(ctx, a); err != nil {
		return nil, fmt.Errorf("declare attributes: %w", err)
	}
	return a, nil
}

// Attributes returns what the participant declared (ErrNotFound when
// nothing is held).
func (s *Service) Attributes(ctx context.Context, participantID uuid.UUID) (*Attributes, error) {
	return s.store.GetAttributes(ctx, participantID)
}

// RespondentChannel is a respondent as a results breakdown knows them:
// the pseudonymous participant, how they were recruited and the channel
// their contribution came through.
type RespondentChannel struct {
	Respondent
	Channel civickit.Channel `json:"channel"`
}

// PanelRespondents loads the attributes of a consultation's respondents
// for package panel (Assess, Rake). A respondent who declared nothing
// has every category unknown. Nothing identifying leaves: the result
// carries attributes, channel and recruitment only.
func (s *Service) PanelRespondents(ctx context.Context, rs []RespondentChannel) ([]panel.Respondent, error) {
	ids := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		ids[i] = r.ParticipantID
	}
	attrs, err := s.store.ListAttributes(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("panel respondents: %w", err)
	}
	by := make(map[uuid.UUID]map[string]string, len(attrs))
	for _, a := range attrs {
		by[a.ParticipantID] = a.Values
	}
	out := make([]panel.Respondent, len(rs))
	for i, r := range rs {
		out[i] = panel.Respondent{Attributes: by[r.ParticipantID], Channel: string(r.Channel), Recruitment: string(r.Recruitment)}
	}
	return out, nil
}

// PanelPool turns volunteers into a sortition pool: each gets a
// pseudonym keyed with salt (HMAC-SHA-256 of the participant ID,
// 16 hex digits), so that a published manifest does not reveal
// participant IDs, which contributions point at; the organiser keeps
// salt and the returned map to call the people drawn. With households,
// people whose personal data hold the same address (case and spaces
// folded) share a household key, itself keyed.
func (s *Service) PanelPool(ctx context.Context, volunteers []uuid.UUID, salt []byte, households bool) ([]panel.Person, map[string]uuid.UUID, error) {
	if len(salt) < 16 {
		return nil, nil, invalidField("salt", "min", "16")
	}
	attrs, err := s.store.ListAttributes(ctx, volunteers)
	if err != nil {
		return nil, nil, fmt.Errorf("panel pool: %w", err)
	}
	by := make(map[uuid.UUID]map[string]string, len(attrs))
	for _, a := range attrs {
		by[a.ParticipantID] = a.Values
	}
	keyed := func(s string) string {
		m := hmac.New(sha256.New, salt)
		m.Write([]byte(s))
		return hex.EncodeToString(m.Sum(nil))[:16]
	}
	people := make([]panel.Person, 0, len(volunteers))
	ids := make(map[string]uuid.UUID, len(volunteers))
	for _, id := range volunteers {
		p := panel.Person{ID: keyed("participant:" + id.String()), Features: by[id]}
		if households {
			pd, err := s.store.GetPersonalData(ctx, id)
			if err == nil && strings.TrimSpace(pd.Address) != "" {
				p.Household = keyed("address:" + strings.ToLower(strings.Join(strings.Fields(pd.Address), " ")))
			}
		}
		ids[p.ID] = id
		people = append(people, p)
	}
	return people, ids, nil
}

func invalidField(path, rule, param string) error {
	ve := &civickit.ValidationError{}
	ve.Add(path, rule, param)
	return ve
}
