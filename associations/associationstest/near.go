package associationstest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
)

// upsertInBatches stores as, which must be new, with UpsertAssociationsByRNA
// in batches of size.
func upsertInBatches(t *testing.T, st associations.Store, as []associations.Association, size int) {
	t.Helper()
	for start := 0; start < len(as); start += size {
		batch := make([]*associations.Association, 0, size)
		for _, a := range as[start:min(start+size, len(as))] {
			a := cloneAssociation(a)
			batch = append(batch, &a)
		}
		res, err := st.UpsertAssociationsByRNA(t.Context(), batch)
		require.NoError(t, err, "UpsertAssociationsByRNA(rows %d..%d)", start, start+len(batch)-1)
		for i, r := range res {
			require.Equal(t, associations.Created, r, "UpsertAssociationsByRNA: row %d is new", start+i)
			require.Equal(t, as[start+i].ID, batch[i].ID, "UpsertAssociationsByRNA keeps the caller's ID of a new row")
		}
	}
}

// randomPoint returns a point uniformly distributed on the sphere.
func randomPoint(rng *rand.Rand) associations.Point {
	return associations.Point{
		Lat: math.Asin(2*rng.Float64()-1) * 180 / math.Pi,
		Lon: 360*rng.Float64() - 180,
	}
}

// nearPoints returns the location of record i of the geographic data set:
// uniform points, clusters within 0.1° of both poles (some exactly on
// them), on both sides of the antimeridian (some exactly on ±180), on the
// equator, a dense city cluster with points a metre apart, exact
// duplicates of earlier points, and records without location.
func nearPoint(rng *rand.Rand, i int, earlier []associations.Association) *associations.Point {
	p := func(lat, lon float64) *associations.Point { return &associations.Point{Lat: lat, Lon: lon} }
	exact := rng.IntN(8) == 0
	switch i % 20 {
	case 0, 1, 2, 3, 4:
		q := randomPoint(rng)
		return &q
	case 5:
		if exact {
			return p(90, 360*rng.Float64()-180)
		}
		return p(90-0.1*rng.Float64(), 360*rng.Float64()-180)
	case 6:
		if exact {
			return p(-90, 360*rng.Float64()-180)
		}
		return p(-90+0.1*rng.Float64(), 360*rng.Float64()-180)
	case 7, 8:
		lat := -17 + 40*(rng.Float64()-0.5)
		if exact {
			return p(lat, 180)
		}
		return p(lat, 180-0.1*rng.Float64())
	case 9, 10:
		lat := -17 + 40*(rng.Float64()-0.5)
		if exact {
			return p(lat, -180)
		}
		return p(lat, -180+0.1*rng.Float64())
	case 11:
		return p(0.01*(rng.Float64()-0.5), 360*rng.Float64()-180)
	case 12, 13:
		c := Communes[0].Center // Paris: ~1 m and ~2 km spreads
		if rng.IntN(2) == 0 {
			return p(c.Lat+1e-5*(rng.Float64()-0.5), c.Lon+1.5e-5*(rng.Float64()-0.5))
		}
		return p(c.Lat+0.02*(rng.Float64()-0.5), c.Lon+0.03*(rng.Float64()-0.5))
	case 14, 15:
		for j := len(earlier) - 1; j >= 0 && j > len(earlier)-40; j-- {
			if l := earlier[j].Address.Location; l != nil && rng.IntN(4) == 0 {
				q := *l
				return &q
			}
		}
		return p(0, 0)
	case 16, 17:
		return nil
	}
	if a := NewAssociation(rng, i); a.Address.Location != nil {
		return a.Address.Location // near a commune of Communes
	}
	return p(45.764043, 4.835659)
}

// nearDataset returns n associations located by nearPoint.
func nearDataset(seed uint64, n int) []associations.Association {
	rng := NewRand(seed)
	out := make([]associations.Association, 0, n)
	for i := range n {
		a := NewAssociation(rng, i)
		a.Address.Location = nearPoint(rng, i, out)
		out = append(out, a)
	}
	return out
}

