package associations_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/associations/associationstest"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
)

const (
	waldecHeader = "id;id_ex;siret;rup_mi;gestion;date_creat;date_decla;date_publi;date_disso;nature;groupement;titre;titre_court;objet;objet_social1;objet_social2;adrs_complement;adrs_numvoie;adrs_repetition;adrs_typevoie;adrs_libvoie;adrs_distrib;adrs_codeinsee;adrs_codepostal;adrs_libcommune;adrg_declarant;adrg_complemid;adrg_complemgeo;adrg_libvoie;adrg_distrib;adrg_codepostal;adrg_achemine;adrg_pays;dir_civilite;telephone;siteweb;email;publiweb;observation;position;maj_time"
	importHeader = "id;id_ex;siret;gestion;date_creat;date_publi;nature;groupement;titre;objet;objet_social1;objet_social2;adr1;adr2;adr3;adrs_codepostal;libcom;adrs_codeinsee;dir_civilite;telephone;siteweb;email;observation;position;rup_mi;maj_time"

	// validSIRET passes Luhn and so does its SIREN 999000128.
	validSIRET = "99900012800010"
	// sirenlessSIRET passes Luhn over 14 digits but its SIREN does not.
	sirenlessSIRET = "99900012100015"
)

// waldecLine returns a good waldec line with some columns replaced; values
// are written as they appear in the file (quote them yourself).
func waldecLine(set map[string]string) string {
	v := map[string]string{
		"id": "W999100001", "id_ex": `""`, "siret": `""`, "rup_mi": `""`, "gestion": "999P",
		"date_creat": "2018-04-05", "date_decla": "2018-04-05", "date_publi": "2018-04-14",
		"date_disso": "0001-01-01", "nature": "D", "groupement": "S",
		"titre": "CHORALE DU CENTRE", "titre_court": "CHORALE", "objet": `"chant choral"`,
		"objet_social1": "006000", "objet_social2": "000000", "adrs_complement": `""`,
		"adrs_numvoie": "5", "adrs_repetition": `""`, "adrs_typevoie": "RUE", "adrs_libvoie": "du Centre",
		"adrs_distrib": "_", "adrs_codeinsee": "99001", "adrs_codepostal": "99100",
		"adrs_libcommune": "Exempleville", "adrg_pays": "FRANCE", "dir_civilite": "PM",
		"publiweb": "1", "position": "A", "maj_time": "2018-04-15 10:00:00",
	}
	for k, x := range set {
		v[k] = x
	}
	cols := strings.Split(waldecHeader, ";")
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = v[c]
	}
	return strings.Join(out, ";")
}

func waldecFile(lines ...string) string {
	return waldecHeader + "\n" + strings.Join(lines, "\n") + "\n"
}

func date(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// readAll reads every line of an RNA file, keeping records and line errors
// apart.
func readAll(t *testing.T, r io.Reader) (associations.RNALayout, []associations.RNARecord, []associations.LineError) {
	t.Helper()
	rd, err := associations.NewRNAReader(r)
	require.NoError(t, err)
	var recs []associations.RNARecord
	var errs []associations.LineError
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return rd.Layout(), recs, errs
		}
		var le *associations.LineError
		if errors.As(err, &le) {
			assert.ErrorIs(t, err, associations.ErrInvalid)
			errs = append(errs, *le)
			continue
		}
		require.NoError(t, err)
		recs = append(recs, *rec)
	}
}

func readOne(t *testing.T, file string) associations.RNARecord {
	t.Helper()
	_, recs, errs := readAll(t, strings.NewReader(file))
	require.Empty(t, errs)
	require.Len(t, recs, 1)
	return recs[0]
}

func openFixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "rna", name))
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

func TestRNAReaderWaldecFixture(t *testing.T) {
	layout, recs, errs := readAll(t, openFixture(t, "rna_waldec_synthetic.csv"))
	assert.Equal(t, associations.RNAWaldec, layout)
	assert.Empty(t, errs)
	want := []associations.RNARecord{
		{Line: 2, Association: associations.Association{
			RNA:         "W999000001",
			Name:        "CLUB DE LECTURE DES TILLEULS",
			ShortTitle:  "CLUB LECTURE TILLEULS",
			Object:      "favoriser la lecture publique et organiser des rencontres d'auteurs",
			Categories:  []string{"006030", "015000"},
			LegalStatus: associations.LegalDeclared,
			Grouping:    associations.GroupingSimple,
			CreatedOn:   date("2019-03-04"),
			Status:      associations.StatusActive,
			Address: associations.Address{
				Line1: "12 RUE des Tilleuls", PostalCode: "99100", City: "Exempleville",
				CommuneCode: "99001", Country: "FR",
			},
		}},
		{Line: 3, Association: associations.Association{
			RNA:         "W999000002",
			Name:        "AMICALE SPORTIVE DU PORT", // titre_court is the same: no acronym
			Object:      "pratique du football en loisir",
			Categories:  []string{"011000"},
			LegalStatus: associations.LegalDeclared,
			Grouping:    associations.GroupingSimple,
			CreatedOn:   date("2010-09-20"),
			DissolvedOn: date("2015-01-09"),
			Status:      associations.StatusDissolved,
			Address: associations.Address{
				Line1: "3 B QUAI du Port", PostalCode: "99200", City: "Autreville",
				CommuneCode: "99002", Country: "FR",
			},
		}},
		{Line: 4, Association: associations.Association{
			RNA:         "W999000003",
			Name:        "FEDERATION DES JARDINS PARTAGES",
			ShortTitle:  "FED JARDINS PARTAGES",
			Object:      "federer les associations de jardins partages du territoire",
			Categories:  []string{"024000", "007000"},
			LegalStatus: associations.LegalDeclared,
			Grouping:    associations.GroupingFederation,
			CreatedOn:   date("2021-11-15"),
			Status:      associations.StatusActive,
			Address: associations.Address{
				PostalCode: "99300", City: "Troisville", CommuneCode: "99003", Country: "FR",
			},
		}},
	}
	assert.Equal(t, want, recs)
}

