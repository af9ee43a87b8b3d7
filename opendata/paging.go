package opendata

// Hydra paging (http://www.w3.org/ns/hydra/core#), as read by CKAN's DCAT
// harvester and the data.europa.eu harvester: each page of a catalogue
// carries a hydra:PagedCollection (DCAT-AP 3: hydra:PartialCollectionView)
// node with the IRIs of the first, previous, next and last pages and the
// total number of items.
const (
	HydraNamespace = "http://www.w3.org/ns/hydra/core#"
)

// Page describes one page of a paged catalogue.
type Page struct {
	IRI          string `json:"iri"`                // this page
	First        string `json:"first,omitempty"`    // hydra:first
	Previous     string `json:"previous,omitempty"` // hydra:previous
	Next         string `json:"next,omitempty"`     // hydra:next; empty on the last page
	Last         string `json:"last,omitempty"`     // hydra:last
	TotalItems   int    `json:"totalItems"`         // hydra:totalItems, datasets in the whole catalogue
	ItemsPerPage int    `json:"itemsPerPage"`       // hydra:itemsPerPage
}
