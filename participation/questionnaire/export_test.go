package questionnaire_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/participation"
	"github.com/civickit/civickit/participation/questionnaire"
)

// expectedRow renders a response as the export should, column by column.
func expectedRow(q *questionnaire.Questionnaire, cols []string, r *questionnaire.Response) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		switch c {
		case questionnaire.ColChannel:
			out[i] = string(r.Provenance.Channel)
		case questionnaire.ColRecruitment:
			out[i] = string(r.Respondent.Recruitment)
		case questionnaire.ColPlace:
			out[i] = r.Provenance.Place
		case questionnaire.ColSubmittedOn:
			out[i] = r.SubmittedAt.UTC().Format("2006-01-02")
		default:
			id, row, _ := strings.Cut(c, ".")
			for _, a := range r.Answers {
				if a.Question != id {
					continue
				}
				switch {
				case row != "":
					out[i] = strings.Join(a.Matrix[row], "|")
				case a.Number != nil:
					out[i] = strconv.FormatFloat(*a.Number, 'g', -1, 64)
				case a.Date != "":
					out[i] = a.Date
				default:
					out[i] = strings.Join(a.Choices, "|")
				}
			}
		}
	}
	return out
}

func sortRows(rows [][]string) {
	slices.SortFunc(rows, func(a, b []string) int { return slices.Compare(a, b) })
}

func TestExportCSV(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.MinGroupSize = 1 })
	rs := importRandom(t, e, q, 120, 5)

	var buf bytes.Buffer
	rep, err := e.svc.Export(ctx, &buf, q.ID, questionnaire.ExportOptions{Format: questionnaire.ExportCSV})
	require.NoError(t, err)
	cols := questionnaire.ExportColumns(q)
	assert.Equal(t, cols, rep.Columns)
	assert.Equal(t, 120, rep.Rows)
	assert.Zero(t, rep.Suppressed)
	assert.NotContains(t, cols, "avis", "free text is not exportable")
	assert.Contains(t, cols, "satisfaction.acces")

	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 121)
	assert.Equal(t, cols, recs[0])
	got := recs[1:]
	want := make([][]string, len(rs))
	for i, r := range rs {
		want[i] = expectedRow(q, cols, r)
	}
	sortRows(got)
	sortRows(want)
	assert.Equal(t, want, got)
}

func TestExportNDJSON(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.MinGroupSize = 1 })
	rs := importRandom(t, e, q, 40, 6)
	cols := []string{"budget", "ameliorations", "channel", "projets.p2", "visite", "frequence"}

	var buf bytes.Buffer
	rep, err := e.svc.Export(ctx, &buf, q.ID, questionnaire.ExportOptions{Format: questionnaire.ExportNDJSON, Columns: cols})
	require.NoError(t, err)
	assert.Equal(t, 40, rep.Rows)

	var got, want [][]string
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		line := sc.Bytes()
		assert.True(t, bytes.HasPrefix(line, []byte(`{"budget":`)), "columns in the order asked: %s", line)
		var obj map[string]any
		require.NoError(t, json.Unmarshal(line, &obj))
		require.Len(t, obj, len(cols))
		row := make([]string, len(cols))
		for i, c := range cols {
			switch v := obj[c].(type) {
			case nil:
			case float64:
				row[i] = strconv.FormatFloat(v, 'g', -1, 64)
			case string:
				row[i] = v
			case []any:
				parts := make([]string, len(v))
				for j, x := range v {
					parts[j] = x.(string)
				}
				row[i] = strings.Join(parts, "|")
			default:
				t.Fatalf("column %s: unexpected %T", c, v)
			}
		}
		got = append(got, row)
	}
	require.NoError(t, sc.Err())
	for _, r := range rs {
		want = append(want, expectedRow(q, cols, r))
	}
	sortRows(got)
	sortRows(want)
	assert.Equal(t, want, got)
}

func TestExportColumnsRefused(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, nil)
	tests := []struct {
		name   string
		opts   questionnaire.ExportOptions
		broken []string
	}{
		{"free text", questionnaire.ExportOptions{Format: questionnaire.ExportCSV, Columns: []string{"channel", "avis"}}, []string{"columns[1]:free_text"}},
		{"unknown", questionnaire.ExportOptions{Format: questionnaire.ExportCSV, Columns: []string{"participant_id", "email", "collected_by", "satisfaction.nulle"}},
			[]string{"columns[0]:allowed_column", "columns[1]:allowed_column", "columns[2]:allowed_column", "columns[3]:allowed_column"}},
		{"whole matrix", questionnaire.ExportOptions{Format: questionnaire.ExportCSV, Columns: []string{"satisfaction"}}, []string{"columns[0]:allowed_column"}},
		{"twice", questionnaire.ExportOptions{Format: questionnaire.ExportCSV, Columns: []string{"budget", "budget"}}, []string{"columns[1]:unique"}},
		{"none", questionnaire.ExportOptions{Format: questionnaire.ExportCSV, Columns: []string{}}, []string{"columns:min"}},
		{"format", questionnaire.ExportOptions{Format: "xlsx"}, []string{"format:oneof"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := e.svc.Export(ctx, &buf, q.ID, tt.opts)
			require.ErrorIs(t, err, participation.ErrInvalid)
			assert.Equal(t, tt.broken, brokenRules(err))
			assert.Zero(t, buf.Len(), "nothing written")
		})
	}
}