func TestRNAReaderImportFixture(t *testing.T) {
	layout, recs, errs := readAll(t, openFixture(t, "rna_import_synthetic.csv"))
	assert.Equal(t, associations.RNAImport, layout)
	assert.Empty(t, errs)
	want := []associations.RNARecord{
		{Line: 2, Association: associations.Association{
			RNA:         "999P00000001",
			Name:        "COMITE DES FETES DU VIEUX BOURG",
			Object:      "organisation des fetes communales",
			Categories:  []string{"006000"},
			LegalStatus: associations.LegalDeclared,
			Grouping:    associations.GroupingSimple,
			CreatedOn:   date("1987-05-12"),
			Status:      associations.StatusActive,
			Address: associations.Address{
				Line1: "1 PL de l Eglise", PostalCode: "99100", City: "EXEMPLEVILLE",
				CommuneCode: "99001", Country: "FR",
			},
		},
			// Position "R": taken over as W999000004, named by observation.
			Superseded: true, SupersededBy: "W999000004",
		},
		{Line: 3, Association: associations.Association{
			RNA:         "999P00000002",
			Name:        "SOCIETE DE CHASSE",
			Object:      "pratique de la chasse",
			Categories:  []string{"013000"},
			LegalStatus: associations.LegalDeclared,
			Grouping:    associations.GroupingSimple,
			CreatedOn:   date("1972-02-01"),
			Status:      associations.StatusActive,
			Address: associations.Address{
				PostalCode: "99200", City: "AUTREVILLE", CommuneCode: "99002", Country: "FR",
			},
		}},
	}
	assert.Equal(t, want, recs)
}

// importLine returns a line of the import layout with the given position
// and observation.
func importLine(id, observation, position string) string {
	return id + `;00000009;"";999P;1990-01-01;0001-01-01;D;S;CLUB;objet;011000;000000;"";"";"";99100;EXEMPLEVILLE;99001;PM;"";"";"";` +
		observation + ";" + position + `;"";2012-01-01 00:00:00`
}

func TestRNAReaderSuperseded(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		by     string
		status associations.Status
	}{
		{"import layout", importHeader + "\n" + importLine("999P00000009", "W999000004", "R"),
			"W999000004", associations.StatusActive},
		{"lower case", importHeader + "\n" + importLine("999P00000009", " w999000004 ", "r"),
			"W999000004", associations.StatusActive},
		{"observation holds an import id", importHeader + "\n" + importLine("999P00000009", "999P00000010", "R"),
			"999P00000010", associations.StatusActive},
		{"observation is free text", importHeader + "\n" + importLine("999P00000009", `"reprise par W999000004"`, "R"),
			"", associations.StatusActive},
		{"no observation", importHeader + "\n" + importLine("999P00000009", `""`, "R"),
			"", associations.StatusActive},
		{"header without observation", strings.Replace(importHeader, ";observation;", ";", 1) + "\n" +
			strings.Replace(importLine("999P00000009", "W999000004", "R"), ";W999000004;", ";", 1),
			"", associations.StatusActive},
		{"waldec layout", waldecFile(waldecLine(map[string]string{"position": "R", "observation": "W999000004"})),
			"W999000004", associations.StatusActive},
		{"waldec layout, dissolved", waldecFile(waldecLine(map[string]string{"position": "R", "date_disso": "2020-01-01"})),
			"", associations.StatusDissolved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := readOne(t, tt.file)
			assert.True(t, rec.Superseded)
			assert.Equal(t, tt.by, rec.SupersededBy)
			assert.Empty(t, rec.Warnings, "R is a known position code")
			assert.Equal(t, tt.status, rec.Association.Status)
		})
	}
	for _, pos := range []string{"A", "D", "S", `""`, "X"} {
		t.Run("position "+pos, func(t *testing.T) {
			rec := readOne(t, importHeader+"\n"+importLine("999P00000009", "W999000004", pos))
			assert.False(t, rec.Superseded)
			assert.Empty(t, rec.SupersededBy)
		})
	}
}

func TestRNAReaderLatin1(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "rna", "rna_waldec_latin1.csv"))
	require.NoError(t, err)
	require.True(t, bytes.Contains(raw, []byte("F\xcaTES")), "fixture must hold Latin-1 bytes")

	_, recs, errs := readAll(t, bytes.NewReader(raw))
	require.Empty(t, errs)
	require.Len(t, recs, 2)
	a := recs[0].Association
	assert.Equal(t, "COMITÉ DES FÊTES DE LŒUVRE", a.Name)
	assert.Contains(t, a.Name, "FÊTES")
	assert.Equal(t, "FÊTES", a.ShortTitle)
	assert.Equal(t, "organiser les fêtes du quartier, « cœur de ville »", a.Object)
	assert.Equal(t, "Bourg-lès-Exemple", a.Address.City)
	// The next line is UTF-8 and stays so.
	assert.Equal(t, "CHORALE DES ÉCOLES", recs[1].Association.Name)
	assert.Equal(t, "chanter à l'école", recs[1].Association.Object)
	assert.Equal(t, "Bourg-lès-Exemple", recs[1].Association.Address.City)
}

func TestRNAReaderBOM(t *testing.T) {
	for name, file := range map[string]string{
		"waldec": "\xEF\xBB\xBF" + waldecFile(waldecLine(nil)),
		"import": "\xEF\xBB\xBF" + importHeader + "\r\n" +
			`999P00000002;00000002;"";999P;1972-02-01;1972-02-20;D;S;SOCIETE DE CHASSE;pratique de la chasse;013000;000000;"";"";"";99200;AUTREVILLE;99002;PM;"";"";"";"";A;"";2012-01-01 00:00:00` + "\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			layout, recs, errs := readAll(t, strings.NewReader(file))
			assert.Equal(t, associations.RNALayout(name), layout)
			assert.Empty(t, errs)
			assert.Len(t, recs, 1)
		})
	}
}

func TestRNAReaderDates(t *testing.T) {
	tests := []struct {
		name          string
		set           map[string]string
		created, diss *time.Time
		status        associations.Status
	}{
		{"no dates", map[string]string{"date_creat": "0001-01-01"}, nil, nil, associations.StatusActive},
		{"empty date", map[string]string{"date_creat": `""`}, nil, nil, associations.StatusActive},
		{"created", map[string]string{"date_creat": "1999-12-31"}, date("1999-12-31"), nil, associations.StatusActive},
		{"dissolved without date", map[string]string{"position": "D", "date_disso": "0001-01-01"},
			date("2018-04-05"), nil, associations.StatusDissolved},
		{"dissolved", map[string]string{"position": "D", "date_disso": "2020-02-29"},
			date("2018-04-05"), date("2020-02-29"), associations.StatusDissolved},
		{"deleted", map[string]string{"position": "S"}, date("2018-04-05"), nil, associations.StatusDissolved},
		{"unknown position with a dissolution date", map[string]string{"position": "X", "date_disso": "2020-01-01"},
			date("2018-04-05"), date("2020-01-01"), associations.StatusDissolved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := readOne(t, waldecFile(waldecLine(tt.set))).Association
			assert.Equal(t, tt.created, a.CreatedOn)
			assert.Equal(t, tt.diss, a.DissolvedOn)
			assert.Equal(t, tt.status, a.Status)
		})
	}
}

