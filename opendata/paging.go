package opendata

import "github.com/civickit/civickit"

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
	TotalItems   int    `json:"total_items"`        // hydra:totalItems, datasets in the whole catalogue
	ItemsPerPage int    `json:"items_per_page"`     // hydra:itemsPerPage
}

// Hydra terms written on a page node. Writers give each link twice, in the
// current vocabulary (hydra:next, on a hydra:PartialCollectionView) and in
// the one CKAN's ckanext-dcat reads and writes (hydra:nextPage, on a
// hydra:PagedCollection), so that either kind of harvester follows it.
const (
	HydraPartialCollectionView = HydraNamespace + "PartialCollectionView"
	HydraPagedCollection       = HydraNamespace + "PagedCollection"
	HydraFirst                 = HydraNamespace + "first"
	HydraPrevious              = HydraNamespace + "previous"
	HydraNext                  = HydraNamespace + "next"
	HydraLast                  = HydraNamespace + "last"
	HydraFirstPage             = HydraNamespace + "firstPage"
	HydraPreviousPage          = HydraNamespace + "previousPage"
	HydraNextPage              = HydraNamespace + "nextPage"
	HydraLastPage              = HydraNamespace + "lastPage"
	HydraTotalItems            = HydraNamespace + "totalItems"
	HydraItemsPerPage          = HydraNamespace + "itemsPerPage"
)

// Paginate returns page number page (1-based) of the catalogue's datasets,
// size datasets per page, as a shallow copy of c holding only that page's
// datasets (series and services are repeated on every page), with its
// hydra Page. pageIRI(n) gives the address of page n, e.g.
// "https://data.example.org/catalog.ttl?page=n".
//
// Datasets keep the catalogue's order, so a caller that sorts them by a
// stable key (identifier, then IRI) gets stable pages. A page past the
// last one is empty and has no next link; page < 1 or size < 1 is
// refused with ErrInvalid.
func Paginate(c *Catalog, page, size int, pageIRI func(n int) string) (*Catalog, Page, error) {
	if page < 1 || size < 1 || pageIRI == nil {
		ve := &civickit.ValidationError{}
		if page < 1 {
			ve.Add("page", RuleFormat, ">=1")
		}
		if size < 1 {
			ve.Add("size", RuleFormat, ">=1")
		}
		if pageIRI == nil {
			ve.Add("page_iri", RuleMandatory, "func")
		}
		return nil, Page{}, ve
	}
	total := len(c.Datasets)
	last := (total + size - 1) / size
	if last == 0 {
		last = 1
	}
	p := Page{
		IRI:          pageIRI(page),
		First:        pageIRI(1),
		Last:         pageIRI(last),
		TotalItems:   total,
		ItemsPerPage: size,
	}
	if page > 1 {
		p.Previous = pageIRI(min(page-1, last))
	}
	if page < last {
		p.Next = pageIRI(page + 1)
	}
	out := *c
	lo := total
	if page-1 <= total/size { // (page-1)*size cannot overflow
		lo = min((page-1)*size, total)
	}
	hi := lo + min(size, total-lo)
	out.Datasets = c.Datasets[lo:hi:hi]
	out.all = c.Datasets
	if c.all != nil {
		out.all = c.all
	}
	return &out, p, nil
}