// extremePoints returns the northernmost, southernmost, easternmost and
// westernmost points of the circle of radius meters around c: where a
// bounding-box prefilter is tight. c must not have a pole within reach.
func extremePoints(c associations.Point, meters float64) []associations.Point {
	const r = math.Pi / 180
	d := meters / associations.EarthRadiusMeters
	φ := c.Lat * r
	lon := func(l float64) float64 {
		switch {
		case l > 180:
			return l - 360
		case l < -180:
			return l + 360
		}
		return l
	}
	φt := math.Asin(math.Sin(φ) / math.Cos(d))
	dλ := math.Asin(math.Sin(d)/math.Cos(φ)) / r
	return []associations.Point{
		{Lat: c.Lat + d/r, Lon: c.Lon},
		{Lat: c.Lat - d/r, Lon: c.Lon},
		{Lat: φt / r, Lon: lon(c.Lon + dλ)},
		{Lat: φt / r, Lon: lon(c.Lon - dλ)},
	}
}

func nearRows(hits []associations.NearHit) []nearRow {
	out := make([]nearRow, len(hits))
	for i, h := range hits {
		out[i] = nearRow{h.Association.ID.String(), h.DistanceMeters}
	}
	return out
}

// checkNearWalk walks NearAssociations from after with page sizes taken
// in turn from limits and checks each page like checkSearchWalk, then that
// the pages together are exactly want: same IDs, same order, same
// distances to the bit.
func checkNearWalk(t *testing.T, st associations.Store, rows storedRows, p associations.NearParams, after *associations.NearCursor, limits []int, want []nearRow) bool {
	t.Helper()
	var got []nearRow
	desc := fmt.Sprintf("center (%.17g, %.17g), radius %.17g m, filter %+v, limits %v", p.Center.Lat, p.Center.Lon, p.RadiusMeters, p.Filter, limits)
	cursor := encodeAfter(after)
	for page := 0; ; page++ {
		limit := limits[page%len(limits)]
		size := min(limit, civickit.MaxLimit) // a larger limit is cut
		res, err := st.NearAssociations(t.Context(), p, cursor, limit)
		if !assert.NoError(t, err, desc) {
			return false
		}
		hits := res.Items
		rest := len(want) - len(got)
		got = append(got, nearRows(hits)...)
		for _, h := range hits {
			if !rows.assertListed(t, []associations.Association{h.Association}) {
				return false
			}
		}
		if len(hits) != min(size, max(rest, 0)) {
			assertSameSequence(t, want, got, "%s: page %d has %d rows, want %d", desc, page, len(hits), min(size, max(rest, 0)))
			return false
		}
		if rest <= size || len(hits) == 0 {
			if !assert.Empty(t, res.Next, "%s: the last page (%d) must have no Next", desc, page) {
				return false
			}
			break
		}
		if !assert.NotEmpty(t, res.Next, "%s: page %d is full and %d rows follow, but Next is empty", desc, page, rest-size) {
			return false
		}
		var next associations.NearCursor
		_, err = civickit.DecodeCursor(res.Next, &next)
		if !assert.NoError(t, err, "%s: Next must encode an associations.NearCursor", desc) {
			return false
		}
		last := hits[len(hits)-1]
		if !assert.Equal(t, associations.NearCursor{Meters: last.DistanceMeters, ID: last.Association.ID}, next, "%s: Next must name the last row of the page", desc) {
			return false
		}
		cursor = res.Next
	}
	return assertSameSequence(t, want, got, "%s: rows walked (ID@distance)", desc)
}

// pageSizes picks page sizes for a walk of n rows: small ones to cross
// many page boundaries, but no more than about five pages, two for large
// results (every page may cost a store a scan of all its candidates).
func pageSizes(rng *rand.Rand, n int) []int {
	k := []int{1, 2, 3, 5, 10, 50, 1000}[rng.IntN(7)]
	switch {
	case n > 300:
		k = max(k, n/2+1)
	case n/k > 5:
		k = n/5 + 1
	}
	return []int{k}
}

