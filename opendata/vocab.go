package opendata

import "strings"

// Controlled vocabularies. Each value is the IRI of a concept of the EU
// Publications Office authority tables or of ADMS, which the DCAT-AP 3.0.1
// SHACL shapes check. Writers add the concept's rdf:type (skos:Concept),
// skos:prefLabel and skos:inScheme so that a validator can check them offline.

// Concept schemes (skos:ConceptScheme) of the controlled vocabularies.
const (
	SchemeDataTheme          = "http://publications.europa.eu/resource/authority/data-theme"
	SchemeFrequency          = "http://publications.europa.eu/resource/authority/frequency"
	SchemeAccessRight        = "http://publications.europa.eu/resource/authority/access-right"
	SchemeLanguage           = "http://publications.europa.eu/resource/authority/language"
	SchemeFileType           = "http://publications.europa.eu/resource/authority/file-type"
	SchemeDatasetType        = "http://publications.europa.eu/resource/authority/dataset-type"
	SchemeDistributionStatus = "http://publications.europa.eu/resource/authority/distribution-status"
	SchemeAvailability       = "http://publications.europa.eu/resource/authority/planned-availability"
	SchemeLicence            = "http://publications.europa.eu/resource/authority/licence"
	SchemeCountry            = "http://publications.europa.eu/resource/authority/country"
	SchemePlace              = "http://publications.europa.eu/resource/authority/place"
	SchemePublisherType      = "http://purl.org/adms/publishertype/1.0"
	SchemeLicenceType        = "http://purl.org/adms/licencetype/1.0"
)

const euAuthority = "http://publications.europa.eu/resource/authority/"

// Theme is an EU data theme IRI (dcat:theme).
type Theme string

const (
	ThemeAgriculture   Theme = euAuthority + "data-theme/AGRI" // agriculture, fisheries, forestry and food
	ThemeEconomy       Theme = euAuthority + "data-theme/ECON" // economy and finance
	ThemeEducation     Theme = euAuthority + "data-theme/EDUC" // education, culture and sport
	ThemeEnergy        Theme = euAuthority + "data-theme/ENER"
	ThemeEnvironment   Theme = euAuthority + "data-theme/ENVI"
	ThemeGovernment    Theme = euAuthority + "data-theme/GOVE" // government and public sector
	ThemeHealth        Theme = euAuthority + "data-theme/HEAL"
	ThemeInternational Theme = euAuthority + "data-theme/INTR"
	ThemeJustice       Theme = euAuthority + "data-theme/JUST" // justice, legal system and public safety
	ThemeProvisional   Theme = euAuthority + "data-theme/OP_DATPRO"
	ThemeRegions       Theme = euAuthority + "data-theme/REGI" // regions and cities
	ThemeSociety       Theme = euAuthority + "data-theme/SOCI" // population and society
	ThemeScience       Theme = euAuthority + "data-theme/TECH" // science and technology
	ThemeTransport     Theme = euAuthority + "data-theme/TRAN"
)

// Frequency is an EU frequency IRI (dct:accrualPeriodicity).
type Frequency string

const (
	FrequencyContinuous Frequency = euAuthority + "frequency/CONT"
	FrequencyHourly     Frequency = euAuthority + "frequency/HOURLY"
	FrequencyDaily      Frequency = euAuthority + "frequency/DAILY"
	FrequencyWeekly     Frequency = euAuthority + "frequency/WEEKLY"
	FrequencyMonthly    Frequency = euAuthority + "frequency/MONTHLY"
	FrequencyQuarterly  Frequency = euAuthority + "frequency/QUARTERLY"
	FrequencySemiannual Frequency = euAuthority + "frequency/ANNUAL_2"
	FrequencyAnnual     Frequency = euAuthority + "frequency/ANNUAL"
	FrequencyIrregular  Frequency = euAuthority + "frequency/IRREG"
	FrequencyNever      Frequency = euAuthority + "frequency/NEVER"
	FrequencyUnknown    Frequency = euAuthority + "frequency/UNKNOWN"
)

// AccessRights is an EU access-right IRI (dct:accessRights).
type AccessRights string

const (
	AccessPublic     AccessRights = euAuthority + "access-right/PUBLIC"
	AccessRestricted AccessRights = euAuthority + "access-right/RESTRICTED"
	AccessNonPublic  AccessRights = euAuthority + "access-right/NON_PUBLIC"
)

