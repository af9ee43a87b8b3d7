package questionnaire

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/panel"
)

// AttributeSource gives the attributes respondents declared (with their
// consent), for weighting. participation.Service is one.
type AttributeSource interface {
	PanelRespondents(ctx context.Context, rs []participation.RespondentChannel) ([]panel.Respondent, error)
}

// Weighting says how weighted results were weighted: the respondents'
// representativeness before weighting, and the raking that corrected it.
type Weighting struct {
	// Margins are the population categories raked to.
	Margins []string `json:"margins"`
	// Representativeness compares the respondents with the population
	// before weighting: overall, per channel and per recruitment type.
	Representativeness panel.Assessment `json:"representativeness"`
	Iterations         int              `json:"iterations"`
	Converged          bool             `json:"converged"`
	MaxDeviation       float64          `json:"max_deviation"`
	Trimmed            int              `json:"trimmed"`
	Unreachable        []string         `json:"unreachable,omitempty"`
	// Spread describes the weights: their range, coefficient of
	// variation and Kish effective sample size.
	Spread panel.Spread `json:"spread"`
	// Unweighted counts responses that arrived while the weights were
	// computed: they are in the raw counts with weight 0.
	Unweighted int `json:"unweighted,omitempty"`
}

// WeightedResults counts the questionnaire's responses as Results does
// and, next to every raw count (never instead of it), the sum of the
// responses' weights: each response is weighted by raking its
// respondent's declared attributes to the population margins m (a
// respondent who declared nothing is unknown in every category).
// Results.Weighting reports the respondents' representativeness before
// weighting and the weights' spread, so that a reader can judge how much
// the weighting moved. It needs Options.Attributes (ErrUnavailable
// without), and is hidden while Results are.
func (s *Service) WeightedResults(ctx context.Context, questionnaireID uuid.UUID, m panel.Margins, opts panel.RakeOptions) (*Results, error) {
	if s.attributes == nil {
		return nil, fmt.Errorf("weighted results: no attribute source configured: %w", civickit.ErrUnavailable)
	}
	if len(m.Categories) == 0 {
		return nil, civickit.Invalid("margins", "required", "")
	}
	// Validate normalises the shares of the caller's copy, not its own.
	m.Categories = slices.Clone(m.Categories)
	for i := range m.Categories {
		m.Categories[i].Values = slices.Clone(m.Categories[i].Values)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("weighted results: margins: %w", err)
	}
	q, err := s.resultsVisible(ctx, questionnaireID)
	if err != nil {
		return nil, fmt.Errorf("weighted results: %w", err)
	}
	index := map[uuid.UUID]int{}
	var rcs []participation.RespondentChannel
	err = s.store.StreamResponses(ctx, q.ID, func(r *Response) error {
		index[r.ID] = len(rcs)
		rcs = append(rcs, participation.RespondentChannel{Respondent: r.Respondent, Channel: r.Provenance.Channel})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("weighted results: %w", err)
	}
	resp, err := s.attributes.PanelRespondents(ctx, rcs)
	if err != nil {
		return nil, fmt.Errorf("weighted results: %w", err)
	}
	w := &Weighting{Margins: m.Names(), Representativeness: panel.Assess(resp, m)}
	var weights []float64
	if len(resp) > 0 {
		rk, err := panel.Rake(resp, m, nil, opts)
		if err != nil {
			return nil, fmt.Errorf("weighted results: %w", err)
		}
		weights = rk.Weights
		w.Iterations, w.Converged, w.MaxDeviation, w.Trimmed = rk.Iterations, rk.Converged, rk.MaxDeviation, rk.Trimmed
		w.Unreachable, w.Spread = rk.Unreachable, rk.Spread
	}
	res, err := s.results(ctx, q, func(r *Response) float64 {
		i, ok := index[r.ID]
		if !ok {
			w.Unweighted++
			return 0
		}
		return weights[i]
	})
	if err != nil {
		return nil, fmt.Errorf("weighted results: %w", err)
	}
	res.Weighting = w
	return res, nil
}