func TestRNAReaderQuotes(t *testing.T) {
	tests := []struct {
		name, titre, objet string
		wantName, wantObj  string
	}{
		{"separator and doubled quotes", "CLUB", `"sport; loisirs et ""fêtes"" d'été"`,
			"CLUB", `sport; loisirs et "fêtes" d'été`},
		{"quoted title ending in a quote", `"LE ""CLUB"""`, `""`, `LE "CLUB"`, ""},
		{"quote inside an unquoted field", `L"ATELIER`, "dessin", `L"ATELIER`, "dessin"},
		{"stray quotes inside a quoted field", "CLUB", `"dit "le club" ici"`, "CLUB", `dit "le club" ici`},
		{"empty quoted field", "CLUB", `""`, "CLUB", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := readOne(t, waldecFile(waldecLine(map[string]string{"titre": tt.titre, "titre_court": `""`, "objet": tt.objet}))).Association
			assert.Equal(t, tt.wantName, a.Name)
			assert.Equal(t, tt.wantObj, a.Object)
		})
	}
}

func TestRNAReaderCodes(t *testing.T) {
	tests := []struct {
		nature, groupement string
		legal              associations.LegalStatus
		grouping           associations.Grouping
	}{
		{"D", "S", associations.LegalDeclared, associations.GroupingSimple},
		{"R", "U", associations.LegalPublicUtility, associations.GroupingUnion},
		{"G", "F", associations.LegalGeneralInterest, associations.GroupingFederation},
		{"M", "S", associations.LegalOther, associations.GroupingSimple},
		{`""`, `""`, "", ""},
		{"d", "f", associations.LegalDeclared, associations.GroupingFederation},
	}
	for _, tt := range tests {
		t.Run(tt.nature+tt.groupement, func(t *testing.T) {
			a := readOne(t, waldecFile(waldecLine(map[string]string{"nature": tt.nature, "groupement": tt.groupement}))).Association
			assert.Equal(t, tt.legal, a.LegalStatus)
			assert.Equal(t, tt.grouping, a.Grouping)
		})
	}
}

func TestRNAReaderFields(t *testing.T) {
	t.Run("SIRET gives SIREN", func(t *testing.T) {
		a := readOne(t, waldecFile(waldecLine(map[string]string{"siret": "999 000 128 00010"}))).Association
		assert.Equal(t, validSIRET, a.SIRET)
		assert.Equal(t, "999000128", a.SIREN)
	})
	t.Run("categories", func(t *testing.T) {
		a := readOne(t, waldecFile(waldecLine(map[string]string{"objet_social1": "000000", "objet_social2": "011030"}))).Association
		assert.Equal(t, []string{"011030"}, a.Categories)
		a = readOne(t, waldecFile(waldecLine(map[string]string{"objet_social1": "011030", "objet_social2": "011030"}))).Association
		assert.Equal(t, []string{"011030"}, a.Categories)
		a = readOne(t, waldecFile(waldecLine(map[string]string{"objet_social1": `""`, "objet_social2": `""`}))).Association
		assert.Empty(t, a.Categories)
	})
	t.Run("short title", func(t *testing.T) {
		// titre_court is a short title, not an acronym: kept unless it
		// repeats the title, whatever its length.
		for short, want := range map[string]string{
			"CHORALE":                           "CHORALE",
			"CHORALE DU CENTRE":                 "",
			"LA GRANDE CHORALE DU CENTRE-VILLE": "LA GRANDE CHORALE DU CENTRE-VILLE",
			`"CHORALE  DU ..."`:                 "CHORALE DU ...",
			`""`:                                "",
		} {
			a := readOne(t, waldecFile(waldecLine(map[string]string{"titre_court": short}))).Association
			assert.Equal(t, want, a.ShortTitle, short)
			assert.Empty(t, a.Acronym, short)
		}
	})
	t.Run("address", func(t *testing.T) {
		a := readOne(t, waldecFile(waldecLine(map[string]string{
			"adrs_numvoie": "14", "adrs_repetition": "BIS", "adrs_typevoie": "AV", "adrs_libvoie": "de la  Gare",
			"adrs_complement": `"Maison des associations"`, "adrs_codeinsee": "2a004",
		}))).Association
		assert.Equal(t, associations.Address{
			Line1: "14 BIS AV de la Gare", Line2: "Maison des associations",
			PostalCode: "99100", City: "Exempleville", CommuneCode: "2A004", Country: "FR",
		}, a.Address)
	})
	t.Run("import address", func(t *testing.T) {
		line := `999P00000003;00000003;"";999P;1990-01-01;0001-01-01;D;S;CLUB;objet;011000;000000;chez M. X;"3  RUE   Haute";BP 12;99100;EXEMPLEVILLE;99001;PM;"";"";"";"";A;"";2012-01-01 00:00:00`
		a := readOne(t, importHeader+"\n"+line+"\n").Association
		assert.Equal(t, "3 RUE Haute", a.Address.Line1)
		assert.Equal(t, "chez M. X, BP 12", a.Address.Line2)
		line = `999P00000003;00000003;"";999P;1990-01-01;0001-01-01;D;S;CLUB;objet;011000;000000;Le Bourg;"";"";99100;EXEMPLEVILLE;99001;PM;"";"";"";"";A;"";2012-01-01 00:00:00`
		a = readOne(t, importHeader+"\n"+line+"\n").Association
		assert.Equal(t, "Le Bourg", a.Address.Line1)
		assert.Empty(t, a.Address.Line2)
	})
	t.Run("contacts are not public", func(t *testing.T) {
		a := readOne(t, waldecFile(waldecLine(map[string]string{"telephone": "0199000000", "email": "contact@example.org"}))).Association
		assert.Equal(t, []associations.Contact{
			{Kind: associations.ContactPhone, Value: "0199000000"},
			{Kind: associations.ContactEmail, Value: "contact@example.org"},
		}, a.Contacts)
		assert.Empty(t, a.PublicContacts())
	})
	t.Run("control characters", func(t *testing.T) {
		a := readOne(t, waldecFile(waldecLine(map[string]string{"titre": "CLUB\x00 DU\x7f CENTRE\u0085"}))).Association
		assert.Equal(t, "CLUB  DU  CENTRE", a.Name)
	})
}