// Language is an EU language IRI (dct:language).
type Language string

const (
	LanguageFrench  Language = euAuthority + "language/FRA"
	LanguageEnglish Language = euAuthority + "language/ENG"
	LanguageGerman  Language = euAuthority + "language/DEU"
	LanguageSpanish Language = euAuthority + "language/SPA"
	LanguageItalian Language = euAuthority + "language/ITA"
	LanguageDutch   Language = euAuthority + "language/NLD"
	LanguageBreton  Language = euAuthority + "language/BRE"
	LanguageCatalan Language = euAuthority + "language/CAT"
	LanguageBasque  Language = euAuthority + "language/EUS"
	LanguageOccitan Language = euAuthority + "language/OCI"
)

// FileType is an EU file-type IRI (dct:format).
type FileType string

const (
	FileTypeCSV     FileType = euAuthority + "file-type/CSV"
	FileTypeTSV     FileType = euAuthority + "file-type/TSV"
	FileTypeJSON    FileType = euAuthority + "file-type/JSON"
	FileTypeGeoJSON FileType = euAuthority + "file-type/GEOJSON"
	FileTypeXML     FileType = euAuthority + "file-type/XML"
	FileTypeXLSX    FileType = euAuthority + "file-type/XLSX"
	FileTypeODS     FileType = euAuthority + "file-type/ODS"
	FileTypePDF     FileType = euAuthority + "file-type/PDF"
	FileTypeZIP     FileType = euAuthority + "file-type/ZIP"
	FileTypeHTML    FileType = euAuthority + "file-type/HTML"
	FileTypeTurtle  FileType = euAuthority + "file-type/RDF_TURTLE"
	FileTypeJSONLD  FileType = euAuthority + "file-type/JSON_LD"
	FileTypeRDFXML  FileType = euAuthority + "file-type/RDF_XML"
	FileTypeSHP     FileType = euAuthority + "file-type/SHP"
)

// MediaType is an IANA media type IRI (dcat:mediaType), e.g.
// https://www.iana.org/assignments/media-types/text/csv.
type MediaType string

const ianaMediaTypes = "https://www.iana.org/assignments/media-types/"

const (
	MediaTypeCSV     MediaType = ianaMediaTypes + "text/csv"
	MediaTypeTSV     MediaType = ianaMediaTypes + "text/tab-separated-values"
	MediaTypeJSON    MediaType = ianaMediaTypes + "application/json"
	MediaTypeGeoJSON MediaType = ianaMediaTypes + "application/geo+json"
	MediaTypeXML     MediaType = ianaMediaTypes + "application/xml"
	MediaTypePDF     MediaType = ianaMediaTypes + "application/pdf"
	MediaTypeZIP     MediaType = ianaMediaTypes + "application/zip"
	MediaTypeHTML    MediaType = ianaMediaTypes + "text/html"
	MediaTypeTurtle  MediaType = ianaMediaTypes + "text/turtle"
	MediaTypeJSONLD  MediaType = ianaMediaTypes + "application/ld+json"
	MediaTypeXLSX    MediaType = ianaMediaTypes + "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MediaTypeODS     MediaType = ianaMediaTypes + "application/vnd.oasis.opendocument.spreadsheet"
)

// MediaTypeOf returns the IANA IRI of a media type name such as "text/csv".
func MediaTypeOf(name string) MediaType { return MediaType(ianaMediaTypes + strings.ToLower(name)) }

// Name returns the media type name ("text/csv") of an IANA IRI, or the
// value itself when it is not one.
func (m MediaType) Name() string { return strings.TrimPrefix(string(m), ianaMediaTypes) }

// AgentType is an ADMS publisher type IRI (dct:type of an Agent).
type AgentType string

