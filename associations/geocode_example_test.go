package associations_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/civickit/civickit/associations"
)

// A city loads its département's BAN file once, then geocodes the
// addresses of the RNA as they are written there.
func ExampleBANIndex() {
	ban := `id;numero;rep;nom_voie;code_postal;code_insee;nom_commune;lon;lat
99001_0010_00012;12;;Rue des Tilleuls;99100;99001;Exempleville;4.800000;45.700000
99002_0030_00003;3;bis;Quai du Port;99200;99002;Autreville;4.900000;45.800000
`
	x := associations.NewBANIndex()
	if _, err := x.Load(context.Background(), strings.NewReader(ban)); err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range []associations.Address{
		{Line1: "3 B QUAI du Port", CommuneCode: "99002"},
		{Line1: "40 RUE des Tilleuls", PostalCode: "99100", City: "EXEMPLEVILLE"},
		{PostalCode: "99200"},
	} {
		g, err := x.Geocode(context.Background(), a)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s %.4f %.4f\n", g.Precision, g.Point.Lat, g.Point.Lon)
	}
	// Output:
	// housenumber 45.8000 4.9000
	// street 45.7000 4.8000
	// postal_code 45.8000 4.9000
}