func TestRNAReaderWebsite(t *testing.T) {
	tests := []struct {
		in, want string
		warn     bool
	}{
		{"https://example.org/club", "https://example.org/club", false},
		{"HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG", false},
		{"www.example.org", "http://www.example.org", false},
		{"example.org/club?p=1", "http://example.org/club?p=1", false},
		{"club-42.example.fr:8080", "http://club-42.example.fr:8080", false},
		{"non communiqué", "", true},
		{"ftp://example.org", "", true},
		{"contact@example.org", "", true},
		{"localhost", "", true},
		{"192.168.0.1", "", true},
		{"http://", "", true},
		{`""`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			rec := readOne(t, waldecFile(waldecLine(map[string]string{"siteweb": tt.in})))
			assert.Equal(t, tt.want, rec.Association.Website)
			if tt.warn {
				assert.Equal(t, []associations.LineError{{Line: 2, Column: "siteweb", Rule: "http_url"}}, rec.Warnings)
			} else {
				assert.Empty(t, rec.Warnings)
			}
		})
	}
}

func TestRNAReaderRejects(t *testing.T) {
	tests := []struct {
		name string
		line string
		want associations.LineError
	}{
		{"invalid id", waldecLine(map[string]string{"id": "W12345"}),
			associations.LineError{Column: "id", Rule: "rna", Value: "W12345"}},
		{"empty id", waldecLine(map[string]string{"id": `""`}),
			associations.LineError{Column: "id", Rule: "rna"}},
		{"SIRET failing Luhn", waldecLine(map[string]string{"siret": "99900012800011"}),
			associations.LineError{Column: "siret", Rule: "siret", Value: "99900012800011"}},
		{"SIRET too short", waldecLine(map[string]string{"siret": "123"}),
			associations.LineError{Column: "siret", Rule: "siret", Value: "123"}},
		{"SIRET whose SIREN fails Luhn", waldecLine(map[string]string{"siret": sirenlessSIRET}),
			associations.LineError{Column: "siret", Rule: "siren", Value: sirenlessSIRET}},
		{"impossible date", waldecLine(map[string]string{"date_creat": "2019-02-30"}),
			associations.LineError{Column: "date_creat", Rule: "date", Value: "2019-02-30"}},
		{"French date", waldecLine(map[string]string{"date_creat": "05/04/2018"}),
			associations.LineError{Column: "date_creat", Rule: "date", Value: "05/04/2018"}},
		{"dissolution date", waldecLine(map[string]string{"position": "D", "date_disso": "2020-13-01"}),
			associations.LineError{Column: "date_disso", Rule: "date", Value: "2020-13-01"}},
		{"unknown theme", waldecLine(map[string]string{"objet_social1": "999000"}),
			associations.LineError{Column: "objet_social1", Rule: "category", Value: "999000"}},
		{"malformed category", waldecLine(map[string]string{"objet_social2": "6000"}),
			associations.LineError{Column: "objet_social2", Rule: "category", Value: "6000"}},
		{"empty title", waldecLine(map[string]string{"titre": `"  "`}),
			associations.LineError{Column: "titre", Rule: "required"}},
		{"too many fields", waldecLine(nil) + ";",
			associations.LineError{Rule: "field_count", Value: "42"}},
		{"unbalanced quote", waldecLine(map[string]string{"objet": `"sans fin`}),
			associations.LineError{Rule: "quote"}},
		{"line too long", waldecLine(map[string]string{"objet": strings.Repeat("x", associations.MaxRNALineBytes)}),
			associations.LineError{Rule: "line_too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The bad line sits between two good ones, which must survive it.
			file := waldecFile(waldecLine(map[string]string{"id": "W999000001"}), tt.line,
				waldecLine(map[string]string{"id": "W999000002"}))
			_, recs, errs := readAll(t, strings.NewReader(file))
			tt.want.Line = 3
			assert.Equal(t, []associations.LineError{tt.want}, errs)
			require.Len(t, recs, 2)
			assert.Equal(t, 2, recs[0].Line)
			assert.Equal(t, 4, recs[1].Line)
			assert.Equal(t, "W999000002", recs[1].Association.RNA)
		})
	}
}

func TestLineErrorKeepsPersonalDataOut(t *testing.T) {
	const email, phone = "jean.dupont@example.org", "0612345678"
	lines := []string{
		waldecLine(map[string]string{"email": email, "telephone": phone, "id": "bad"}),
		waldecLine(map[string]string{"email": email + strings.Repeat("x", 250), "telephone": phone + strings.Repeat("9", 250)}),
		waldecLine(map[string]string{"email": email, "telephone": phone, "objet": `"sans fin`}),
	}
	rd, err := associations.NewRNAReader(strings.NewReader(waldecFile(lines...)))
	require.NoError(t, err)
	var seen []string
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			seen = append(seen, err.Error())
			continue
		}
		assert.Empty(t, rec.Association.Contacts, "over-long contacts are dropped")
		for _, w := range rec.Warnings {
			assert.Empty(t, w.Value)
			seen = append(seen, w.Error())
		}
	}
	assert.Len(t, seen, 4)
	for _, s := range seen {
		assert.NotContains(t, s, "dupont")
		assert.NotContains(t, s, "612345678")
	}
}

func TestRNAReaderMixedFile(t *testing.T) {
	_, recs, errs := readAll(t, openFixture(t, "rna_waldec_mixed.csv"))
	var lines []int
	var ids []string
	for _, r := range recs {
		lines = append(lines, r.Line)
		ids = append(ids, r.Association.RNA)
	}
	// Line 14 parses; only Service validation rejects its INSEE code.
	assert.Equal(t, []int{2, 4, 8, 13, 14, 15}, lines)
	assert.Equal(t, []string{"W999100001", "W999100002", "W999100003", "W999100004", "W999100012", "W999100005"}, ids)
	assert.Equal(t, []associations.LineError{
		{Line: 3, Column: "id", Rule: "rna", Value: "W12345"},
		{Line: 5, Column: "siret", Rule: "siret", Value: "99900012800011"},
		{Line: 7, Column: "date_creat", Rule: "date", Value: "2019-02-30"},
		{Line: 9, Column: "objet_social1", Rule: "category", Value: "999000"},
		{Line: 10, Column: "titre", Rule: "required"},
		{Line: 11, Rule: "field_count", Value: "40"},
		{Line: 12, Rule: "quote"},
	}, errs)
	assert.Equal(t, `jardinage; compostage et "trocs" de graines`, recs[2].Association.Object)
	assert.Equal(t, []string{"024000", "007010"}, recs[2].Association.Categories)
	assert.Equal(t, associations.StatusDissolved, recs[5].Association.Status)
}