const (
	AgentLocalAuthority      AgentType = "http://purl.org/adms/publishertype/LocalAuthority"
	AgentRegionalAuthority   AgentType = "http://purl.org/adms/publishertype/RegionalAuthority"
	AgentNationalAuthority   AgentType = "http://purl.org/adms/publishertype/NationalAuthority"
	AgentSupraNational       AgentType = "http://purl.org/adms/publishertype/SupraNationalAuthority"
	AgentNonProfit           AgentType = "http://purl.org/adms/publishertype/NonProfitOrganisation"
	AgentAcademia            AgentType = "http://purl.org/adms/publishertype/Academia-ScientificOrganisation"
	AgentCompany             AgentType = "http://purl.org/adms/publishertype/Company"
	AgentNonGovernmental     AgentType = "http://purl.org/adms/publishertype/NonGovernmentalOrganisation"
	AgentStandardisationBody AgentType = "http://purl.org/adms/publishertype/StandardisationBody"
	AgentPrivateIndividual   AgentType = "http://purl.org/adms/publishertype/PrivateIndividual(s)"
)

// LicenseType is an ADMS licence type IRI (dct:type of a LicenseDocument).
type LicenseType string

const (
	LicenseTypeAttribution  LicenseType = "http://purl.org/adms/licencetype/Attribution"
	LicenseTypePublicDomain LicenseType = "http://purl.org/adms/licencetype/PublicDomain"
	LicenseTypeShareAlike   LicenseType = "http://purl.org/adms/licencetype/ShareAlike"
)

// DatasetType is an EU dataset-type IRI (dct:type of a Dataset).
type DatasetType string

const (
	DatasetStatistical DatasetType = euAuthority + "dataset-type/STATISTICAL"
	DatasetGeospatial  DatasetType = euAuthority + "dataset-type/GEOSPATIAL"
	DatasetTestData    DatasetType = euAuthority + "dataset-type/TEST_DATA"
)

// DistributionStatus is an EU distribution-status IRI (adms:status).
type DistributionStatus string

const (
	StatusCompleted   DistributionStatus = euAuthority + "distribution-status/COMPLETED"
	StatusDevelopment DistributionStatus = euAuthority + "distribution-status/DEVELOP"
	StatusDeprecated  DistributionStatus = euAuthority + "distribution-status/DEPRECATED"
	StatusWithdrawn   DistributionStatus = euAuthority + "distribution-status/WITHDRAWN"
)

// Availability is an EU planned-availability IRI (dcatap:availability).
type Availability string

const (
	AvailabilityTemporary    Availability = euAuthority + "planned-availability/TEMPORARY"
	AvailabilityExperimental Availability = euAuthority + "planned-availability/EXPERIMENTAL"
	AvailabilityAvailable    Availability = euAuthority + "planned-availability/AVAILABLE"
	AvailabilityStable       Availability = euAuthority + "planned-availability/STABLE"
)

// ChecksumAlgorithm is an SPDX checksum algorithm IRI (spdx:algorithm).
//
// The constants use the https form because the DCAT-AP 3.0.1 vocabulary
// shape (mdr-vocabularies.shape.ttl) requires algorithm IRIs matching
// "^https://spdx.org/rdf/terms"; validation also accepts the SPDX 2
// namespace form http://spdx.org/rdf/terms#checksumAlgorithm_... and the
// writers turn it into the https form.
type ChecksumAlgorithm string

const (
	ChecksumSHA256 ChecksumAlgorithm = "https://spdx.org/rdf/terms#checksumAlgorithm_sha256"
	ChecksumSHA1   ChecksumAlgorithm = "https://spdx.org/rdf/terms#checksumAlgorithm_sha1"
	ChecksumMD5    ChecksumAlgorithm = "https://spdx.org/rdf/terms#checksumAlgorithm_md5"
)

// Canonical returns the https form of an SPDX checksum algorithm IRI given
// in either namespace form.
func (a ChecksumAlgorithm) Canonical() ChecksumAlgorithm {
	if rest, ok := strings.CutPrefix(string(a), "http://spdx.org/rdf/terms#"); ok {
		return ChecksumAlgorithm("https://spdx.org/rdf/terms#" + rest)
	}
	return a
}

// Roles (dcat:hadRole of an Attribution), from the ISO 19115 role codes as
// published by the INSPIRE registry.
const (
	RoleOriginator     = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/originator"
	RoleDistributor    = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/distributor"
	RoleOwner          = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/owner"
	RoleProcessor      = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/processor"
	RoleCustodian      = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/custodian"
	RolePointOfContact = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/pointOfContact"
)

