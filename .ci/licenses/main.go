// Command licenses checks that every module civickit's packages link is
// under a licence compatible with the MPL-2.0, and that NOTICE lists each
// of them with that licence.
//
//	go run ./.ci/licenses          # check (CI)
//	go run ./.ci/licenses -write   # rewrite NOTICE's dependency table
//
// A licence is recognised by phrases of its standard text, so a module
// whose licence file is missing or unrecognised fails the check: a human
// then reads it and decides.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// compatible lists the licences whose code may be combined with MPL-2.0
// files in one program (MPL-2.0 §3.3 and the permissive licences).
var compatible = map[string]bool{
	"MIT": true, "BSD-2-Clause": true, "BSD-3-Clause": true, "Apache-2.0": true,
	"MPL-2.0": true, "ISC": true, "MIT OR Apache-2.0": true,
}

// classify names the licence of a licence file's text, or "".
func classify(text string) string {
	t := strings.Join(strings.Fields(text), " ")
	has := func(s string) bool { return strings.Contains(t, s) }
	switch {
	case has("Mozilla Public License Version 2.0") || has("Mozilla Public License, version 2.0"):
		return "MPL-2.0"
	case has("covered by two different licenses: MIT and Apache"):
		return "MIT OR Apache-2.0"
	case has("Apache License") && has("Version 2.0"):
		return "Apache-2.0"
	case has("Permission is hereby granted, free of charge"):
		return "MIT"
	case has("Permission to use, copy, modify, and/or distribute this software"):
		return "ISC"
	case has("Redistribution and use in source and binary forms") && (has("Neither the name") || has("names of its contributors")):
		return "BSD-3-Clause"
	case has("Redistribution and use in source and binary forms"):
		return "BSD-2-Clause"
	}
	return ""
}

type module struct {
	Path, Version, Dir string
	Main               bool
}

type pkg struct {
	ImportPath string
	Module     *module
}

func main() {
	write := flag.Bool("write", false, "rewrite the dependency table of NOTICE")
	flag.Parse()
	if err := run(*write); err != nil {
		fmt.Fprintln(os.Stderr, "licenses:", err)
		os.Exit(1)
	}
}

func run(write bool) error {
	mods, err := linked()
	if err != nil {
		return err
	}
	var rows []string
	var bad []string
	for _, m := range mods {
		lic, file := licenceOf(m.Dir)
		switch {
		case lic == "":
			bad = append(bad, fmt.Sprintf("%s %s: no recognised licence file in %s", m.Path, m.Version, m.Dir))
		case !compatible[lic]:
			bad = append(bad, fmt.Sprintf("%s %s: %s is not known to be MPL-2.0 compatible", m.Path, m.Version, lic))
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s (%s) |", m.Path, m.Version, lic, file))
	}
	table := strings.Join(rows, "\n") + "\n"
	if write {
		if err := rewriteNotice(table); err != nil {
			return err
		}
	} else if err := checkNotice(mods); err != nil {
		bad = append(bad, err.Error())
	}
	fmt.Printf("%d modules linked by civickit's packages, commands and tests\n", len(mods))
	if len(bad) > 0 {
		return fmt.Errorf("\n  %s", strings.Join(bad, "\n  "))
	}
	fmt.Println("every licence is MPL-2.0 compatible and listed in NOTICE")
	return nil
}

// linked lists the modules whose packages any civickit package (tests
// included) imports.
func linked() ([]module, error) {
	cmd := exec.Command("go", "list", "-deps", "-test", "-json=ImportPath,Module", "./...")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	seen := map[string]module{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if p.Module != nil && !p.Module.Main {
			seen[p.Module.Path] = *p.Module
		}
	}
	mods := make([]module, 0, len(seen))
	for _, m := range seen {
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	return mods, nil
}

var licenceFile = regexp.MustCompile(`(?i)^(licen[cs]e|copying)([.-].*)?$`)

// licenceOf reads the module's licence files and names the first it
// recognises.
func licenceOf(dir string) (string, string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", ""
	}
	for _, e := range entries {
		if e.IsDir() || !licenceFile.MatchString(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		if lic := classify(string(b)); lic != "" {
			return lic, e.Name()
		}
	}
	return "", ""
}

const (
	noticeFile  = "NOTICE"
	tableStart  = "| module | version | licence (file) |\n|---|---|---|\n"
	tableEndTag = "\n<!-- end of dependencies -->"
)

func rewriteNotice(table string) error {
	b, err := os.ReadFile(noticeFile)
	if err != nil {
		return err
	}
	s := string(b)
	i := strings.Index(s, tableStart)
	j := strings.Index(s, tableEndTag)
	if i < 0 || j < i {
		return fmt.Errorf("%s: no dependency table to rewrite", noticeFile)
	}
	s = s[:i+len(tableStart)] + table + s[j:]
	return os.WriteFile(noticeFile, []byte(s), 0o644)
}

// checkNotice reports the modules NOTICE does not list.
func checkNotice(mods []module) error {
	f, err := os.Open(noticeFile)
	if err != nil {
		return err
	}
	defer f.Close()
	listed := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if cells := strings.Split(sc.Text(), "|"); len(cells) > 3 {
			listed[strings.TrimSpace(cells[1])+" "+strings.TrimSpace(cells[2])] = true
		}
	}
	var missing []string
	for _, m := range mods {
		if !listed[m.Path+" "+m.Version] {
			missing = append(missing, m.Path+" "+m.Version)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("NOTICE does not list %s (run go run ./.ci/licenses -write)", strings.Join(missing, ", "))
	}
	return nil
}
