package associationstest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// longWord is longer than associations.MaxTermLen: stores index its first
// 48 bytes, and cut query words the same way.
const longWord = "Anticonstitutionnellementextraordinairementinterminablementlong"

// fixtureSet builds named associations and stores them.
type fixtureSet struct {
	rng   *rand.Rand
	next  int
	byKey map[string]associations.Association
	rows  storedRows
}

func newFixtureSet(seed uint64) *fixtureSet {
	return &fixtureSet{rng: NewRand(seed), next: 1, byKey: map[string]associations.Association{}, rows: storedRows{}}
}

// add returns a generated association named name, with no category, active,
// without address, after applying edit.
func (fs *fixtureSet) add(key, name string, edit func(a *associations.Association)) associations.Association {
	a := NewAssociation(fs.rng, fs.next)
	fs.next++
	a.Name, a.Acronym, a.Object = name, "", ""
	a.Categories = nil
	a.Status, a.DissolvedOn = associations.StatusActive, nil
	a.Address = associations.Address{}
	if edit != nil {
		edit(&a)
	}
	if key != "" {
		fs.byKey[key] = a
	}
	fs.rows[a.ID] = a
	return a
}

func (fs *fixtureSet) create(t *testing.T, st associations.Store) {
	t.Helper()
	for _, a := range fs.rows {
		mustCreate(t, st, a)
	}
}

func (fs *fixtureSet) ids(keys ...string) []uuid.UUID {
	var out []uuid.UUID
	for _, k := range keys {
		a, ok := fs.byKey[k]
		if !ok {
			panic("associationstest: no fixture " + k)
		}
		out = append(out, a.ID)
	}
	return out
}

// searchAll returns every association SearchAssociations yields for f,
// walking pages of the largest size.
func searchAll(t *testing.T, st associations.Store, f associations.Filter) []associations.Association {
	t.Helper()
	return walkPages(t, fmt.Sprintf("SearchAssociations(%+v)", f), []int{civickit.MaxLimit},
		func(after string, limit int) (civickit.Page[associations.Association], error) {
			return st.SearchAssociations(t.Context(), f, after, limit)
		})
}

// encodeAfter returns the after of a walk starting strictly after c (""
// for nil: from the start).
func encodeAfter[C any](c *C) string {
	if c == nil {
		return ""
	}
	return civickit.EncodeCursor(*c)
}

func idsOf(as []associations.Association) []uuid.UUID {
	out := make([]uuid.UUID, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func sortedIDs(rows storedRows, ids []uuid.UUID) []string {
	as := make([]associations.Association, len(ids))
	for i, id := range ids {
		as[i] = rows[id]
	}
	slices.SortFunc(as, func(a, b associations.Association) int { return compareSearch(&a, &b) })
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = searchKey(a)
	}
	return out
}

func keysOf(as []associations.Association) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = searchKey(a)
	}
	return out
}

// checkSearchWalk walks SearchAssociations from after with page sizes taken
// in turn from limits and checks every page: no longer than Limit, full
// unless it is the last one, a cursor naming its last row exactly when
// more rows follow, rows complete; and that the pages together are want.
func checkSearchWalk(t *testing.T, st associations.Store, rows storedRows, f associations.Filter, after *associations.SearchCursor, limits []int, want []associations.Association) bool {
	t.Helper()
	var got []associations.Association
	cursor := encodeAfter(after)
	for page := 0; ; page++ {
		limit := limits[page%len(limits)]
		size := min(limit, civickit.MaxLimit) // a larger limit is cut
		p, err := st.SearchAssociations(t.Context(), f, cursor, limit)
		if !assert.NoError(t, err, "SearchAssociations(%+v, after %v, limit %d)", f, after, limit) {
			return false
		}
		items := p.Items
		rest := len(want) - len(got)
		got = append(got, items...)
		if !rows.assertListed(t, items) {
			return false
		}
		if len(items) != min(size, max(rest, 0)) {
			assertSameSequence(t, keysOf(want), keysOf(got), "filter %+v, limits %v: page %d has %d rows, want %d", f, limits, page, len(items), min(size, max(rest, 0)))
			return false
		}
		if rest <= size || len(items) == 0 {
			if !assert.Empty(t, p.Next, "filter %+v: the last page (%d, limit %d) must have no Next", f, page, limit) {
				return false
			}
			break
		}
		if !assert.NotEmpty(t, p.Next, "filter %+v: page %d (limit %d) is full and %d rows follow, but Next is empty", f, page, limit, rest-size) {
			return false
		}
		var next associations.SearchCursor
		_, err = civickit.DecodeCursor(p.Next, &next)
		if !assert.NoError(t, err, "filter %+v: Next must encode an associations.SearchCursor", f) {
			return false
		}
		last := items[len(items)-1]
		if !assert.Equal(t, associations.SearchCursor{SortKey: associations.SortKey(last.Name), ID: last.ID}, next,
			"filter %+v: Next must name the last row of the page", f) {
			return false
		}
		after, cursor = &next, p.Next
	}
	return assertSameSequence(t, keysOf(want), keysOf(got), "filter %+v, limits %v: rows walked", f, limits)
}