func TestRNAReaderHeader(t *testing.T) {
	t.Run("unknown", func(t *testing.T) {
		_, err := associations.NewRNAReader(strings.NewReader("foo;bar\n1;2\n"))
		require.ErrorIs(t, err, associations.ErrInvalid)
		var he *associations.RNAHeaderError
		require.ErrorAs(t, err, &he)
		assert.Contains(t, he.Missing, "titre")
		assert.Contains(t, err.Error(), "titre")
	})
	t.Run("waldec lacking two required columns", func(t *testing.T) {
		h := strings.Replace(waldecHeader, ";titre;", ";", 1)
		h = strings.Replace(h, ";adrs_libcommune;", ";commune;", 1)
		_, err := associations.NewRNAReader(strings.NewReader(h + "\n"))
		var he *associations.RNAHeaderError
		require.ErrorAs(t, err, &he)
		assert.Equal(t, associations.RNAWaldec, he.Closest)
		assert.Equal(t, []string{"titre", "adrs_libcommune"}, he.Missing)
		assert.EqualError(t, err, "associations: rna: unknown header: missing waldec columns titre, adrs_libcommune")
	})
	t.Run("import lacking libcom", func(t *testing.T) {
		_, err := associations.NewRNAReader(strings.NewReader(strings.Replace(importHeader, "libcom", "commune", 1)))
		var he *associations.RNAHeaderError
		require.ErrorAs(t, err, &he)
		assert.Equal(t, associations.RNAImport, he.Closest)
		assert.Equal(t, []string{"libcom"}, he.Missing)
	})
	t.Run("empty", func(t *testing.T) {
		_, err := associations.NewRNAReader(strings.NewReader("\n\n"))
		assert.ErrorIs(t, err, associations.ErrInvalid)
	})
	t.Run("quoted and upper case, columns reordered", func(t *testing.T) {
		cols := strings.Split(importHeader, ";")
		cols[0], cols[8] = cols[8], cols[0] // titre first, id ninth
		for i, c := range cols {
			cols[i] = `"` + strings.ToUpper(c) + `"`
		}
		line := `SOCIETE DE CHASSE;00000002;"";999P;1972-02-01;1972-02-20;D;S;999P00000002;pratique de la chasse;013000;000000;"";"";"";99200;AUTREVILLE;99002;PM;"";"";"";"";A;"";2012-01-01 00:00:00`
		a := readOne(t, strings.Join(cols, ";")+"\n"+line).Association
		assert.Equal(t, "999P00000002", a.RNA)
		assert.Equal(t, "SOCIETE DE CHASSE", a.Name)
	})
}

// failingReader returns its data, then err.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestRNAReaderReadError(t *testing.T) {
	boom := errors.New("boom")
	rd, err := associations.NewRNAReader(&failingReader{data: []byte(waldecFile(waldecLine(nil))), err: boom})
	require.NoError(t, err)
	_, err = rd.Next()
	require.NoError(t, err)
	_, err = rd.Next()
	require.ErrorIs(t, err, boom)
	assert.NotErrorIs(t, err, associations.ErrInvalid)
	_, err2 := rd.Next()
	assert.Equal(t, err, err2, "read errors are sticky")

	_, err = associations.NewRNAReader(&failingReader{err: boom})
	assert.ErrorIs(t, err, boom)
}

func TestRNAReaderEOFIsSticky(t *testing.T) {
	rd, err := associations.NewRNAReader(strings.NewReader(waldecHeader))
	require.NoError(t, err)
	for range 3 {
		_, err := rd.Next()
		assert.Equal(t, io.EOF, err)
	}
}

func TestWriteSyntheticRNA(t *testing.T) {
	for _, layout := range []associations.RNALayout{associations.RNAWaldec, associations.RNAImport} {
		t.Run(string(layout), func(t *testing.T) {
			const n = 1000
			var buf bytes.Buffer
			require.NoError(t, associationstest.WriteSyntheticRNA(&buf, n, layout, 7))
			got, recs, errs := readAll(t, bytes.NewReader(buf.Bytes()))
			assert.Equal(t, layout, got)
			assert.Len(t, errs, n/50, "every 50th line is bad")
			assert.Len(t, recs, n-n/50)
			rules := map[string]bool{}
			for _, e := range errs {
				rules[e.Rule] = true
			}
			assert.Len(t, rules, 7, "each kind of bad line appears: %v", rules)
			ids := map[string]bool{}
			for _, r := range recs {
				assert.False(t, ids[r.Association.RNA], "duplicate id %s", r.Association.RNA)
				ids[r.Association.RNA] = true
			}

			// Good lines pass the Service's validation too.
			svc := newTestService(t, newSQLiteStore(t))
			rep, err := svc.ImportRNA(context.Background(), bytes.NewReader(buf.Bytes()), associations.ImportOptions{MaxRejectsKept: 50})
			require.NoError(t, err)
			assert.Equal(t, n-n/50, rep.Created, "rejects: %v", rep.Rejects)
			assert.Equal(t, n/50, rep.Rejected)

			var again bytes.Buffer
			require.NoError(t, associationstest.WriteSyntheticRNA(&again, n, layout, 7))
			assert.Equal(t, buf.Bytes(), again.Bytes(), "the output depends on the seed only")
		})
	}
	assert.Error(t, associationstest.WriteSyntheticRNA(io.Discard, 1, "csv", 1))
}

// newSQLiteStore returns the real store on a fresh, migrated SQLite
// database.
func newSQLiteStore(t *testing.T) *storage.AssociationStore {
	t.Helper()
	return storage.NewAssociationStore(storagetest.Open(t, storage.SQLite))
}

// content drops what the store assigns (ID, version, timestamps), leaving
// what an import writes.
func content(a associations.Association) associations.Association {
	a.ID, a.Version, a.CreatedAt, a.UpdatedAt = uuid.Nil, 0, time.Time{}, time.Time{}
	return a
}

// faultyStore is a real store (a database underneath) with injected
// failures: an upsert touching an RNA number in fail returns that error
// and writes nothing. It counts the batch upserts and calls afterBatch,
// when set, as each batch upsert returns.
type faultyStore struct {
	*storage.AssociationStore
	fail       map[string]error
	batches    int
	afterBatch func()
}