// Licence IRIs of the usual open licences. The EU licence authority table
// has no entry for the French Licence Ouverte, so its IRI is Etalab's page.
const (
	LicenseEtalab20 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
	LicenseCCBY40   = euAuthority + "licence/CC_BY_4_0"
	LicenseCCBYSA40 = euAuthority + "licence/CC_BYSA_4_0"
	LicenseCC0      = euAuthority + "licence/CC0"
	LicenseODbL     = euAuthority + "licence/ODC_BL"
	LicenseODCBY    = euAuthority + "licence/ODC_BY"
	LicensePDDL     = euAuthority + "licence/ODC_PDDL"
)

// KnownLicense returns the LicenseDocument of a licence IRI listed above
// (or of its SPDX identifier, such as "etalab-2.0" or "CC-BY-4.0"), with
// its title, ADMS type and SPDX identifier. The second result is false for
// an unknown licence.
func KnownLicense(iriOrSPDX string) (LicenseDocument, bool) {
	for _, l := range knownLicenses() {
		if l.IRI == iriOrSPDX || strings.EqualFold(l.SPDX, iriOrSPDX) {
			return l, true
		}
	}
	return LicenseDocument{}, false
}

// DefaultLicense is the Licence Ouverte 2.0 (Etalab-2.0), the licence French
// public bodies use by default.
func DefaultLicense() LicenseDocument {
	l, _ := KnownLicense(LicenseEtalab20)
	return l
}

func knownLicenses() []LicenseDocument {
	return []LicenseDocument{
		{IRI: LicenseEtalab20, SPDX: "etalab-2.0", Type: LicenseTypeAttribution,
			URL:   "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
			Title: Text{"fr": "Licence Ouverte / Open Licence version 2.0", "en": "Open Licence 2.0 (Etalab)"}},
		{IRI: LicenseCCBY40, SPDX: "CC-BY-4.0", Type: LicenseTypeAttribution,
			URL:   "https://creativecommons.org/licenses/by/4.0/",
			Title: Text{"en": "Creative Commons Attribution 4.0 International", "fr": "Creative Commons Attribution 4.0 International"}},
		{IRI: LicenseCCBYSA40, SPDX: "CC-BY-SA-4.0", Type: LicenseTypeShareAlike,
			URL:   "https://creativecommons.org/licenses/by-sa/4.0/",
			Title: Text{"en": "Creative Commons Attribution-ShareAlike 4.0 International"}},
		{IRI: LicenseCC0, SPDX: "CC0-1.0", Type: LicenseTypePublicDomain,
			URL:   "https://creativecommons.org/publicdomain/zero/1.0/",
			Title: Text{"en": "Creative Commons CC0 1.0 Universal", "fr": "Creative Commons CC0 1.0 Universel"}},
		{IRI: LicenseODbL, SPDX: "ODbL-1.0", Type: LicenseTypeShareAlike,
			URL:   "https://opendatacommons.org/licenses/odbl/1-0/",
			Title: Text{"en": "Open Data Commons Open Database License 1.0 (ODbL)"}},
		{IRI: LicenseODCBY, SPDX: "ODC-By-1.0", Type: LicenseTypeAttribution,
			URL:   "https://opendatacommons.org/licenses/by/1-0/",
			Title: Text{"en": "Open Data Commons Attribution License 1.0"}},
		{IRI: LicensePDDL, SPDX: "PDDL-1.0", Type: LicenseTypePublicDomain,
			URL:   "https://opendatacommons.org/licenses/pddl/1-0/",
			Title: Text{"en": "Open Data Commons Public Domain Dedication and License 1.0"}},
	}
}

// conceptLabel returns the skos:prefLabel written for a vocabulary concept:
// English and French labels for the constants of this package (from the EU
// authority tables), else the concept's code.
func conceptLabel(v string) Text {
	if l, ok := vocabularyLabels[v]; ok {
		return Text{"en": l[0], "fr": l[1]}
	}
	return Text{"": lastSegment(v)}
}

// schemeTitle returns the dct:title written for a concept scheme.
func schemeTitle(v string) string {
	if t, ok := schemeTitles[v]; ok {
		return t
	}
	return lastSegment(v)
}

var schemeTitles = map[string]string{
	SchemeDataTheme:          "Data theme",
	SchemeFrequency:          "Frequency",
	SchemeAccessRight:        "Access right",
	SchemeLanguage:           "Language",
	SchemeFileType:           "File type",
	SchemeDatasetType:        "Dataset type",
	SchemeDistributionStatus: "Distribution status",
	SchemeAvailability:       "Planned availability",
	SchemeLicence:            "Licence",
	SchemeCountry:            "Country",
	SchemePlace:              "Place",
	SchemePublisherType:      "Publisher type",
	SchemeLicenceType:        "Licence type",
}