func (s *suite) testSearch(t *testing.T) {
	t.Run("Empty", func(t *testing.T) {
		st := s.store(t)
		for _, f := range []associations.Filter{{}, {Text: "fete"}, {Status: associations.StatusActive}} {
			p, err := st.SearchAssociations(t.Context(), f, "", 10)
			require.NoError(t, err)
			assert.Empty(t, p.Items)
			assert.Empty(t, p.Next)
		}
		assertPagingErrors(t, "SearchAssociations", func(after string, limit int) (civickit.Page[associations.Association], error) {
			return st.SearchAssociations(t.Context(), associations.Filter{}, after, limit)
		})
	})

	t.Run("Text", func(t *testing.T) {
		st := s.store(t)
		fs := newFixtureSet(20)
		fs.add("A", "Comité des FÊTES de Saint-Étienne", func(a *associations.Association) {
			a.Acronym, a.Object = "CFSE", "Organisation de fêtes populaires"
		})
		fs.add("B", "Les Œuvres sociales", func(a *associations.Association) { a.Object = "Aide aux familles" })
		fs.add("C", "Club de football", func(a *associations.Association) {
			a.Acronym, a.Object = "CFC", "Pratique du football et du futsal"
			a.Status, a.DissolvedOn = associations.StatusDissolved, nil
		})
		fs.add("D", "Association des amis de l'oeuvre", func(a *associations.Association) { a.Object = "Préservation du patrimoine" })
		fs.add("E", "Fetes et musique", func(a *associations.Association) { a.Object = "Concerts" })
		fs.add("F", longWord+" club", nil)
		fs.add("G", "Straße 10 km", func(a *associations.Association) { a.Object = "Course à pied" })
		fs.add("H", "ÆSOPE théâtre", nil)
		fs.add("I", "Łódź Ødegaard", func(a *associations.Association) { a.Object = "Đakovo ıspanak" })
		fs.create(t, st)
		all := []string{"A", "B", "C", "D", "E", "F", "G", "H", "I"}
		cases := []struct {
			q    string
			want []string
		}{
			{"fêt", []string{"A", "E"}},
			{"FET", []string{"A", "E"}},
			{"fetes", []string{"A", "E"}},
			{"Œuvre", []string{"B", "D"}},
			{"oeuv", []string{"B", "D"}},
			{"œuvres", []string{"B"}},
			{"fete musique", []string{"E"}},
			{"musique fete", []string{"E"}},
			{"fetes saint", []string{"A"}},
			{"fetes fet", []string{"A", "E"}},
			{"cfse", []string{"A"}},
			{"CFC", []string{"C"}},
			{"foot", []string{"C"}},
			{"futsal", []string{"C"}},
			{"football zzz", nil},
			{"zzz", nil},
			{"etes", nil},     // a prefix, not an infix
			{"ootball", nil},  // idem
			{"_ootball", nil}, // LIKE wildcards are not syntax
			{"%oot", nil},
			{"amis patrimoine", []string{"D"}}, // words from name and object
			{"saint-étienne", []string{"A"}},
			{"l'oeuvre", []string{"B", "D"}}, // "l" prefixes "les"
			{"strasse", []string{"G"}},
			{"STRASSE", []string{"G"}},
			{"1", []string{"G"}},
			{"10 km", []string{"G"}},
			{"aes", []string{"H"}},
			{"Æsope", []string{"H"}},
			{"theatre", []string{"H"}},
			{"popul", []string{"A"}},
			{"de", []string{"A", "C", "D"}},
			{"c", []string{"A", "C", "E", "F", "G"}},
			{"anticonstitutionnellement", []string{"F"}},
			{longWord, []string{"F"}},
			{strings.ToUpper(longWord) + " CLUB", []string{"F"}},
			// Letters without decomposition keep their identity: a
			// collation that equates ł with l or ø with o breaks these.
			{"łódź", []string{"I"}},
			{"ŁODZ", []string{"I"}},
			{"lodz", nil},
			{"ødeg", []string{"I"}},
			{"odeg", nil},
			{"đakovo", []string{"I"}},
			{"dakovo", nil},
			{"ıspanak", []string{"I"}},
			{"ispanak", nil},
			{"%", all}, // no word at all: nothing to require
			{" - ", all},
		}
		for _, c := range cases {
			t.Run(c.q, func(t *testing.T) {
				f := associations.Filter{Text: c.q}
				got := searchAll(t, st, f)
				assertSameSequence(t, sortedIDs(fs.rows, fs.ids(c.want...)), keysOf(got), "Text %q", c.q)
				fs.rows.assertListed(t, got)
			})
		}
		// Text combines with the other filters.
		got := searchAll(t, st, associations.Filter{Text: "foot", Status: associations.StatusActive})
		assert.Empty(t, idsOf(got), "Text foot + active: C is dissolved")
		got = searchAll(t, st, associations.Filter{Text: "foot", Status: associations.StatusDissolved})
		assert.Equal(t, fs.ids("C"), idsOf(got), "Text foot + dissolved")
	})

	t.Run("Filters", func(t *testing.T) {
		st := s.store(t)
		fs := newFixtureSet(21)
		at := func(commune, postal string, cats []string, status associations.Status) func(a *associations.Association) {
			return func(a *associations.Association) {
				a.Address = associations.Address{CommuneCode: commune, PostalCode: postal, City: "Ville", Country: "FR"}
				a.Categories = cats
				a.Status = status
			}
		}
		active, dissolved := associations.StatusActive, associations.StatusDissolved
		fs.add("p1", "Jardins partagés", at("75056", "75011", []string{"006030"}, active))
		fs.add("p2", "Théâtre du quartier", at("75056", "75004", []string{"006000", "024000"}, dissolved))
		fs.add("p3", "Cyclistes lyonnais", at("69123", "69001", []string{"011010", "006999"}, active))
		fs.add("p4", "Chercheurs corses", at("2A004", "20000", []string{"016000"}, active))
		fs.add("p5", "Amicale de Basse-Terre", at("97105", "97100", nil, active))
		fs.add("p6", "Comité réunionnais", at("97411", "97400", []string{"050000"}, dissolved))
		fs.add("p7", "Club niçois", at("06088", "06000", []string{"006031"}, active))
		fs.add("p8", "Grenoblois à Lyon", at("38185", "69003", []string{"024001"}, active))
		fs.add("p9", "Sans adresse", func(a *associations.Association) { a.Categories = []string{"006030"} })
		fs.create(t, st)
		cases := []struct {
			name string
			f    associations.Filter
			want []string
		}{
			{"none", associations.Filter{}, []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"}},
			{"category sub-code", associations.Filter{Category: "006030"}, []string{"p1", "p9"}},
			{"category theme", associations.Filter{Category: "006000"}, []string{"p1", "p2", "p3", "p7", "p9"}},
			{"category second code", associations.Filter{Category: "006999"}, []string{"p3"}},
			{"category theme of second code", associations.Filter{Category: "011000"}, []string{"p3"}},
			{"category exact sub-code", associations.Filter{Category: "011010"}, []string{"p3"}},
			{"category theme 024", associations.Filter{Category: "024000"}, []string{"p2", "p8"}},
			{"category sub-code not its theme", associations.Filter{Category: "024001"}, []string{"p8"}},
			{"category 016", associations.Filter{Category: "016000"}, []string{"p4"}},
			{"category unused", associations.Filter{Category: "001000"}, nil},
			{"status dissolved", associations.Filter{Status: dissolved}, []string{"p2", "p6"}},
			{"status active", associations.Filter{Status: active}, []string{"p1", "p3", "p4", "p5", "p7", "p8", "p9"}},
			{"commune", associations.Filter{CommuneCode: "75056"}, []string{"p1", "p2"}},
			{"commune Corsica", associations.Filter{CommuneCode: "2A004"}, []string{"p4"}},
			{"commune is exact", associations.Filter{CommuneCode: "7505"}, nil},
			{"postal code", associations.Filter{PostalCode: "75011"}, []string{"p1"}},
			{"postal code not department", associations.Filter{PostalCode: "69003"}, []string{"p8"}},
			{"postal code is exact", associations.Filter{PostalCode: "6900"}, nil},
			{"department", associations.Filter{Department: "75"}, []string{"p1", "p2"}},
			{"department uses the commune code", associations.Filter{Department: "69"}, []string{"p3"}},
			{"department Corsica", associations.Filter{Department: "2A"}, []string{"p4"}},
			{"department prefix 97", associations.Filter{Department: "97"}, []string{"p5", "p6"}},
			{"department overseas", associations.Filter{Department: "971"}, []string{"p5"}},
			{"department leading zero", associations.Filter{Department: "06"}, []string{"p7"}},
			{"department is a prefix", associations.Filter{Department: "60"}, nil},
			{"combined", associations.Filter{Category: "006000", Status: active, Department: "75"}, []string{"p1"}},
			{"combined with text", associations.Filter{Text: "club", Category: "006000"}, []string{"p7"}},
			{"combined empty", associations.Filter{Category: "006000", Department: "2A"}, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got := searchAll(t, st, c.f)
				assertSameSequence(t, sortedIDs(fs.rows, fs.ids(c.want...)), keysOf(got), "filter %+v", c.f)
			})
		}
	})

	t.Run("Order", func(t *testing.T) {
		st := s.store(t)
		fs := newFixtureSet(22)
		names := []string{
			"Ab", "A b", "A-c", "a.b", "Ä B", "ab", "AB", "abc", "Ab c",
			"Ødegaard", "Zèbre", "zebre", "ZEBRE", "Œuvre des amis", "Oeuvre", "oeuvres",
			"10 km de Paris", "2 roues", "100 pas", "École", "Éco", "eco", "ÉTÉ", "Straße", "Strasse", "strasse 2",
			"Κύκλος", "Дружба", "İstanbul", "z", "Z-", "🎉 Fête", "Fête", "🎉", "---", "Naïve", "naive",
			strings.Repeat("κ", 200) + "α", strings.Repeat("κ", 200) + "β", strings.Repeat("κ", 125),
		}
		for _, n := range names {
			fs.add("", n, nil)
		}
		for range 3 { // exact duplicates: only the ID orders them
			fs.add("", "Club des fêtes", nil)
		}
		fs.create(t, st)
		want := searchModel(fs.rows.all(), associations.Filter{}, nil)
		got := searchAll(t, st, associations.Filter{})
		assertSameSequence(t, keysOf(want), keysOf(got), "every association, by (SortKey(Name), ID)")
		fs.rows.assertListed(t, got)
		for _, k := range []int{1, 2, 3, 7} {
			checkSearchWalk(t, st, fs.rows, associations.Filter{}, nil, []int{k}, want)
		}
	})

	t.Run("Pagination", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(23)
		rows := storedRows{}
		var all []associations.Association
		for i := range short(120, 60) {
			a := NewAssociation(rng, i)
			if i%10 == 0 && i > 0 { // exactly the name of an earlier one
				a.Name = all[i/2].Name
			}
			rows[a.ID] = a
			all = append(all, a)
		}
		mustCreate(t, st, all...)
		filters := []associations.Filter{
			{},
			{Status: associations.StatusActive},
			{Status: associations.StatusDissolved},
			{Text: "club"},
			{Text: "fêtes"},
			{Department: "75"},
			{Department: "97"},
			{Category: someCategory(all)},
			{Text: "des", Status: associations.StatusActive},
		}
		// Every page size on the whole listing, a few on filtered ones.
		limitSets := [][]int{{1}, {2}, {3}, {7}, {50}, {1000}, {4, 1, 9, 2}}
		if testing.Short() {
			limitSets = [][]int{{1}, {3}, {1000}, {4, 1, 9, 2}}
		}
		for i, f := range filters {
			want := searchModel(all, f, nil)
			sets := limitSets
			if i > 0 {
				sets = [][]int{{5}, {1000}, {4, 1, 9, 2}}
			}
			for _, limits := range sets {
				t.Run(fmt.Sprintf("%+v/limits%v", f, limits), func(t *testing.T) {
					checkSearchWalk(t, st, rows, f, nil, limits, want)
				})
			}
		}

		// Cursors that name no stored row, or a row among equal sort keys.
		sorted := searchModel(all, associations.Filter{}, nil)
		tie := sorted[0]
		for i := 1; i < len(sorted); i++ {
			if associations.SortKey(sorted[i].Name) == associations.SortKey(sorted[i-1].Name) {
				tie = sorted[i]
				break
			}
		}
		maxID := uuid.UUID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
		cursors := []associations.SearchCursor{
			{SortKey: "", ID: uuid.Nil},
			{SortKey: "m", ID: uuid.Nil},
			{SortKey: "m", ID: maxID},
			{SortKey: associations.SortKey(tie.Name), ID: tie.ID},
			{SortKey: associations.SortKey(tie.Name), ID: uuid.Nil},
			{SortKey: associations.SortKey(tie.Name), ID: maxID},
			{SortKey: associations.SortKey(tie.Name) + " ", ID: uuid.Nil},
			{SortKey: "\U0010ffff", ID: uuid.Nil},
		}
		for _, c := range cursors {
			for _, f := range []associations.Filter{{}, {Status: associations.StatusActive}} {
				t.Run(fmt.Sprintf("after%v/%+v", c, f), func(t *testing.T) {
					c := c
					checkSearchWalk(t, st, rows, f, &c, []int{40}, searchModel(all, f, &c))
				})
			}
		}
	})

	t.Run("FollowsUpdates", func(t *testing.T) {
		st := s.store(t)
		fs := newFixtureSet(24)
		judo := fs.add("judo", "Club de judo", func(a *associations.Association) { a.Object = "Arts martiaux"; a.Categories = []string{"011000"} })
		fs.add("other", "Club de voile", nil)
		fs.create(t, st)
		require.Equal(t, fs.ids("judo"), idsOf(searchAll(t, st, associations.Filter{Text: "judo"})))

		// UpdateAssociation replaces the indexed words and the sort key.
		judo.Name, judo.Object, judo.Categories = "Zen karaté", "Dojo", []string{"006000"}
		judo.UpdatedAt = judo.UpdatedAt.Add(time.Hour)
		up := cloneAssociation(judo)
		require.NoError(t, st.UpdateAssociation(t.Context(), &up))
		judo.Version = up.Version
		fs.rows[judo.ID] = judo
		for _, c := range []struct {
			f    associations.Filter
			want []uuid.UUID
		}{
			{associations.Filter{Text: "judo"}, nil},
			{associations.Filter{Text: "martiaux"}, nil},
			{associations.Filter{Text: "karate"}, fs.ids("judo")},
			{associations.Filter{Text: "dojo zen"}, fs.ids("judo")},
			{associations.Filter{Category: "011000"}, nil},
			{associations.Filter{Category: "006000"}, fs.ids("judo")},
			{associations.Filter{}, fs.ids("other", "judo")}, // "club de voile" < "zen karate"
		} {
			got := searchAll(t, st, c.f)
			assert.Equal(t, c.want, nilIfEmpty(idsOf(got)), "after UpdateAssociation: %+v", c.f)
			fs.rows.assertListed(t, got)
		}

		// So does an upsert that changes content.
		up = cloneAssociation(judo)
		up.Name, up.Object = "Aïkido pour tous", "Arts martiaux"
		res, err := st.UpsertAssociationByRNA(t.Context(), &up)
		require.NoError(t, err)
		require.Equal(t, associations.Updated, res)
		for _, c := range []struct {
			f    associations.Filter
			want []uuid.UUID
		}{
			{associations.Filter{Text: "karate"}, nil},
			{associations.Filter{Text: "aikido martiaux"}, fs.ids("judo")},
			{associations.Filter{}, fs.ids("judo", "other")},
		} {
			assert.Equal(t, c.want, nilIfEmpty(idsOf(searchAll(t, st, c.f))), "after UpsertAssociationByRNA: %+v", c.f)
		}
	})
}