func newFaultyStore(t *testing.T) *faultyStore {
	t.Helper()
	return &faultyStore{AssociationStore: newSQLiteStore(t), fail: map[string]error{}}
}

func (s *faultyStore) UpsertAssociationByRNA(ctx context.Context, a *associations.Association) (associations.UpsertResult, error) {
	if err := s.fail[a.RNA]; err != nil {
		return associations.Unchanged, err
	}
	return s.AssociationStore.UpsertAssociationByRNA(ctx, a)
}

// UpsertAssociationsByRNA writes all of as or, if one is to fail, none.
func (s *faultyStore) UpsertAssociationsByRNA(ctx context.Context, as []*associations.Association) ([]associations.UpsertResult, error) {
	s.batches++
	if s.afterBatch != nil {
		defer s.afterBatch()
	}
	for _, a := range as {
		if err := s.fail[a.RNA]; err != nil {
			return nil, err
		}
	}
	return s.AssociationStore.UpsertAssociationsByRNA(ctx, as)
}

// mustGet reads the association numbered rna back from the store.
func mustGet(t *testing.T, store associations.Store, rna string) *associations.Association {
	t.Helper()
	a, err := store.GetAssociationByRNA(context.Background(), rna)
	require.NoError(t, err, rna)
	return a
}

// requireAbsent fails unless the store holds no association numbered rna.
func requireAbsent(t *testing.T, store associations.Store, rna string) {
	t.Helper()
	_, err := store.GetAssociationByRNA(context.Background(), rna)
	require.ErrorIs(t, err, associations.ErrNotFound, rna)
}

func newTestService(t *testing.T, store associations.Store) *associations.Service {
	t.Helper()
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	svc, err := associations.NewService(store, associations.Options{Now: func() time.Time { return now }})
	require.NoError(t, err)
	return svc
}

// mixedRejectRules counts mixedRejects by rule, as written by hand.
var mixedRejectRules = map[string]int{"rna": 1, "siret": 1, "date": 1, "category": 1, "required": 1, "field_count": 1, "quote": 1, "len=5": 1}

var mixedRejects = []associations.LineError{
	{Line: 3, Column: "id", Rule: "rna", Value: "W12345"},
	{Line: 5, Column: "siret", Rule: "siret", Value: "99900012800011"},
	{Line: 7, Column: "date_creat", Rule: "date", Value: "2019-02-30"},
	{Line: 9, Column: "objet_social1", Rule: "category", Value: "999000"},
	{Line: 10, Column: "titre", Rule: "required"},
	{Line: 11, Rule: "field_count", Value: "40"},
	{Line: 12, Rule: "quote"},
	{Line: 14, Column: "adrs_codeinsee", Rule: "len=5", Value: "123"},
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rna", name))
	require.NoError(t, err)
	return b
}

func TestImportRNA(t *testing.T) {
	ctx := context.Background()
	file := readFixture(t, "rna_waldec_mixed.csv")
	store := newSQLiteStore(t)
	svc := newTestService(t, store)

	var called []associations.LineError
	rep, err := svc.ImportRNA(ctx, bytes.NewReader(file), associations.ImportOptions{
		OnReject: func(le associations.LineError) { called = append(called, le) },
	})
	require.NoError(t, err)
	assert.Equal(t, associations.ImportReport{
		Layout: associations.RNAWaldec, Lines: 13, Created: 5, Rejected: 8, Rejects: mixedRejects, RejectedByRule: mixedRejectRules,
	}, rep)
	assert.Equal(t, mixedRejects, called)
	for _, le := range rep.Rejects {
		assert.ErrorIs(t, le, associations.ErrInvalid)
	}

	a := mustGet(t, store, "W999100002")
	assert.Equal(t, 1, a.Version)
	assert.NotEqual(t, uuid.Nil, a.ID)
	assert.Equal(t, time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), a.CreatedAt)
	assert.Equal(t, "999000128", a.SIREN)

	rep, err = svc.ImportRNA(ctx, bytes.NewReader(file), associations.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 5, rep.Unchanged, "re-import changes nothing")
	assert.Zero(t, rep.Created+rep.Updated)

	changed := bytes.Replace(file, []byte("CLUB DE ROLLER"), []byte("CLUB DE ROLLER ET SKATE"), 1)
	rep, err = svc.ImportRNA(ctx, bytes.NewReader(changed), associations.ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Updated)
	assert.Equal(t, 4, rep.Unchanged)
	assert.Equal(t, "CLUB DE ROLLER ET SKATE", mustGet(t, store, "W999100004").Name)
}

func TestImportRNAKeptRejects(t *testing.T) {
	file := readFixture(t, "rna_waldec_mixed.csv")
	for keep, want := range map[int]int{-1: 0, 3: 3, 0: 8} {
		rep, err := newTestService(t, newSQLiteStore(t)).ImportRNA(context.Background(), bytes.NewReader(file),
			associations.ImportOptions{MaxRejectsKept: keep})
		require.NoError(t, err)
		assert.Equal(t, 8, rep.Rejected)
		assert.Len(t, rep.Rejects, want)
	}
}

func TestImportRNAWarnings(t *testing.T) {
	file := waldecFile(waldecLine(map[string]string{"siteweb": "pas de site", "position": "Z"}))
	var warned []associations.LineError
	rep, err := newTestService(t, newSQLiteStore(t)).ImportRNA(context.Background(), strings.NewReader(file),
		associations.ImportOptions{OnWarning: func(le associations.LineError) { warned = append(warned, le) }})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Created)
	assert.Equal(t, 2, rep.Warnings)
	assert.Equal(t, []associations.LineError{
		{Line: 2, Column: "position", Rule: "position", Value: "Z"},
		{Line: 2, Column: "siteweb", Rule: "http_url"},
	}, warned)
}