func TestExportSuppression(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, nil) // k = 5
	for i := range 8 {
		req := web(q, e.person(t, i, "69123"), minimal("bus"))
		if i >= 6 { // two from one mediator's street stand
			req.Provenance = civickit.Provenance{Channel: civickit.ChannelMediator, CollectedBy: "m-1", Place: "marche-croix-rousse"}
		}
		_, _, err := e.svc.Submit(ctx, req)
		require.NoError(t, err)
	}
	tests := []struct {
		cols             []string
		k                int
		rows, suppressed int
	}{
		{[]string{"channel", "transport"}, 0, 6, 2},
		{[]string{"place", "frequence"}, 0, 6, 2},
		{[]string{"recruitment", "transport"}, 0, 8, 0}, // every one was an open call
		{[]string{"transport"}, 0, 8, 0},                // no quasi-identifier: one group of 8
		{[]string{"transport"}, 9, 0, 8},                // a larger k is honoured
		{[]string{"channel", "transport"}, 2, 6, 2},     // a smaller k is not
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.cols, tt.k), func(t *testing.T) {
			var buf bytes.Buffer
			rep, err := e.svc.Export(ctx, &buf, q.ID, questionnaire.ExportOptions{Format: questionnaire.ExportCSV, Columns: tt.cols, K: tt.k})
			require.NoError(t, err)
			assert.Equal(t, tt.rows, rep.Rows)
			assert.Equal(t, tt.suppressed, rep.Suppressed)
			recs, err := csv.NewReader(&buf).ReadAll()
			require.NoError(t, err)
			assert.Len(t, recs, 1+tt.rows)
			assert.NotContains(t, buf.String(), "marche-croix-rousse")
		})
	}
}

// TestExportCanary seeds distinctive personal values — in the personal
// data and typed by respondents into free-text answers — and checks that
// no export, in either format and with every allowed column, and no
// results document contains any of them, nor any participant or
// response ID.
func TestExportCanary(t *testing.T) {
	ctx := context.Background()
	e := newRespEnv(t)
	c := e.consultation(t, participation.PhaseExpression, participation.Eligibility{})
	q := e.questionnaire(t, c, func(q *questionnaire.Questionnaire) { q.MinGroupSize = 1 })
	canaries := []string{"Zéphyrine Quetzalcoatl", "canari.7f3a9@example.org", "+33 6 99 88 77 66",
		"17 impasse du Canari-Jaune", "CANARY-ROLL-004217", "1931-07-07", "ZQ-canari"}
	var secrets []string
	for i := range 12 {
		p, err := e.core.RegisterParticipant(ctx, &participation.PersonalData{
			Name: canaries[0] + " " + strconv.Itoa(i), Email: strconv.Itoa(i) + canaries[1], Phone: canaries[2],
			Address: canaries[3], Territory: "69123",
			BirthDate: civickit.PartialDate{Year: 1931, Month: 7, Day: 7},
		})
		require.NoError(t, err)
		_, err = e.core.ClaimCensus(ctx, p.ID, "roll", canaries[4]+strconv.Itoa(i))
		require.NoError(t, err)
		ans := append(minimal("velo"), choices("ameliorations", "arbres"), number("budget", 10),
			questionnaire.Answer{Question: "code_postal", Text: "69004"},
			questionnaire.Answer{Question: "avis", Text: "Écrivez-moi : " + canaries[1] + ", " + canaries[0]},
			questionnaire.Answer{Question: "precisions", Text: canaries[6] + " " + canaries[2]})
		req := web(q, p.ID, ans)
		if i%3 == 1 {
			req.Provenance = civickit.Provenance{Channel: civickit.ChannelPaper, CollectedBy: "agent-" + canaries[6], Place: "mairie"}
		}
		req.IdempotencyKey = "key-" + canaries[6] + strconv.Itoa(i)
		r, _, err := e.svc.Submit(ctx, req)
		require.NoError(t, err)
		secrets = append(secrets, p.ID.String(), strings.ReplaceAll(p.ID.String(), "-", ""), r.ID.String())
	}
	secrets = append(secrets, canaries...)
	secrets = append(secrets, "69004") // a free-text answer, even a harmless one

	var outputs []string
	for _, f := range []questionnaire.ExportFormat{questionnaire.ExportCSV, questionnaire.ExportNDJSON} {
		var buf bytes.Buffer
		rep, err := e.svc.Export(ctx, &buf, q.ID, questionnaire.ExportOptions{Format: f})
		require.NoError(t, err)
		require.Equal(t, 12, rep.Rows)
		outputs = append(outputs, buf.String())
	}
	res, err := e.svc.Results(ctx, q.ID)
	require.NoError(t, err)
	doc, err := json.Marshal(res)
	require.NoError(t, err)
	outputs = append(outputs, string(doc))
	for _, out := range outputs {
		require.NotEmpty(t, out)
		for _, s := range secrets {
			assert.NotContains(t, strings.ToLower(out), strings.ToLower(s))
		}
		for _, s := range canaries { // also its pieces
			for _, word := range strings.Fields(s) {
				if len(word) > 6 {
					assert.NotContains(t, out, word)
				}
			}
		}
	}
	assert.NotEqual(t, uuid.Nil, q.ID)
}
