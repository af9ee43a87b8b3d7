package associationstest

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/civickit/civickit/associations"
)

// The headers of the two RNA layouts, as published.
const (
	rnaWaldecHeader = "id;id_ex;siret;rup_mi;gestion;date_creat;date_decla;date_publi;date_disso;nature;groupement;titre;titre_court;objet;objet_social1;objet_social2;adrs_complement;adrs_numvoie;adrs_repetition;adrs_typevoie;adrs_libvoie;adrs_distrib;adrs_codeinsee;adrs_codepostal;adrs_libcommune;adrg_declarant;adrg_complemid;adrg_complemgeo;adrg_libvoie;adrg_distrib;adrg_codepostal;adrg_achemine;adrg_pays;dir_civilite;telephone;siteweb;email;publiweb;observation;position;maj_time"
	rnaImportHeader = "id;id_ex;siret;gestion;date_creat;date_publi;nature;groupement;titre;objet;objet_social1;objet_social2;adr1;adr2;adr3;adrs_codepostal;libcom;adrs_codeinsee;dir_civilite;telephone;siteweb;email;observation;position;rup_mi;maj_time"
)

// SyntheticRNABadEvery is the period of the bad lines WriteSyntheticRNA
// writes: one line in 50 (2%).
const SyntheticRNABadEvery = 50