func TestImportRNASuperseded(t *testing.T) {
	ctx := context.Background()
	t.Run("fixture", func(t *testing.T) {
		store := newSQLiteStore(t)
		svc := newTestService(t, store)
		file := readFixture(t, "rna_import_synthetic.csv")
		var warned, rejected []associations.LineError
		opts := associations.ImportOptions{
			OnWarning: func(le associations.LineError) { warned = append(warned, le) },
			OnReject:  func(le associations.LineError) { rejected = append(rejected, le) },
		}
		rep, err := svc.ImportRNA(ctx, bytes.NewReader(file), opts)
		require.NoError(t, err)
		assert.Equal(t, associations.ImportReport{
			Layout: associations.RNAImport, Lines: 2, Created: 1, Superseded: 1,
		}, rep)
		want := []associations.LineError{{Line: 2, Column: "position", Rule: "superseded", Value: "W999000004"}}
		assert.Equal(t, want, warned)
		assert.Empty(t, rejected)
		requireAbsent(t, store, "999P00000001")
		assert.Equal(t, "SOCIETE DE CHASSE", mustGet(t, store, "999P00000002").Name)
		page, err := store.SearchAssociations(ctx, associations.Filter{}, "", 10)
		require.NoError(t, err)
		require.Len(t, page.Items, 1, "only the current record is stored")
		assert.Equal(t, "999P00000002", page.Items[0].RNA)

		warned = nil
		rep, err = svc.ImportRNA(ctx, bytes.NewReader(file), opts)
		require.NoError(t, err)
		assert.Equal(t, associations.ImportReport{
			Layout: associations.RNAImport, Lines: 2, Unchanged: 1, Superseded: 1,
		}, rep)
		assert.Equal(t, want, warned)
		requireAbsent(t, store, "999P00000001")
	})
	t.Run("skipped before validation", func(t *testing.T) {
		// A superseded line is not imported, so what would make it a
		// reject or a warning does not matter: an active association
		// with a dissolution date, a website that is not a URL.
		store := newSQLiteStore(t)
		file := waldecFile(
			waldecLine(map[string]string{"id": "W999000001", "position": "R", "observation": "free text",
				"date_disso": "2020-01-01", "siteweb": "pas de site"}),
			waldecLine(map[string]string{"id": "W999000002", "position": "R", "observation": "W999000003"}),
			waldecLine(map[string]string{"id": "W999000003", "siret": validSIRET}),
		)
		var warned []associations.LineError
		rep, err := newTestService(t, store).ImportRNA(ctx, strings.NewReader(file),
			associations.ImportOptions{OnWarning: func(le associations.LineError) { warned = append(warned, le) }})
		require.NoError(t, err)
		assert.Equal(t, associations.ImportReport{
			Layout: associations.RNAWaldec, Lines: 3, Created: 1, Superseded: 2,
		}, rep)
		assert.Equal(t, []associations.LineError{
			{Line: 2, Column: "position", Rule: "superseded"},
			{Line: 3, Column: "position", Rule: "superseded", Value: "W999000003"},
		}, warned)
		requireAbsent(t, store, "W999000001")
		requireAbsent(t, store, "W999000002")
		assert.Equal(t, validSIRET, mustGet(t, store, "W999000003").SIRET)
	})
}

func TestImportRNAValidation(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want associations.LineError
	}{
		{"active with a dissolution date", map[string]string{"date_disso": "2020-01-01"},
			associations.LineError{Column: "date_disso", Rule: "only_when_dissolved", Value: "2020-01-01"}},
		{"dissolved before created", map[string]string{"position": "D", "date_disso": "2001-01-01"},
			associations.LineError{Column: "date_disso", Rule: "gtefield=created_on", Value: "2001-01-01"}},
		{"title too long", map[string]string{"titre": strings.Repeat("A", 251), "titre_court": `""`},
			associations.LineError{Column: "titre", Rule: "max=250"}},
		{"INSEE code", map[string]string{"adrs_codeinsee": "99-01"},
			associations.LineError{Column: "adrs_codeinsee", Rule: "alphanum", Value: "99-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := newTestService(t, newSQLiteStore(t)).ImportRNA(context.Background(),
				strings.NewReader(waldecFile(waldecLine(tt.set))), associations.ImportOptions{})
			require.NoError(t, err)
			tt.want.Line = 2
			assert.Equal(t, []associations.LineError{tt.want}, rep.Rejects)
		})
	}
}

func TestImportRNAStoreErrors(t *testing.T) {
	ctx := context.Background()
	file := waldecFile(
		waldecLine(map[string]string{"id": "W999000001"}),
		waldecLine(map[string]string{"id": "W999000002"}),
		waldecLine(map[string]string{"id": "W999000003"}),
	)

	t.Run("failure aborts", func(t *testing.T) {
		store := newFaultyStore(t)
		boom := errors.New("disk full")
		store.fail["W999000002"] = boom
		rep, err := newTestService(t, store).ImportRNA(ctx, strings.NewReader(file), associations.ImportOptions{})
		require.ErrorIs(t, err, boom)
		assert.Contains(t, err.Error(), "line 3")
		assert.Equal(t, 1, rep.Created)
		// The batch failed as a whole; retried line by line, the line
		// before the failure was written and the one after it was not.
		assert.Equal(t, 1, store.batches)
		mustGet(t, store, "W999000001")
		requireAbsent(t, store, "W999000002")
		requireAbsent(t, store, "W999000003")
	})
	t.Run("conflict rejects the line", func(t *testing.T) {
		store := newFaultyStore(t)
		store.fail["W999000002"] = associations.ErrConflict
		rep, err := newTestService(t, store).ImportRNA(ctx, strings.NewReader(file), associations.ImportOptions{})
		require.NoError(t, err)
		assert.Equal(t, 2, rep.Created)
		assert.Equal(t, []associations.LineError{{Line: 3, Column: "id", Rule: "conflict", Value: "W999000002"}}, rep.Rejects)
		mustGet(t, store, "W999000001")
		requireAbsent(t, store, "W999000002")
		mustGet(t, store, "W999000003")
	})
	t.Run("store validation rejects the line", func(t *testing.T) {
		store := newFaultyStore(t)
		store.fail["W999000002"] = civickit.Invalid("name", "required", "")
		rep, err := newTestService(t, store).ImportRNA(ctx, strings.NewReader(file), associations.ImportOptions{})
		require.NoError(t, err)
		assert.Equal(t, 2, rep.Created)
		assert.Equal(t, []associations.LineError{{Line: 3, Column: "titre", Rule: "required"}}, rep.Rejects)
		mustGet(t, store, "W999000001")
		requireAbsent(t, store, "W999000002")
		mustGet(t, store, "W999000003")
	})
	t.Run("cancelled", func(t *testing.T) {
		// The context is cancelled as the first batch returns: the import
		// stops before a second batch.
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		store := newFaultyStore(t)
		store.afterBatch = cancel
		rep, err := newTestService(t, store).ImportRNA(ctx, strings.NewReader(file), associations.ImportOptions{BatchSize: 1})
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, store.batches)
		assert.Equal(t, 1, rep.Created)
		mustGet(t, store, "W999000001")
		requireAbsent(t, store, "W999000002")
	})
	t.Run("bad header", func(t *testing.T) {
		_, err := newTestService(t, newSQLiteStore(t)).ImportRNA(ctx, strings.NewReader("a;b\n"), associations.ImportOptions{})
		assert.ErrorIs(t, err, associations.ErrInvalid)
	})
}