// vocabularyLabels holds [English, French] labels. It is read-only.
var vocabularyLabels = map[string][2]string{
	string(ThemeAgriculture):   {"Agriculture, fisheries, forestry and food", "Agriculture, pêche, sylviculture et alimentation"},
	string(ThemeEconomy):       {"Economy and finance", "Économie et finances"},
	string(ThemeEducation):     {"Education, culture and sport", "Éducation, culture et sport"},
	string(ThemeEnergy):        {"Energy", "Énergie"},
	string(ThemeEnvironment):   {"Environment", "Environnement"},
	string(ThemeGovernment):    {"Government and public sector", "Gouvernement et secteur public"},
	string(ThemeHealth):        {"Health", "Santé"},
	string(ThemeInternational): {"International issues", "Questions internationales"},
	string(ThemeJustice):       {"Justice, legal system and public safety", "Justice, système juridique et sécurité publique"},
	string(ThemeProvisional):   {"Provisional data", "Données provisoires"},
	string(ThemeRegions):       {"Regions and cities", "Régions et villes"},
	string(ThemeSociety):       {"Population and society", "Population et société"},
	string(ThemeScience):       {"Science and technology", "Science et technologie"},
	string(ThemeTransport):     {"Transport", "Transports"},

	string(FrequencyContinuous): {"Continuous", "Continue"},
	string(FrequencyHourly):     {"Hourly", "Toutes les heures"},
	string(FrequencyDaily):      {"Daily", "Quotidien"},
	string(FrequencyWeekly):     {"Weekly", "Hebdomadaire"},
	string(FrequencyMonthly):    {"Monthly", "Mensuel"},
	string(FrequencyQuarterly):  {"Quarterly", "Trimestriel"},
	string(FrequencySemiannual): {"Semiannual", "Semestriel"},
	string(FrequencyAnnual):     {"Annual", "Annuel"},
	string(FrequencyIrregular):  {"Irregular", "Irrégulier"},
	string(FrequencyNever):      {"Never", "Jamais"},
	string(FrequencyUnknown):    {"Unknown", "Inconnue"},

	string(AccessPublic):     {"Public", "Public"},
	string(AccessRestricted): {"Restricted", "Restreint"},
	string(AccessNonPublic):  {"Non-public", "Non public"},

	string(LanguageFrench):  {"French", "français"},
	string(LanguageEnglish): {"English", "anglais"},
	string(LanguageGerman):  {"German", "allemand"},
	string(LanguageSpanish): {"Spanish", "espagnol"},
	string(LanguageItalian): {"Italian", "italien"},
	string(LanguageDutch):   {"Dutch", "néerlandais"},
	string(LanguageBreton):  {"Breton", "breton"},
	string(LanguageCatalan): {"Catalan", "catalan"},
	string(LanguageBasque):  {"Basque", "basque"},
	string(LanguageOccitan): {"Occitan", "occitan"},

	string(FileTypeCSV):     {"CSV", "CSV"},
	string(FileTypeTSV):     {"TSV", "TSV"},
	string(FileTypeJSON):    {"JSON", "JSON"},
	string(FileTypeGeoJSON): {"GeoJSON", "GeoJSON"},
	string(FileTypeXML):     {"XML", "XML"},
	string(FileTypeXLSX):    {"XLSX", "XLSX"},
	string(FileTypeODS):     {"ODS", "ODS"},
	string(FileTypePDF):     {"PDF", "PDF"},
	string(FileTypeZIP):     {"ZIP", "ZIP"},
	string(FileTypeHTML):    {"HTML", "HTML"},
	string(FileTypeTurtle):  {"RDF Turtle", "RDF Turtle"},
	string(FileTypeJSONLD):  {"JSON-LD", "JSON-LD"},
	string(FileTypeRDFXML):  {"RDF/XML", "RDF/XML"},
	string(FileTypeSHP):     {"Shapefile", "Shapefile"},

	string(DatasetStatistical): {"Statistical data", "Données statistiques"},
	string(DatasetGeospatial):  {"Geospatial data", "Données géospatiales"},
	string(DatasetTestData):    {"Test data", "Données de test"},

	string(StatusCompleted):   {"Completed", "Achevé"},
	string(StatusDevelopment): {"Under development", "En cours de développement"},
	string(StatusDeprecated):  {"Deprecated", "Obsolète"},
	string(StatusWithdrawn):   {"Withdrawn", "Retiré"},

	string(AvailabilityTemporary):    {"Temporary", "Temporaire"},
	string(AvailabilityExperimental): {"Experimental", "Expérimental"},
	string(AvailabilityAvailable):    {"Available", "Disponible"},
	string(AvailabilityStable):       {"Stable", "Stable"},

	string(AgentLocalAuthority):      {"Local authority", "Autorité locale"},
	string(AgentRegionalAuthority):   {"Regional authority", "Autorité régionale"},
	string(AgentNationalAuthority):   {"National authority", "Autorité nationale"},
	string(AgentSupraNational):       {"Supra-national authority", "Autorité supranationale"},
	string(AgentNonProfit):           {"Non-profit organisation", "Organisation à but non lucratif"},
	string(AgentAcademia):            {"Academia/scientific organisation", "Organisation universitaire ou scientifique"},
	string(AgentCompany):             {"Company", "Entreprise"},
	string(AgentNonGovernmental):     {"Non-governmental organisation", "Organisation non gouvernementale"},
	string(AgentStandardisationBody): {"Standardisation body", "Organisme de normalisation"},
	string(AgentPrivateIndividual):   {"Private individual(s)", "Particulier(s)"},

	string(LicenseTypeAttribution):  {"Attribution", "Attribution"},
	string(LicenseTypePublicDomain): {"Public domain", "Domaine public"},
	string(LicenseTypeShareAlike):   {"Share-alike", "Partage à l'identique"},
}