// WriteSyntheticRNA writes an RNA file in the given layout: the header,
// then n lines of invented associations with unique ids, varied names,
// objects, categories and communes (real INSEE codes, nothing else real).
// The output depends only on its arguments.
//
// Exactly n/SyntheticRNABadEvery lines are bad, the data lines i (from 0)
// with i%50 == 49, so that importers exercise their rejection paths; they
// cycle through seven faults, each rejected by associations.RNAReader with
// its own rule: invalid id, SIRET failing Luhn, impossible date, unknown
// category, empty title, missing field and unbalanced quote. Some good
// lines carry values that are dropped with a warning (a website that is
// not a URL).
func WriteSyntheticRNA(w io.Writer, n int, layout associations.RNALayout, seed uint64) error {
	var header string
	switch layout {
	case associations.RNAWaldec:
		header = rnaWaldecHeader
	case associations.RNAImport:
		header = rnaImportHeader
	default:
		return fmt.Errorf("associationstest: unknown RNA layout %q", layout)
	}
	if n > 100_000_000 {
		return fmt.Errorf("associationstest: %d lines: ids would repeat beyond 1e8", n)
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	g := &rnaGen{
		tables: rnaTables(),
		rng:    rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15)),
		seed:   seed,
		cols:   strings.Split(header, ";"),
		buf:    make([]byte, 0, 2048),

		importLayout: layout == associations.RNAImport,
	}
	if _, err := bw.WriteString(header + "\n"); err != nil {
		return err
	}
	for i := range n {
		g.line(i)
		if _, err := bw.Write(g.buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

type rnaActivity struct {
	name, short, object string
	theme               int // RNA theme code / 1000
}

type rnaCommune struct {
	insee, postal, name string
}

type rnaTableSet struct {
	prefixes, prefixShort []string
	activities            []rnaActivity
	clauses               []string
	districts             []string
	communes              []rnaCommune
	streetTypes, streets  []string
	complements           []string
}

// rnaTables returns the word lists; a function rather than package
// variables so that no caller can change them for another.
func rnaTables() rnaTableSet {
	return rnaTableSet{
		prefixes:    []string{"CLUB", "AMICALE", "ASSOCIATION", "COMITÉ", "UNION", "CERCLE", "SOCIÉTÉ", "LES AMIS", "COLLECTIF", "ATELIER"},
		prefixShort: []string{"CLUB", "AMICALE", "ASSO", "COMITÉ", "UNION", "CERCLE", "STÉ", "AMIS", "COLL", "ATELIER"},
		activities: []rnaActivity{
			{"DE TENNIS", "TENNIS", "pratique et enseignement du tennis en loisir et en compétition", 11},
			{"DE FOOTBALL", "FOOT", "pratique du football, formation des jeunes joueurs", 11},
			{"DE RANDONNÉE", "RANDO", "organisation de randonnées pédestres et entretien des sentiers", 11},
			{"DE LECTURE", "LECTURE", "favoriser la lecture publique et organiser des rencontres d'auteurs", 6},
			{"DE THÉÂTRE", "THÉÂTRE", "création et diffusion de spectacles de théâtre amateur", 6},
			{"DE MUSIQUE", "MUSIQUE", "enseignement et pratique collective de la musique", 6},
			{"DES FÊTES", "FÊTES", "organisation des fêtes et animations de la commune", 7},
			{"DES PARENTS D'ÉLÈVES", "PARENTS", "représenter les parents d'élèves auprès des établissements scolaires", 15},
			{"D'AIDE AUX DEVOIRS", "DEVOIRS", "soutien scolaire et accompagnement à la scolarité", 15},
			{"DE CHASSE", "CHASSE", "pratique de la chasse et gestion durable du gibier", 13},
			{"DE PÊCHE", "PÊCHE", "pratique de la pêche et protection des milieux aquatiques", 13},
			{"DU PATRIMOINE", "PATRIMOINE", "sauvegarde et mise en valeur du patrimoine bâti local", 10},
			{"DES JARDINS PARTAGÉS", "JARDINS", "gestion de jardins partagés et sensibilisation au compostage", 24},
			{"DE SOLIDARITÉ", "SOLIDARITÉ", "aide alimentaire et accompagnement des personnes en difficulté", 20},
			{"DES ANCIENS COMBATTANTS", "ANCIENS COMB", "entretenir la mémoire et représenter les anciens combattants", 38},
			{"DES RETRAITÉS", "RETRAITÉS", "rompre l'isolement des personnes âgées par des activités conviviales", 21},
			{"POUR L'EMPLOI", "EMPLOI", "accompagnement des demandeurs d'emploi et développement local", 30},
			{"DE DÉFENSE DE L'ENVIRONNEMENT", "ENVIRONNEMENT", "protection de l'environnement et du cadre de vie", 24},
			{"DE SANTÉ", "SANTÉ", "prévention et information sur la santé", 17},
			{"DES LOCATAIRES", "LOCATAIRES", "défense des intérêts des locataires", 32},
		},
		clauses: []string{
			"", "", "", // most objects have no second clause
			", et toutes actions s'y rattachant",
			"; organisation de manifestations ouvertes à tous",
			", en lien avec les écoles et les centres sociaux",
			"; publication du bulletin \"La Gazette\"",
		},
		districts: []string{"", "", "DU CENTRE", "DES QUATRE CHEMINS", "DU VIEUX PORT", "DE LA GARE", "DU QUARTIER SAINT-JEAN", "DES COTEAUX"},
		communes: []rnaCommune{
			{"75056", "75011", "Paris"}, {"69123", "69003", "Lyon"}, {"13055", "13001", "Marseille"},
			{"31555", "31000", "Toulouse"}, {"06088", "06000", "Nice"}, {"44109", "44000", "Nantes"},
			{"34172", "34000", "Montpellier"}, {"33063", "33000", "Bordeaux"}, {"59350", "59000", "Lille"},
			{"35238", "35000", "Rennes"}, {"51454", "51100", "Reims"}, {"42218", "42000", "Saint-Étienne"},
			{"76351", "76600", "Le Havre"}, {"83137", "83000", "Toulon"}, {"38185", "38000", "Grenoble"},
			{"21231", "21000", "Dijon"}, {"49007", "49000", "Angers"}, {"30189", "30000", "Nîmes"},
			{"63113", "63000", "Clermont-Ferrand"}, {"2A004", "20000", "Ajaccio"}, {"2B033", "20200", "Bastia"},
			{"97411", "97400", "Saint-Denis"}, {"29019", "29200", "Brest"}, {"87085", "87000", "Limoges"},
			{"80021", "80000", "Amiens"}, {"37261", "37000", "Tours"}, {"25056", "25000", "Besançon"},
			{"45234", "45000", "Orléans"}, {"76540", "76000", "Rouen"}, {"14118", "14000", "Caen"},
			{"64445", "64000", "Pau"}, {"86194", "86000", "Poitiers"}, {"66136", "66000", "Perpignan"},
			{"17300", "17000", "La Rochelle"},
		},
		streetTypes: []string{"RUE", "AV", "BD", "PL", "CHE", "ALL", "IMP", "QUAI"},
		streets:     []string{"de la République", "Victor Hugo", "des Écoles", "du Moulin", "Jean Jaurès", "de la Gare", "des Lilas", "Pasteur", "de l'Église", "des Tilleuls"},
		complements: []string{"Maison des associations", "Bâtiment B", "Chez Mme Martin", "Mairie annexe"},
	}
}

type rnaGen struct {
	tables rnaTableSet
	rng    *rand.Rand
	seed   uint64
	cols   []string
	buf    []byte
	// importLayout: ids like 751P00085568 instead of W + 9 digits.
	importLayout bool

	// The line being written.
	i                   int
	fault               int // -1, or which fault this bad line has
	idNum               uint64
	commune             rnaCommune
	siret               []byte // nil when none
	created, published  time.Time
	dissolved           time.Time // zero when active
	prefix, activity    int
	district            int
	shortTitle          bool
	clause              int
	sub1, theme2, sub2  int // theme2 < 0: no second category
	number              int // 0: none
	repeat              string
	streetType, street  int
	complement          int // -1: none
	nature, grouping    string
	phone               int // -1: none
	email               bool
	site                int // 0 none, 1 bare host, 2 URL, 3 not a URL
	publiweb            bool
	importStreetPadding bool
}

// The seven kinds of bad line, in the order they cycle.
const (
	faultID = iota
	faultSIRET
	faultDate
	faultCategory
	faultTitle
	faultFieldCount
	faultQuote
	numFaults
)

func (g *rnaGen) line(i int) {
	r, t := g.rng, &g.tables
	g.i = i
	g.fault = -1
	if i%SyntheticRNABadEvery == SyntheticRNABadEvery-1 {
		g.fault = (i / SyntheticRNABadEvery) % numFaults
	}
	// Multiplying by a number prime to 10 (3^18) permutes [0, 10^9) and
	// [0, 10^8): unique ids that do not look sequential.
	g.idNum = (uint64(i)*387420489 + g.seed) % 1_000_000_000
	g.commune = t.communes[r.IntN(len(t.communes))]
	g.siret = nil
	if r.IntN(10) < 3 || g.fault == faultSIRET {
		g.siret = g.makeSIRET()
	}
	g.created = time.Date(1950, 1, 1+r.IntN(27000), 0, 0, 0, 0, time.UTC)
	g.published = g.created.AddDate(0, 0, 5+r.IntN(30))
	g.dissolved = time.Time{}
	if r.IntN(10) == 0 {
		g.dissolved = g.created.AddDate(0, 0, 1+r.IntN(7000))
	}
	g.prefix = r.IntN(len(t.prefixes))
	g.activity = r.IntN(len(t.activities))
	g.district = r.IntN(len(t.districts))
	g.shortTitle = r.IntN(10) < 4
	g.clause = r.IntN(len(t.clauses))
	g.sub1 = r.IntN(4) * 10
	g.theme2 = -1
	if r.IntN(10) < 4 {
		g.theme2 = t.activities[r.IntN(len(t.activities))].theme
		g.sub2 = r.IntN(4) * 10
	}
	g.number = 0
	if r.IntN(10) < 8 {
		g.number = 1 + r.IntN(200)
	}
	g.repeat = ""
	if r.IntN(20) == 0 {
		g.repeat = [...]string{"B", "T", "Q"}[r.IntN(3)]
	}
	g.streetType = r.IntN(len(t.streetTypes))
	g.street = r.IntN(len(t.streets))
	g.complement = -1
	if r.IntN(10) == 0 {
		g.complement = r.IntN(len(t.complements))
	}
	g.nature = "D"
	switch r.IntN(100) {
	case 0:
		g.nature = "R"
	case 1:
		g.nature = "G"
	}
	g.grouping = "S"
	switch r.IntN(50) {
	case 0:
		g.grouping = "U"
	case 1:
		g.grouping = "F"
	}
	g.phone = -1
	if r.IntN(5) == 0 {
		g.phone = r.IntN(10000)
	}
	g.email = r.IntN(5) == 0
	g.site = 0
	switch r.IntN(100) {
	case 0, 1, 2, 3, 4, 5, 6, 7, 8, 9:
		g.site = 1
	case 10, 11, 12, 13, 14:
		g.site = 2
	case 15:
		g.site = 3
	}
	g.publiweb = r.IntN(2) == 0
	g.importStreetPadding = r.IntN(2) == 0

	g.buf = g.buf[:0]
	n := len(g.cols)
	if g.fault == faultFieldCount {
		n--
	}
	for c := range n {
		if c > 0 {
			g.buf = append(g.buf, ';')
		}
		g.column(g.cols[c])
	}
	g.buf = append(g.buf, '\n')
}

// column appends the value of the named column.
func (g *rnaGen) column(name string) {
	t := &g.tables
	act := t.activities[g.activity]
	switch name {
	case "id":
		switch {
		case g.fault == faultID:
			g.buf = append(g.buf, "W12AB"...)
		case g.importLayout:
			g.appendPrefecture()
			g.buf = append(g.buf, 'P')
			g.buf = appendPadded(g.buf, g.idNum%100_000_000, 8)
		default:
			g.buf = append(g.buf, 'W')
			g.buf = appendPadded(g.buf, g.idNum, 9)
		}
	case "id_ex":
		if g.importLayout {
			g.buf = appendPadded(g.buf, g.idNum%100_000_000, 8)
		} else {
			g.buf = append(g.buf, `""`...)
		}
	case "siret":
		if g.siret == nil {
			g.buf = append(g.buf, `""`...)
			break
		}
		g.buf = append(g.buf, g.siret...)
		if g.fault == faultSIRET {
			last := &g.buf[len(g.buf)-1]
			*last = '0' + (*last-'0'+1)%10
		}
	case "gestion":
		g.appendPrefecture()
		g.buf = append(g.buf, 'P')
	case "date_creat", "date_decla":
		if g.fault == faultDate && name == "date_creat" {
			g.buf = append(g.buf, "2019-02-30"...)
			break
		}
		g.buf = g.created.AppendFormat(g.buf, time.DateOnly)
	case "date_publi":
		g.buf = g.published.AppendFormat(g.buf, time.DateOnly)
	case "date_disso":
		if g.dissolved.IsZero() {
			g.buf = append(g.buf, "0001-01-01"...)
		} else {
			g.buf = g.dissolved.AppendFormat(g.buf, time.DateOnly)
		}
	case "nature":
		g.buf = append(g.buf, g.nature...)
	case "groupement":
		g.buf = append(g.buf, g.grouping...)
	case "titre":
		if g.fault == faultTitle {
			g.buf = append(g.buf, `""`...)
			break
		}
		g.buf = append(g.buf, t.prefixes[g.prefix]...)
		g.buf = append(g.buf, ' ')
		g.buf = append(g.buf, act.name...)
		g.buf = append(g.buf, ' ')
		if d := t.districts[g.district]; d != "" {
			g.buf = append(g.buf, d...)
		} else {
			g.buf = append(g.buf, "DE "...)
			g.buf = append(g.buf, strings.ToUpper(g.commune.name)...)
		}
	case "titre_court":
		if !g.shortTitle {
			g.buf = append(g.buf, `""`...)
			break
		}
		g.buf = append(g.buf, t.prefixShort[g.prefix]...)
		g.buf = append(g.buf, ' ')
		g.buf = append(g.buf, act.short...)
	case "objet":
		g.buf = append(g.buf, '"')
		g.buf = append(g.buf, act.object...)
		g.buf = append(g.buf, strings.ReplaceAll(t.clauses[g.clause], `"`, `""`)...)
		if g.fault != faultQuote {
			g.buf = append(g.buf, '"')
		}
	case "objet_social1":
		if g.fault == faultCategory {
			g.buf = append(g.buf, "999000"...)
			break
		}
		g.buf = appendPadded(g.buf, uint64(act.theme*1000+g.sub1), 6)
	case "objet_social2":
		if g.theme2 < 0 {
			g.buf = append(g.buf, "000000"...)
			break
		}
		g.buf = appendPadded(g.buf, uint64(g.theme2*1000+g.sub2), 6)
	case "adrs_complement", "adr1":
		if g.complement < 0 {
			g.buf = append(g.buf, `""`...)
			break
		}
		g.buf = append(g.buf, t.complements[g.complement]...)
	case "adrs_numvoie":
		if g.number > 0 {
			g.buf = strconv.AppendInt(g.buf, int64(g.number), 10)
		} else {
			g.buf = append(g.buf, `""`...)
		}
	case "adrs_repetition":
		if g.repeat == "" {
			g.buf = append(g.buf, `""`...)
		} else {
			g.buf = append(g.buf, g.repeat...)
		}
	case "adrs_typevoie":
		g.buf = append(g.buf, t.streetTypes[g.streetType]...)
	case "adrs_libvoie":
		g.buf = append(g.buf, t.streets[g.street]...)
	case "adr2":
		// The import files pad the street number, as in "1         PL".
		if g.number > 0 {
			g.buf = strconv.AppendInt(g.buf, int64(g.number), 10)
			if g.importStreetPadding {
				g.buf = append(g.buf, "      "...)
			}
			g.buf = append(g.buf, ' ')
		}
		g.buf = append(g.buf, t.streetTypes[g.streetType]...)
		g.buf = append(g.buf, ' ')
		g.buf = append(g.buf, t.streets[g.street]...)
	case "adrs_distrib":
		g.buf = append(g.buf, '_')
	case "adrs_codeinsee":
		g.buf = append(g.buf, g.commune.insee...)
	case "adrs_codepostal":
		g.buf = append(g.buf, g.commune.postal...)
	case "adrs_libcommune":
		g.buf = append(g.buf, g.commune.name...)
	case "libcom":
		g.buf = append(g.buf, strings.ToUpper(g.commune.name)...)
	case "adrg_pays":
		g.buf = append(g.buf, "FRANCE"...)
	case "dir_civilite":
		g.buf = append(g.buf, "PM"...)
	case "telephone":
		// 01 99 00 xx xx: numbers set aside for fiction.
		if g.phone < 0 {
			g.buf = append(g.buf, `""`...)
			break
		}
		g.buf = append(g.buf, "019900"...)
		g.buf = appendPadded(g.buf, uint64(g.phone), 4)
	case "email":
		if !g.email {
			g.buf = append(g.buf, `""`...)
			break
		}
		g.buf = append(g.buf, "contact."...)
		g.buf = strconv.AppendInt(g.buf, int64(g.i), 10)
		g.buf = append(g.buf, "@example.org"...)
	case "siteweb":
		switch g.site {
		case 1:
			g.buf = append(g.buf, "www.asso-"...)
			g.buf = strconv.AppendInt(g.buf, int64(g.i), 10)
			g.buf = append(g.buf, ".example.org"...)
		case 2:
			g.buf = append(g.buf, "https://example.org/asso/"...)
			g.buf = strconv.AppendInt(g.buf, int64(g.i), 10)
		case 3:
			g.buf = append(g.buf, "non communiqué"...)
		default:
			g.buf = append(g.buf, `""`...)
		}
	case "publiweb":
		if g.publiweb {
			g.buf = append(g.buf, '1')
		} else {
			g.buf = append(g.buf, '0')
		}
	case "position":
		if g.dissolved.IsZero() {
			g.buf = append(g.buf, 'A')
		} else {
			g.buf = append(g.buf, 'D')
		}
	case "maj_time":
		g.buf = g.published.Add(10*time.Hour).AppendFormat(g.buf, time.DateTime)
	default: // columns the importer ignores
		g.buf = append(g.buf, `""`...)
	}
}

// appendPrefecture appends the 3-character code of the commune's
// prefecture, as found at the start of import-layout ids.
func (g *rnaGen) appendPrefecture() {
	code := g.commune.insee
	if strings.HasPrefix(code, "97") { // overseas: 3-digit department
		g.buf = append(g.buf, code[:3]...)
		return
	}
	g.buf = append(g.buf, code[:2]...)
	g.buf = append(g.buf, '1')
}

// makeSIRET returns a SIRET whose SIREN and whole number pass Luhn.
func (g *rnaGen) makeSIRET() []byte {
	b := make([]byte, 0, 14)
	b = appendPadded(b, g.rng.Uint64N(100_000_000), 8)
	b = append(b, luhnDigit(b))
	if string(b) == associations.LaPosteSIREN {
		// La Poste's SIRETs follow another rule: a changed digit might pass.
		b[7]++
		b[8] = luhnDigit(b[:8])
	}
	b = appendPadded(b, g.rng.Uint64N(10_000), 4)
	return append(b, luhnDigit(b))
}

// luhnDigit returns the check digit that makes digits+check pass Luhn.
func luhnDigit(digits []byte) byte {
	sum := 0
	double := true // the check digit will take the rightmost place
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(b []byte, v uint64, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendUint(tmp[:0], v, 10)
	for range width - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}