func (s *suite) testNear(t *testing.T) {
	t.Run("Empty", func(t *testing.T) {
		st := s.store(t)
		world := associations.NearParams{Center: associations.Point{Lat: 48.85, Lon: 2.35}, RadiusMeters: associations.MaxRadiusMeters}
		p, err := st.NearAssociations(t.Context(), world, "", 10)
		require.NoError(t, err)
		assert.Empty(t, p.Items)
		assert.Empty(t, p.Next)
		assertPagingErrors(t, "NearAssociations", func(after string, limit int) (civickit.Page[associations.NearHit], error) {
			return st.NearAssociations(t.Context(), world, after, limit)
		})
	})

	t.Run("BruteForce", func(t *testing.T) {
		st := s.store(t)
		data := nearDataset(30, short(2000, 300))
		rng := NewRand(31)
		logRadius := func() float64 { return math.Pow(10, 6.5*rng.Float64()) } // 1 m to 3,000 km

		// Points on the edges of the bounding boxes of some circles.
		type edge struct {
			c associations.Point
			q associations.Point
		}
		var edges []edge
		for range short(6, 3) {
			c := associations.Point{Lat: 140 * (rng.Float64() - 0.5), Lon: 360*rng.Float64() - 180}
			if rng.IntN(3) == 0 {
				c.Lon = 179.99 * float64(1-2*rng.IntN(2))
			}
			meters := min(logRadius(), 2_000_000, (90-math.Abs(c.Lat))*0.9*math.Pi/180*associations.EarthRadiusMeters)
			for _, q := range extremePoints(c, meters) {
				a := NewAssociation(rng, len(data))
				a.Address.Location = &q
				data = append(data, a)
				edges = append(edges, edge{c, q})
			}
		}
		upsertInBatches(t, st, data, 250)
		rows := storedRows{}
		for _, a := range data {
			rows[a.ID] = a
		}
		pt := func(lat, lon float64) associations.Point { return associations.Point{Lat: lat, Lon: lon} }
		located := func() associations.Point {
			for {
				if l := data[rng.IntN(len(data))].Address.Location; l != nil {
					return *l
				}
			}
		}
		centres := []associations.Point{
			pt(90, 0), pt(-90, 0), pt(90, 123.4), pt(-90, -45), pt(89.95, 10), pt(-89.95, 170),
			pt(0, 180), pt(0, -180), pt(-17, 180), pt(-17, -179.99), pt(3, 179.95),
			pt(0, 0), pt(0, 90), pt(0, -90), Communes[0].Center,
		}
		for range short(12, 4) {
			centres = append(centres, located(), randomPoint(rng))
		}
		radii := []float64{1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 3_000_000}
		if testing.Short() {
			radii = []float64{1, 100, 10_000, 1_000_000, 3_000_000}
		}
		filters := []associations.Filter{
			{Status: associations.StatusDissolved},
			{Status: associations.StatusActive, Category: "006000"},
			{Category: someCategory(data)},
			{Text: "club"},
			{Department: "97"},
		}
		// Queries walked page by page, and queries checked in one page.
		// Large circles return most rows: a few suffice.
		queries := []associations.NearParams{
			{Center: pt(90, 0), RadiusMeters: 20_000_000},
			{Center: pt(0, 180), RadiusMeters: associations.MaxRadiusMeters},
			{Center: pt(-89.99, 33), RadiusMeters: 10_000_000, Filter: filters[0]},
			{Center: randomPoint(rng), RadiusMeters: 5_000_000 + 5_000_000*rng.Float64()},
		}
		var onePage []associations.NearParams
		for i, c := range centres {
			queries = append(queries,
				associations.NearParams{Center: c, RadiusMeters: radii[i%len(radii)]},
				associations.NearParams{Center: c, RadiusMeters: logRadius()})
			if i%2 == 0 {
				queries = append(queries, associations.NearParams{
					Center: c, RadiusMeters: logRadius() * 3, Filter: filters[(i/2)%len(filters)],
				})
			}
		}
		// On the boundary: a point at exactly the radius is in, and out
		// one ulp closer.
		for range short(6, 2) {
			q := located()
			c := associations.Point{Lat: max(-90, min(90, q.Lat+4*(rng.Float64()-0.5))), Lon: q.Lon + 4*(rng.Float64()-0.5)}
			c.Lon -= 360 * math.Round(c.Lon/360) // back into [-180, 180]
			d := associations.Distance(c, q)
			onePage = append(onePage,
				associations.NearParams{Center: c, RadiusMeters: d},
				associations.NearParams{Center: c, RadiusMeters: math.Nextafter(d, 0)})
		}
		for _, e := range edges {
			d := associations.Distance(e.c, e.q)
			onePage = append(onePage,
				associations.NearParams{Center: e.c, RadiusMeters: d},
				associations.NearParams{Center: e.c, RadiusMeters: math.Nextafter(d, 0)})
		}
		for i, p := range append(queries, onePage...) {
			p.RadiusMeters = min(max(p.RadiusMeters, 1), associations.MaxRadiusMeters)
			want := nearModel(data, p, nil)
			limits := pageSizes(rng, len(want))
			if i >= len(queries) {
				limits = []int{len(want) + 1}
			}
			name := fmt.Sprintf("(%.4f,%.4f)/r=%.0f/%+v", p.Center.Lat, p.Center.Lon, p.RadiusMeters, p.Filter)
			t.Run(name, func(t *testing.T) {
				checkNearWalk(t, st, rows, p, nil, limits, want)
			})
		}

		// Cursors naming no stored row, or a row among equal distances.
		c := pt(89.99, 0)
		all := nearModel(data, associations.NearParams{Center: c, RadiusMeters: 200_000}, nil)
		require.NotEmpty(t, all, "the data set has points near the north pole")
		tie := all[len(all)/2]
		for i := 1; i < len(all); i++ {
			if all[i].Meters == all[i-1].Meters {
				tie = all[i]
				break
			}
		}
		tieID := uuid.MustParse(tie.ID)
		maxID := uuid.UUID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
		for _, after := range []associations.NearCursor{
			{Meters: 0, ID: uuid.Nil},
			{Meters: tie.Meters, ID: tieID},
			{Meters: tie.Meters, ID: uuid.Nil},
			{Meters: tie.Meters, ID: maxID},
			{Meters: math.Nextafter(tie.Meters, 0), ID: maxID},
			{Meters: 150_000.5, ID: uuid.Nil},
			{Meters: 1e9, ID: uuid.Nil},
		} {
			p := associations.NearParams{Center: c, RadiusMeters: 200_000}
			t.Run(fmt.Sprintf("after(%.17g,%s)", after.Meters, after.ID), func(t *testing.T) {
				checkNearWalk(t, st, rows, p, &after, []int{7}, nearModel(data, p, &after))
			})
		}
	})

	t.Run("FollowsUpdates", func(t *testing.T) {
		st := s.store(t)
		rng := NewRand(32)
		a := NewAssociation(rng, 1)
		a.Address.Location = &associations.Point{Lat: 45.764043, Lon: 4.835659} // Lyon
		b := NewAssociation(rng, 2)
		b.Address.Location = nil
		mustCreate(t, st, a, b)
		lyon := associations.NearParams{Center: associations.Point{Lat: 45.76, Lon: 4.83}, RadiusMeters: 10_000}
		paris := associations.NearParams{Center: Communes[0].Center, RadiusMeters: 10_000}
		ids := func(p associations.NearParams) []uuid.UUID {
			res, err := st.NearAssociations(t.Context(), p, "", 10)
			require.NoError(t, err)
			var out []uuid.UUID
			for _, h := range res.Items {
				out = append(out, h.Association.ID)
			}
			return out
		}
		require.Equal(t, []uuid.UUID{a.ID}, ids(lyon))
		assert.Empty(t, ids(paris))

		a.Address.Location = &associations.Point{Lat: 48.8566, Lon: 2.3522} // moved to Paris
		a.UpdatedAt = a.UpdatedAt.Add(time.Hour)
		require.NoError(t, st.UpdateAssociation(t.Context(), &a))
		b.Address.Location = &associations.Point{Lat: 45.77, Lon: 4.84} // located at last
		res, err := st.UpsertAssociationByRNA(t.Context(), &b)
		require.NoError(t, err)
		require.Equal(t, associations.Updated, res)
		assert.Equal(t, []uuid.UUID{b.ID}, ids(lyon))
		assert.Equal(t, []uuid.UUID{a.ID}, ids(paris))

		a.Address.Location = nil // no longer located
		require.NoError(t, st.UpdateAssociation(t.Context(), &a))
		assert.Empty(t, ids(paris))
		world := associations.NearParams{Center: associations.Point{}, RadiusMeters: associations.MaxRadiusMeters}
		assert.Equal(t, []uuid.UUID{b.ID}, ids(world))
	})
}