// languageTags maps EU language codes to BCP 47 tags.
var languageTags = map[string]string{
	"FRA": "fr", "ENG": "en", "DEU": "de", "SPA": "es", "ITA": "it", "NLD": "nl",
	"BRE": "br", "CAT": "ca", "EUS": "eu", "OCI": "oc", "POR": "pt", "POL": "pl",
	"COS": "co", "GSW": "gsw", "LTZ": "lb", "ARA": "ar",
}

// Tag returns the BCP 47 tag of an EU language IRI ("fr" for
// LanguageFrench), or "" when the language is not one this package knows.
func (l Language) Tag() string {
	code, ok := strings.CutPrefix(string(l), SchemeLanguage+"/")
	if !ok {
		return ""
	}
	return languageTags[code]
}

// LanguageFromTag returns the EU language IRI of a BCP 47 tag ("fr",
// "fr-FR"), or "" when the language is not one this package knows.
func LanguageFromTag(tag string) Language {
	primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
	for code, t := range languageTags {
		if t == primary {
			return Language(SchemeLanguage + "/" + code)
		}
	}
	return ""
}

// Label returns the concept's label in lang (English and French are known
// for this package's constants), else its code.
func (t Theme) Label(lang string) string { return conceptLabel(string(t)).Get(lang) }

// Label returns the file type's label in lang ("CSV"), else its code.
func (f FileType) Label(lang string) string { return conceptLabel(string(f)).Get(lang) }

// Code returns the last segment of the file type IRI ("CSV", "GEOJSON").
func (f FileType) Code() string { return lastSegment(string(f)) }

// FileTypeOf returns the EU file-type IRI of a code such as "csv" or
// "GeoJSON" (upper-cased, "-" and "+" made "_"). It does not check that the
// authority table has the code; Validate checks only the namespace.
func FileTypeOf(code string) FileType {
	c := strings.ToUpper(strings.NewReplacer("-", "_", "+", "_", " ", "_").Replace(strings.TrimSpace(code)))
	return FileType(SchemeFileType + "/" + c)
}

// Label returns the frequency's label in lang, else its code.
func (f Frequency) Label(lang string) string { return conceptLabel(string(f)).Get(lang) }

// Label returns the access right's label in lang, else its code.
func (a AccessRights) Label(lang string) string { return conceptLabel(string(a)).Get(lang) }

// Label returns the language's name in lang (English or French), else its code.
func (l Language) Label(lang string) string { return conceptLabel(string(l)).Get(lang) }
