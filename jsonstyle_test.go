package civickit_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// standardJSON lists the files whose JSON field names something else
// fixes — a published format, or documents already stored by earlier
// versions; everything else civickit writes is snake_case.
var standardJSON = map[string]string{
	"opendata/datajson.go":      "Project Open Data v1.1 (data.json)",
	"opendata/schemaorg.go":     "schema.org Dataset",
	"opendata/datapackage.go":   "Frictionless Data Package",
	"opendata/ckan.go":          "CKAN Action API",
	"storage/ballotbox_rows.go": "eligibility documents stored by earlier versions",
	"voting/formats/cdf.go":     "NIST SP 1500-103 cast vote records (JSON)",
	"voting/stv/rctab.go":       "RCTab's JSON result (detailed report)",
}

var snakeCase = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)

// TestJSONIsSnakeCase reads every non-test Go file of the module and
// checks the name of every json struct tag.
func TestJSONIsSnakeCase(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	fixed := map[string]int{} // names a standard fixes, by file
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		_, standard := standardJSON[filepath.ToSlash(path)]
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if st, ok := n.(*ast.StructType); ok {
				checkAllTagged(t, fset, st)
				return true
			}
			field, ok := n.(*ast.Field)
			if !ok || field.Tag == nil {
				return true
			}
			tag, err := strconv.Unquote(field.Tag.Value)
			if err != nil {
				return true
			}
			v, ok := reflect.StructTag(tag).Lookup("json")
			if !ok {
				return true
			}
			checked++
			name, _, _ := strings.Cut(v, ",")
			if name != "" && name != "-" && !snakeCase.MatchString(name) {
				if standard {
					fixed[filepath.ToSlash(path)]++
				} else {
					t.Errorf("%s: json name %q is not snake_case", fset.Position(field.Pos()), name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for file, format := range standardJSON {
		if fixed[file] == 0 {
			t.Errorf("%s is listed as following %s but all its json names are snake_case: remove it from the list", file, format)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d json tags found: the walk missed the packages", checked)
	}
}

// checkAllTagged reports the exported fields of a struct that has json
// tags but not on every exported field: encoding/json would write those
// under their Go names (CamelCase).
func checkAllTagged(t *testing.T, fset *token.FileSet, st *ast.StructType) {
	tagged := false
	var untagged []*ast.Field
	for _, f := range st.Fields.List {
		has := false
		if f.Tag != nil {
			if tag, err := strconv.Unquote(f.Tag.Value); err == nil {
				_, has = reflect.StructTag(tag).Lookup("json")
			}
		}
		if has {
			tagged = true
			continue
		}
		if len(f.Names) == 0 {
			continue // embedded: JSON flattens it
		}
		for _, n := range f.Names {
			if n.IsExported() {
				if _, isFunc := f.Type.(*ast.FuncType); !isFunc {
					untagged = append(untagged, f)
				}
				break
			}
		}
	}
	if !tagged {
		return
	}
	for _, f := range untagged {
		t.Errorf("%s: exported field %s has no json tag while its struct has some", fset.Position(f.Pos()), f.Names[0].Name)
	}
}