// TestImportRNAStore imports through the real stores (SQLite always, the
// server engines when storagetest finds them).
func TestImportRNAStore(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		ctx := context.Background()
		newService := func(t *testing.T) *associations.Service {
			return newTestService(t, storage.NewAssociationStore(storagetest.Open(t, engine)))
		}

		t.Run("mixed file", func(t *testing.T) {
			svc := newService(t)
			file := readFixture(t, "rna_waldec_mixed.csv")
			rep, err := svc.ImportRNA(ctx, bytes.NewReader(file), associations.ImportOptions{BatchSize: 2})
			require.NoError(t, err)
			assert.Equal(t, associations.ImportReport{
				Layout: associations.RNAWaldec, Lines: 13, Created: 5, Rejected: 8, Rejects: mixedRejects, RejectedByRule: mixedRejectRules,
			}, rep)

			a, err := svc.GetByRNA(ctx, "W999100002")
			require.NoError(t, err)
			assert.Equal(t, "THEATRE DU QUAI", a.Name)
			assert.Equal(t, validSIRET, a.SIRET)
			assert.Equal(t, "999000128", a.SIREN)
			assert.Equal(t, 1, a.Version)
			b, err := svc.GetByRNA(ctx, "W999100003")
			require.NoError(t, err)
			assert.Equal(t, `jardinage; compostage et "trocs" de graines`, b.Object)
			assert.Equal(t, []string{"024000", "007010"}, b.Categories)
			c, err := svc.GetByRNA(ctx, "W999100005")
			require.NoError(t, err)
			assert.Equal(t, associations.StatusDissolved, c.Status)
			assert.Equal(t, date("2022-06-30"), c.DissolvedOn)

			rep, err = svc.ImportRNA(ctx, bytes.NewReader(file), associations.ImportOptions{})
			require.NoError(t, err)
			assert.Equal(t, 5, rep.Unchanged, "re-import changes nothing")
			assert.Zero(t, rep.Created+rep.Updated)

			changed := bytes.Replace(file, []byte("THEATRE DU QUAI"), []byte("THEATRE DU QUAI OUEST"), 1)
			rep, err = svc.ImportRNA(ctx, bytes.NewReader(changed), associations.ImportOptions{})
			require.NoError(t, err)
			assert.Equal(t, 1, rep.Updated)
			assert.Equal(t, 4, rep.Unchanged)
			a2, err := svc.GetByRNA(ctx, "W999100002")
			require.NoError(t, err)
			assert.Equal(t, "THEATRE DU QUAI OUEST", a2.Name)
			assert.Equal(t, a.ID, a2.ID)
			assert.Equal(t, 2, a2.Version)
		})

		t.Run("fixtures round trip", func(t *testing.T) {
			svc := newService(t)
			for _, name := range []string{"rna_waldec_synthetic.csv", "rna_import_synthetic.csv", "rna_waldec_latin1.csv"} {
				file := readFixture(t, name)
				_, recs, _ := readAll(t, bytes.NewReader(file))
				superseded := 0
				for _, rec := range recs {
					if rec.Superseded {
						superseded++
					}
				}
				rep, err := svc.ImportRNA(ctx, bytes.NewReader(file), associations.ImportOptions{})
				require.NoError(t, err)
				assert.Equal(t, len(recs)-superseded, rep.Created, name)
				assert.Equal(t, superseded, rep.Superseded, name)
				for _, rec := range recs {
					got, err := svc.GetByRNA(ctx, rec.Association.RNA)
					if rec.Superseded {
						require.ErrorIs(t, err, associations.ErrNotFound, name)
						continue
					}
					require.NoError(t, err)
					assert.Equal(t, rec.Association, content(*got), name)
				}
				rep, err = svc.ImportRNA(ctx, bytes.NewReader(file), associations.ImportOptions{})
				require.NoError(t, err)
				assert.Equal(t, len(recs)-superseded, rep.Unchanged, name)
			}
		})

		t.Run("generated file twice", func(t *testing.T) {
			for _, layout := range []associations.RNALayout{associations.RNAWaldec, associations.RNAImport} {
				// One database per layout: the same seed gives the same
				// SIRETs, which the second file could not take.
				svc := newService(t)
				var buf bytes.Buffer
				require.NoError(t, associationstest.WriteSyntheticRNA(&buf, 2000, layout, 3))
				rep, err := svc.ImportRNA(ctx, bytes.NewReader(buf.Bytes()), associations.ImportOptions{MaxRejectsKept: 50})
				require.NoError(t, err)
				assert.Equal(t, 1960, rep.Created, "rejects: %v", rep.Rejects)
				assert.Equal(t, 40, rep.Rejected)
				rep, err = svc.ImportRNA(ctx, bytes.NewReader(buf.Bytes()), associations.ImportOptions{})
				require.NoError(t, err)
				assert.Equal(t, 1960, rep.Unchanged)
				assert.Zero(t, rep.Created+rep.Updated)
			}
		})

		t.Run("shared SIRET", func(t *testing.T) {
			svc := newService(t)
			file := waldecFile(
				waldecLine(map[string]string{"id": "W999000001", "siret": validSIRET}),
				waldecLine(map[string]string{"id": "W999000002", "siret": validSIRET}),
				waldecLine(map[string]string{"id": "W999000003"}),
			)
			rep, err := svc.ImportRNA(ctx, strings.NewReader(file), associations.ImportOptions{})
			require.NoError(t, err)
			assert.Equal(t, 2, rep.Created)
			assert.Equal(t, []associations.LineError{{Line: 3, Column: "id", Rule: "conflict", Value: "W999000002"}}, rep.Rejects)
		})

		t.Run("repeated id", func(t *testing.T) {
			svc := newService(t)
			file := waldecFile(
				waldecLine(map[string]string{"id": "W999000001", "titre": "PREMIER"}),
				waldecLine(map[string]string{"id": "W999000001", "titre": "SECOND"}),
			)
			rep, err := svc.ImportRNA(ctx, strings.NewReader(file), associations.ImportOptions{})
			require.NoError(t, err)
			assert.Equal(t, 1, rep.Created)
			assert.Equal(t, 1, rep.Updated)
			a, err := svc.GetByRNA(ctx, "W999000001")
			require.NoError(t, err)
			assert.Equal(t, "SECOND", a.Name)
		})
	})
}
